package dev.plumb.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.core.Json;
import dev.plumb.units.ProblemLogs;
import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark units against DuckDB units ({@code plumb units build}) from the same units.yaml and files:
 * the committed fixture logs (10,000 interactions) and small tables with every data problem once.
 */
class SparkUnitsTest {
  @TempDir Path tmp;

  private static final Path FIXTURE = Path.of("..", "fixtures", "logs", "units.yaml");

  private static UnitBuilder.Summary duck(Path config, Path out, boolean strict) {
    return UnitBuilder.build(new UnitBuilder.Options(UnitsConfig.read(config), out, strict, "1GB", 2, "test"));
  }

  private static UnitBuilder.Summary spark(Path config, String out, boolean strict) {
    SparkSession spark = LocalSpark.session();
    return SparkUnits.build(spark, new SparkUnits.Request(UnitsConfig.read(config), out, strict, "test"));
  }

  @Test
  void should_write_the_duckdb_units_as_sorted_part_files_from_the_fixture_logs_and_sample_them_alike()
      throws IOException {
    Path a = tmp.resolve("duck/units.jsonl");
    Path dir = tmp.resolve("spark/units");
    UnitBuilder.Summary d = duck(FIXTURE, a, false);
    UnitBuilder.Summary s = spark(FIXTURE, dir.toString(), false);

    assertThat(d.units()).isEqualTo(10_000);
    assertSameBuild(s, d);
    List<Path> parts;
    try (Stream<Path> files = Files.list(dir)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    assertThat(parts).hasSizeGreaterThan(1);
    StringBuilder joined = new StringBuilder();
    for (Path p : parts) {
      joined.append(Files.readString(p));
    }
    assertThat(joined.toString()).isEqualTo(Files.readString(a)); // sorted by id across the parts
    assertSameManifest(tmp.resolve("spark/units.json"), tmp.resolve("duck/units.json"));

    SamplingDesign design = DesignFile.parse("type: priority\nn: 300\nsize: weight * score(self_harm)\n",
        "design.yaml").design();
    Path x = tmp.resolve("x/sample.jsonl");
    Path y = tmp.resolve("y/sample.jsonl");
    Sampler.run(new Sampler.Request(a, design, 17, x, "test"));
    SparkSampler.run(LocalSpark.session(), new SparkSampler.Request(dir.toString(), design, 17, y, "test"));
    assertThat(Files.readString(y)).isEqualTo(Files.readString(x));
  }

  @Test
  void should_count_and_resolve_every_data_problem_as_duckdb_does() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Path a = tmp.resolve("duck/units.jsonl");
    Path b = tmp.resolve("spark/units.jsonl");
    UnitBuilder.Summary d = duck(config, a, false);
    UnitBuilder.Summary s = spark(config, b.toString(), false);

    assertThat(d.problems().values()).allMatch(n -> n > 0); // the fixture has every problem
    assertSameBuild(s, d);
    assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    assertSameManifest(tmp.resolve("spark/units.json"), tmp.resolve("duck/units.json"));
  }

  @Test
  void should_build_the_same_units_with_mean_scores_fixed_imputation_and_no_impressions() throws IOException {
    Path config = ProblemLogs.write(tmp);
    Files.writeString(config, ProblemLogs.CONFIG
        .replaceAll("(?s)  impressions:.*?count: n}\n", "")
        .replace("  user: hash\n  user_salt: s3cret\n", "")
        .replace("{aggregate: max, missing: mean}", "{aggregate: mean, missing: 0.05, policies: [self_harm]}"));
    Path a = tmp.resolve("a.jsonl");
    Path b = tmp.resolve("b.jsonl");
    UnitBuilder.Summary d = duck(config, a, false);
    UnitBuilder.Summary s = spark(config, b.toString(), false);

    assertSameBuild(s, d);
    assertThat(Files.readString(b)).isEqualTo(Files.readString(a)).contains("{\"self_harm\":0.533333}");
  }

  @Test
  void should_write_nothing_under_strict_when_the_data_have_problems() throws IOException {
    Path config = ProblemLogs.write(tmp);
    UnitBuilder.Summary s = spark(config, tmp.resolve("out/units.jsonl").toString(), true);

    assertThat(s.written()).isFalse();
    assertThat(s.problemCount()).isEqualTo(19);
    assertThat(tmp.resolve("out/units.jsonl")).doesNotExist();
    assertThat(tmp.resolve("out/units.json")).doesNotExist();
  }

  private static void assertSameBuild(UnitBuilder.Summary s, UnitBuilder.Summary d) {
    assertThat(s.written()).isTrue();
    assertThat(s.problems()).containsExactlyEntriesOf(d.problems());
    assertThat(s.rows()).isEqualTo(d.rows());
    assertThat(s.policies()).isEqualTo(d.policies());
    assertThat(s.imputed()).isEqualTo(d.imputed());
    assertThat(s.imputedValue()).isEqualTo(d.imputedValue());
    assertThat(s.units()).isEqualTo(d.units());
    assertThat(s.components()).isEqualTo(d.components());
    assertThat(s.weight()).isEqualTo(d.weight());
  }

  /** Equal except for the engine and the time taken. */
  private static void assertSameManifest(Path spark, Path duck) throws IOException {
    JsonNode x = Json.mapper().readTree(duck.toFile());
    JsonNode y = Json.mapper().readTree(spark.toFile());
    assertThat(y.get("engine").asText()).startsWith("spark 4.");
    for (JsonNode m : java.util.List.of(x, y)) {
      ((ObjectNode) m).remove(java.util.List.of("engine", "seconds"));
    }
    assertThat(y).isEqualTo(x);
  }
}
