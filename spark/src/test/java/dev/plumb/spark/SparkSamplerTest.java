package dev.plumb.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.synthetic.SyntheticFrame;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark sampler against the embedded one ({@code plumb sample}) on the same frame and seed: once
 * as the same single file, once split into three part files (one gzipped, in a different order),
 * so that the sketches of three tasks are merged.
 */
class SparkSamplerTest {
  private static final long SEED = 20261201L;
  private static final int UNITS = 3000;

  @TempDir static Path dir;
  static Path whole;
  static Path parts;
  static SparkSession spark;

  static final Map<String, String> DESIGNS = Map.of(
      "srs", "type: srs\nn: 200\n",
      "stratified", "type: stratified\nn: 240\npolicy: self_harm\nbins: [0, 0.2, 0.5, 1]\nby: [surface]\n"
          + "allocation: neyman\n",
      "priority", "type: priority\nn: 150\nsize: weight * score(self_harm)\n",
      "ppswr", "type: ppswr\nn: 150\nsize: weight\n",
      "poisson", "type: poisson\nn: 180\nsize: weight * score(self_harm)\n");

  @BeforeAll
  static void frame() throws IOException {
    spark = LocalSpark.session();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < UNITS; i++) {
      lines.add(SyntheticFrame.unit(7, i).json());
    }
    whole = dir.resolve("units.jsonl");
    Files.writeString(whole, String.join("\n", lines) + "\n");
    parts = Files.createDirectories(dir.resolve("frame"));
    // units i % 3 == k go to part k, the last part backwards; a blank line and CRLF endings in part 0
    List<List<String>> split = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < UNITS; i++) {
      split.get(i % 3).add(lines.get(i));
    }
    java.util.Collections.reverse(split.get(2));
    Files.writeString(parts.resolve("part-0.jsonl"), String.join("\r\n", split.get(0)) + "\r\n\r\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(parts.resolve("part-1.jsonl.gz")))) {
      out.write((String.join("\n", split.get(1)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(parts.resolve("part-2.jsonl"), String.join("\n", split.get(2)) + "\n");
    Files.writeString(parts.resolve("_SUCCESS"), "");
  }

  private static SamplingDesign design(String type) {
    return DesignFile.parse(DESIGNS.get(type), "design.yaml").design();
  }

  private static Sampler.Result embedded(String type, Path out) {
    return Sampler.run(new Sampler.Request(whole, design(type), SEED, out, "test"));
  }

  private static Sampler.Result onSpark(String type, String frame, Path out) {
    return SparkSampler.run(spark, new SparkSampler.Request(frame, design(type), SEED, out, "test"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"srs", "stratified", "priority", "ppswr", "poisson"})
  void should_write_byte_identical_files_when_the_frame_is_the_same_single_file(String type) throws IOException {
    Path a = Files.createDirectories(dir.resolve("single-" + type)).resolve("embedded.jsonl");
    Path b = a.resolveSibling("spark.jsonl");
    embedded(type, a);
    onSpark(type, whole.toString(), b);

    assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    assertThat(Files.readString(Sampler.manifestPath(b))).isEqualTo(Files.readString(Sampler.manifestPath(a)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"srs", "stratified", "priority", "ppswr"})
  void should_draw_the_embedded_sample_when_sketches_of_part_files_are_merged(String type) throws IOException {
    Path a = Files.createDirectories(dir.resolve("parts-" + type)).resolve("embedded.jsonl");
    Path b = a.resolveSibling("spark.jsonl");
    Sampler.Result e = embedded(type, a);
    Sampler.Result s = onSpark(type, parts.toString(), b);

    assertThat(s.sample().n()).isEqualTo(e.sample().n()).isPositive();
    // the units' JSON and their design records, in id order: the same bytes
    assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    assertSameManifest(Sampler.manifestPath(b), Sampler.manifestPath(a), 0);
  }

  @Test
  void should_select_the_same_poisson_units_with_the_same_pi_when_deciding_per_record() throws IOException {
    Path a = Files.createDirectories(dir.resolve("parts-poisson")).resolve("embedded.jsonl");
    Path b = a.resolveSibling("spark.jsonl");
    Sampler.Result e = embedded("poisson", a);
    Sampler.Result s = onSpark("poisson", parts.toString(), b);

    // tau is computed from compensated sums over differently grouped parts: equal to ~1e-15
    assertThat(s.sample().tau().getAsDouble()).isCloseTo(e.sample().tau().getAsDouble(),
        within(1e-12 * e.sample().tau().getAsDouble()));
    List<String> sa = Files.readAllLines(a);
    List<String> sb = Files.readAllLines(b);
    assertThat(sb).hasSameSizeAs(sa).hasSizeGreaterThan(100);
    for (int i = 0; i < sa.size(); i++) {
      JsonNode x = Json.mapper().readTree(sa.get(i));
      JsonNode y = Json.mapper().readTree(sb.get(i));
      assertThat(y.get("id")).isEqualTo(x.get("id"));
      assertThat(y.at("/design/pi").asDouble()).isCloseTo(x.at("/design/pi").asDouble(), within(1e-12));
      assertThat(y.at("/design/size")).isEqualTo(x.at("/design/size"));
      ((ObjectNode) x).remove("design");
      ((ObjectNode) y).remove("design");
      assertThat(y).isEqualTo(x);
    }
    assertSameManifest(Sampler.manifestPath(b), Sampler.manifestPath(a), 1e-12);
  }

  @Test
  void should_record_the_digest_of_the_part_files_when_the_frame_has_several() throws IOException {
    Path out = Files.createDirectories(dir.resolve("digest")).resolve("sample.jsonl");
    Sampler.Result s = onSpark("srs", parts.toString(), out);

    StringBuilder text = new StringBuilder();
    for (String name : List.of("part-0.jsonl", "part-1.jsonl.gz", "part-2.jsonl")) {
      text.append(Hashing.sha256(parts.resolve(name))).append(' ').append(name).append('\n');
    }
    assertThat(s.frameSha256()).isEqualTo(Hashing.sha256(text.toString()));
    JsonNode m = Json.mapper().readTree(Sampler.manifestPath(out).toFile());
    assertThat(m.at("/frame/path").asText()).isEqualTo(parts.toString());
    assertThat(m.at("/frame/units").asLong()).isEqualTo(UNITS);
  }

  @Test
  void should_name_the_file_and_line_when_an_id_repeats_across_part_files() throws IOException {
    Path frame = Files.createDirectories(dir.resolve("dup"));
    Files.writeString(frame.resolve("a.jsonl"), "{\"id\":\"x\"}\n{\"id\":\"y\"}\n");
    Files.writeString(frame.resolve("b.jsonl"), "{\"id\":\"z\"}\n{\"id\":\"w\"}\n{\"id\":\"y\"}\n");
    Path out = frame.resolve("out/sample.jsonl");

    assertThatThrownBy(() -> onSpark("srs", frame.toString(), out))
        .isInstanceOf(InputException.class)
        .hasMessage(frame.resolve("b.jsonl") + ":3: id: duplicate unit id \"y\" (first on "
            + frame.resolve("a.jsonl") + " line 2)");
    assertThat(out.getParent()).doesNotExist();
  }

  @Test
  void should_report_a_repeated_id_in_one_file_exactly_as_plumb_sample_does() throws IOException {
    Path frame = dir.resolve("dup1.jsonl");
    Files.writeString(frame, "{\"id\":\"x\"}\n{\"id\":\"y\"}\n{\"id\":\"x\"}\n");
    Path out = dir.resolve("dup1/sample.jsonl");
    String expected = frame + ":3: id: duplicate unit id \"x\" (first on line 1)";

    assertThatThrownBy(() -> Sampler.run(new Sampler.Request(frame, design("srs"), SEED, out, "t")))
        .hasMessage(expected);
    assertThatThrownBy(() -> onSpark("srs", frame.toString(), out))
        .isInstanceOf(InputException.class).hasMessage(expected);
  }

  @Test
  void should_stop_at_a_bad_line_with_its_file_and_line() throws IOException {
    Path frame = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(frame.resolve("a.jsonl"), "{\"id\":\"x\",\"weight\":1}\n");
    Files.writeString(frame.resolve("b.jsonl"), "{\"id\":\"y\",\"weight\":2}\n{\"id\":\"z\",\"weight\":-3}\n");
    Path out = frame.resolve("out/sample.jsonl");

    assertThatThrownBy(() -> onSpark("srs", frame.toString(), out))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(frame.resolve("b.jsonl") + ":2: weight: ");
    assertThat(out.getParent()).doesNotExist();
  }

  @Test
  void should_say_the_frame_is_missing_when_nothing_matches() {
    String frame = dir.resolve("nothing-*.jsonl").toString();
    assertThatThrownBy(() -> onSpark("srs", frame, dir.resolve("x.jsonl")))
        .isInstanceOf(InputException.class)
        .hasMessage(frame + ": file not found");
  }

  @Test
  void should_fail_like_plumb_sample_when_the_sample_is_larger_than_the_frame() {
    SamplingDesign big = DesignFile.parse("type: srs\nn: 5000\n", "design.yaml").design();
    String expected = "design.yaml:2:4: n: sample size 5000 is larger than the frame (" + parts
        + " has 3000 units)";
    assertThatThrownBy(() -> SparkSampler.run(spark,
        new SparkSampler.Request(parts.toString(), big, SEED, dir.resolve("big.jsonl"), "t")))
        .isInstanceOf(InputException.class).hasMessage(expected);
  }

  /** The manifests agree except for the frame's path and digest; numbers to within {@code tol} relative. */
  private static void assertSameManifest(Path actual, Path expected, double tol) throws IOException {
    JsonNode x = Json.mapper().readTree(expected.toFile());
    JsonNode y = Json.mapper().readTree(actual.toFile());
    for (JsonNode m : List.of(x, y)) {
      ((ObjectNode) m.get("frame")).remove(List.of("path", "sha256"));
    }
    assertClose(y, x, tol, "$");
  }

  private static void assertClose(JsonNode y, JsonNode x, double tol, String path) {
    if (x.isNumber() && y.isNumber()) {
      assertThat(y.asDouble()).as(path).isCloseTo(x.asDouble(), within(tol * Math.abs(x.asDouble())));
      return;
    }
    assertThat(y.getNodeType()).as(path).isEqualTo(x.getNodeType());
    if (x.isContainerNode()) {
      assertThat(y.size()).as(path).isEqualTo(x.size());
      if (x.isArray()) {
        for (int i = 0; i < x.size(); i++) {
          assertClose(y.get(i), x.get(i), tol, path + "[" + i + "]");
        }
      } else {
        for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          assertThat(y.has(f)).as(path + "." + f).isTrue();
          assertClose(y.get(f), x.get(f), tol, path + "." + f);
        }
      }
    } else {
      assertThat(y).as(path).isEqualTo(x);
    }
  }
}
