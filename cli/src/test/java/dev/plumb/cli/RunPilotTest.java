package dev.plumb.cli;

import static dev.plumb.cli.RunCommandTest.copyTree;
import static dev.plumb.cli.RunCommandTest.stages;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code review.pilot: previous} in {@code plumb run} (docs/run.md, "The previous period as the
 * pilot"): a first run allocates from the risk scores and says so; the next period's run allocates
 * from the first one's gold and labels — the queue {@code queue export --pilot} of those files draws.
 */
class RunPilotTest {
  @TempDir Path dir;
  Path file;

  @BeforeEach
  void setUp() throws IOException {
    copyTree(Path.of("..", "policies"), dir.resolve("policies"));
    copyTree(Path.of("..", "prompts"), dir.resolve("prompts"));
    copyTree(Path.of("..", "fixtures", "review"), dir.resolve("review"));
    file = dir.resolve("run.yaml");
  }

  private static String run(String output, String period, String pilot) {
    return """
        output: %s
        input:
          generate: {interactions: 600, seed: 3}
        scoring:
          from: logs
        sampling:
          seed: 1
          design: {type: priority, n: 200, size: "weight * max(score(self_harm), score(harassment))"}
        review:
          design:
            type: stratified
            stratify_by: any_positive
            n: 80
            allocation: optimal
            weight_classes: 3
            overlap: 3
          seed: 5
          raters: review/raters.txt
          %s
          answers:
            simulate:
              panel: review/panel.yaml
        report:
          history: h.duckdb
          period: %s
        """.formatted(output, pilot, period);
  }

  private static String queueLine(Cli r) {
    return r.err().lines().filter(l -> l.matches("^\\[\\s*\\d+/\\d+\\] queue .*")).findFirst().orElseThrow();
  }

  @Test
  void the_previous_period_is_the_pilot_and_a_first_run_uses_the_scores() throws IOException {
    Path history = dir.resolve("h.duckdb");

    Files.writeString(file, run("day1", "2026-11-24", "pilot: previous"));
    Cli first = Cli.run("run", file.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(queueLine(first)).contains("; pilot: none (no run recorded before this period in series main of "
        + history + "): rates from the risk scores");

    Files.writeString(file, run("day2", "2026-11-25", "pilot: previous"));
    Cli second = Cli.run("run", file.toString());
    assertThat(second.code()).as(second.err()).isEqualTo(ExitCode.OK);
    Path day1 = dir.resolve("day1");
    assertThat(queueLine(second)).contains("; pilot: 2026-11-24 of series main (" + history + "): "
        + day1.resolve("gold.jsonl") + ", labels " + day1.resolve("labels.jsonl"));
    // the run drew what queue export draws with that period's files as the pilot
    Path day2 = dir.resolve("day2");
    Path design = dir.resolve("day2/config/review.yaml");
    Cli export = Cli.run("queue", "export", "--sample", day2.resolve("sample.jsonl").toString(), "--labels",
        day2.resolve("labels.jsonl").toString(), "--gold-design", design.toString(), "--out",
        dir.resolve("by-hand").toString(), "--raters", dir.resolve("review/raters.txt").toString(), "--seed", "5",
        "--policies", dir.resolve("policies").toString(), "--pilot", day1.resolve("gold.jsonl").toString(),
        "--pilot-labels", day1.resolve("labels.jsonl").toString());
    assertThat(export.err()).isEmpty();
    assertThat(Files.readString(dir.resolve("by-hand/queue.csv"))).isEqualTo(Files.readString(day2.resolve("queue/queue.csv")));
    // and not what the scores alone draw
    Cli scores = Cli.run("queue", "export", "--sample", day2.resolve("sample.jsonl").toString(), "--labels",
        day2.resolve("labels.jsonl").toString(), "--gold-design", design.toString(), "--out",
        dir.resolve("scores").toString(), "--raters", dir.resolve("review/raters.txt").toString(), "--seed", "5",
        "--policies", dir.resolve("policies").toString());
    assertThat(scores.err()).isEmpty();
    assertThat(Files.readString(dir.resolve("scores/queue.csv"))).isNotEqualTo(Files.readString(day2.resolve("queue/queue.csv")));

    // a rerun of the period: the same pilot, nothing redone
    assertThat(stages(Cli.run("run", file.toString())).values()).containsOnly("skipped");

    // the next period written into the same folder would read its own labels as the pilot's
    Files.writeString(file, run("day2", "2026-11-26", "pilot: previous"));
    Cli same = Cli.run("run", file.toString());
    assertThat(same.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(same.err()).contains(file + ": review.pilot: the previous run (2026-11-25 in " + history
        + ") was written to this run's output folder " + day2 + ", whose labels are now this run's; give each period its"
        + " own output folder\n");
  }

  @Test
  void a_pilot_without_a_history_is_a_located_line() throws IOException {
    Files.writeString(file, run("day1", "2026-11-24", "pilot: previous").replace("  history: h.duckdb\n  period: 2026-11-24\n", "  by: [surface]\n"));
    Cli r = Cli.run("run", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(file + ":19:10: review.pilot: previous reads the previous run from report.history,"
        + " which is not given\n");
    Files.writeString(file, run("day1", "2026-11-24", "pilot: last"));
    assertThat(Cli.run("run", file.toString()).err()).startsWith(file + ":19:10: review.pilot: expected one of previous, got \"last\"");
  }
}
