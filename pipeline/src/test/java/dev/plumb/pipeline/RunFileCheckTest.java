package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "The run file is checked before anything runs": {@link RunFile#read} reads every
 * configuration the run file names or holds and resolves its policies, reporting every problem of
 * the file at once with file:line:field, before a stage could run.
 */
class RunFileCheckTest {
  @TempDir Path dir;

  /** The demo's run file, as a copy beside the repository's policies, reviewers and fixtures. */
  private Path demo(String from, String to) throws IOException {
    Path fixtures = Path.of("../fixtures").toAbsolutePath().normalize();
    String text = Files.readString(fixtures.resolve("demo/run.yaml"))
        .replace("../../policies", fixtures.resolveSibling("policies").toString())
        .replace("../../prompts", fixtures.resolveSibling("prompts").toString())
        .replace("../review/", fixtures.resolve("review") + "/")
        .replace("../../out/demo", dir.resolve("out").toString());
    from = from.replace("../../out/demo", dir.resolve("out").toString());
    assertThat(text).contains(from);
    Path run = dir.resolve("run.yaml");
    Files.writeString(run, text.replace(from, to));
    return run;
  }

  private static List<String> problems(Path run) {
    try {
      RunFile.read(run);
    } catch (InputException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("no problem found in " + run);
  }

  @Test
  void the_demo_run_file_is_valid() throws IOException {
    assertThat(RunFile.read(demo("seed: 5", "seed: 5")).run().review().seed()).isEqualTo(5L);
  }

  @Test
  void should_report_every_problem_of_the_file_at_once_with_its_line() throws IOException {
    Path run = demo("    overlap: 4\n", "    overlaps: 4\n");
    Files.writeString(run, Files.readString(run)
        .replace("use: [adult_sexual, harassment, misinformation, self_harm]",
            "use: [adult_sexual, harassment, misinformation, self_harm@7]")
        .replace("min_gold: {warn: 200, fail: 50}", "min_gold: {warn: 20, fail: 50}")
        .replace("period: 2026-11-25", "period: 2026-13-45"));
    String r = run.toString();
    // in the order of the run file's sections: policies, review, signoff, report
    assertThat(problems(run)).containsExactly(
        r + ":18:51: policies.use[3]: self_harm@7 does not exist; self_harm has versions 1 (retired), 2 (active)",
        r + ":64:15: review.design.overlaps: unknown option (options: type, stratify_by, n, allocation,"
            + " weight_classes, classes_by, overlap, honeypot_rate, rater_bar, seed, rounds, target_half_width, floor)",
        r + ":82:13: signoff.min_gold: warn 20 must be at least fail 50",
        r + ":94:11: report.period: \"2026-13-45\" is not a period: expected a day (2026-11-25) or an ISO week (2026-W48)");
  }

  @Test
  void a_run_file_without_output_has_that_one_problem() throws IOException {
    Path run = demo("output: " + dir.resolve("out") + "\n", "");
    assertThat(problems(run)).containsExactly(run + ":5:1: output: missing");
  }

  @Test
  void a_missing_input_file_is_found_at_load_but_one_an_earlier_stage_writes_is_not() throws IOException {
    Path run = demo("  raters: ", "  raters: nowhere.txt\n  #");
    assertThat(problems(run)).singleElement().asString()
        .matches(java.util.regex.Pattern.quote(run.toString()) + ":\\d+:\\d+: review.raters: file not found: .*nowhere.txt");
  }
}
