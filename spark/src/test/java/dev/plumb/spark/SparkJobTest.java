package dev.plumb.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.synthetic.SyntheticFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point, run in-process on the shared local session. */
class SparkJobTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkJob.run(LocalSpark.session(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void should_draw_a_sample_and_write_both_files_when_given_plumb_sample_options() throws IOException {
    Path frame = dir.resolve("units.jsonl.gz");
    SyntheticFrame.write(frame, null, 500, 5);
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: srs\nn: 40\n");
    Path out = dir.resolve("out/sample.jsonl");

    Run r = run("sample", "--frame", frame.toString(), "--design", design.toString(), "--out", out.toString(),
        "--seed", "9");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("srs sample of 40 units (40 draws) from " + frame + " (500 units), seed 9\n")
        .contains("wrote " + out + " and " + dir.resolve("out/sample.json"));
    assertThat(Files.readAllLines(out)).hasSize(40);
    assertThat(Files.readString(dir.resolve("out/sample.json"))).contains("\"created_by\" : \"plumb-spark ");
  }

  @Test
  void should_exit_2_with_the_located_problem_when_the_design_is_bad() throws IOException {
    Path design = dir.resolve("design.yaml");
    Files.writeString(design, "type: srs\nn: 0\n");

    Run r = run("sample", "--frame", dir.toString(), "--design", design.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(design + ":2:4: n: expected a whole number from 1 to 2147483639, got 0\n");
  }

  @Test
  void should_exit_2_and_name_the_option_when_the_command_line_is_wrong() {
    Run r = run("sample", "--frame", "f", "--desing", "d");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("plumb-spark: unknown option --desing for sample\n");
  }
}
