package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One unit check (core {@code UnitCheck}) for every reader of a units file: the sampler ({@code
 * sample}, sampling-frame profile) and the labeler's reader ({@code score}, {@code label}, units
 * profile) print the same {@code file:line: field: message} for the same bad unit (issue 18: sample
 * accepted units that label rejected later, with other words).
 */
class UnitCheckAcrossCommandsTest {
  @TempDir Path dir;

  private static final String GOOD = "{\"id\":\"a\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"summer outfits\"}]}";
  private static final String PART = "\"components\":[{\"id\":\"q\",\"text\":\"hi\"}]";

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"id\":\"b\",\"components\":[{\"id\":\"q\",\"kind\":\"query\"}]}"
          + "|components[0]: needs text or an image",
      "{\"id\":\"b\",\"components\":[{\"id\":\"q\",\"text\":\"x\"},{\"id\":\"q\",\"text\":\"y\"}]}"
          + "|components[1].id: duplicate component id \"q\"",
      "{\"id\":\"b\",\"components\":[{\"text\":\"x\"}]}|components[0].id: missing",
      "{\"id\":\"b\",\"components\":[{\"id\":\"q\",\"text\":7}]}|components[0].text: expected a string",
      "{\"id\":\"b\",\"components\":[]}|components: expected a non-empty array",
      "{\"id\":\"b\",\"components\":\"x\"}|components: expected a non-empty array",
      "{\"id\":\"b\",\"weight\":-1,PART}|weight: must be a finite number >= 0, found -1",
      "{\"id\":\"b\",\"scores\":{\"self_harm\":2},PART}|scores.self_harm: must be a number in [0, 1], found 2",
      "{\"id\":\"b\",\"attributes\":[1],PART}|attributes: expected an object, found an array",
      "{\"id\":\"\",PART}|id: expected a non-empty string",
      "{PART}|id: missing",
      "{\"id\":\"a\",PART}|id: duplicate unit id \"a\" (first on line 1)",
  })
  void sample_and_score_report_a_bad_unit_with_the_same_line(String bad, String problem) throws IOException {
    Path frame = dir.resolve("units.jsonl");
    Files.writeString(frame, GOOD + "\n" + bad.replace("PART", PART) + "\n");
    String expected = frame + ":2: " + problem;

    Path design = dir.resolve("d.yaml");
    Files.writeString(design, "type: srs\nn: 1\n");
    Cli sample = Cli.run("sample", "--frame", frame.toString(), "--design", design.toString(),
        "--out", dir.resolve("s.jsonl").toString(), "--seed", "1");
    assertThat(sample.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(sample.err()).isEqualTo(expected + System.lineSeparator());

    Cli score = Cli.run("score", "--frame", frame.toString(), "--out", dir.resolve("o.jsonl").toString(),
        "--policies", ScoreCommandTest.POLICIES, "--policy", "self_harm");
    assertThat(score.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(score.err().lines().toList()).containsExactly(expected);
  }

  /**
   * The sampling-frame profile: a frame of ids, weights and scores (no components) can be sampled —
   * sampling reads nothing else — while a reader that labels needs the components.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{\"id\":\"b\",\"weight\":3}"})
  void a_unit_without_components_is_a_sampling_frame_unit_but_not_a_unit_to_score(String line) throws IOException {
    Path frame = dir.resolve("units.jsonl");
    Files.writeString(frame, GOOD + "\n" + line + "\n");
    Path design = dir.resolve("d.yaml");
    Files.writeString(design, "type: srs\nn: 1\n");
    Cli sample = Cli.run("sample", "--frame", frame.toString(), "--design", design.toString(),
        "--out", dir.resolve("s.jsonl").toString(), "--seed", "1");
    assertThat(sample.code()).as(sample.err()).isZero();

    Cli score = Cli.run("score", "--frame", frame.toString(), "--out", dir.resolve("o.jsonl").toString(),
        "--policies", ScoreCommandTest.POLICIES, "--policy", "self_harm");
    assertThat(score.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(score.err().lines().toList()).containsExactly(frame + ":2: components: expected a non-empty array");
  }
}
