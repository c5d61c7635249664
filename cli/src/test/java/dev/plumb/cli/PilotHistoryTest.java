package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.plumb.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last period of a history series as the pilot of a review allocation ({@code plan
 * --review-budget} and {@code queue export} with {@code --pilot-history}; docs/review.md,
 * "Allocating a review budget"): a tiny history of one reviewed period whose run folder holds its
 * sample, labels and gold (the layout {@code plumb run} writes), then the next period's plan.
 */
class PilotHistoryTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");
  static final String PERIOD = "2026-11-24";

  @TempDir Path dir;
  Path history;
  Path period;
  ReviewFixture now;
  Path optimal;

  /** Reviews {@link #PERIOD} (fixed stratified review, simulated panel) and records it in {@link #history}. */
  @BeforeEach
  void recordOnePeriod() throws IOException {
    period = dir.resolve("runs").resolve(PERIOD);
    ReviewFixture past = new ReviewFixture(Files.createDirectories(period), 300);
    Path fixed = past.write("review.yaml", "type: stratified\nn: {llm_positive: 40, llm_negative: 60}\noverlap: 3\n");
    Path queue = period.resolve("queue");
    assertThat(Cli.run("queue", "export", "--sample", past.sample.toString(), "--labels", past.labels.toString(),
        "--gold-design", fixed.toString(), "--out", queue.toString(), "--raters", REVIEW.resolve("raters.txt").toString(),
        "--seed", "3").err()).isEmpty();
    Path answers = period.resolve("answers.csv");
    assertThat(Cli.run("queue", "simulate", "--queue", queue.toString(), "--truth", past.truth.toString(), "--panel",
        REVIEW.resolve("panel.yaml").toString(), "--out", answers.toString()).err()).isEmpty();
    assertThat(Cli.run("queue", "import", "--answers", answers.toString(), "--queue", queue.toString(), "--out",
        period.resolve("gold.jsonl").toString()).err()).isEmpty();
    history = dir.resolve("h.duckdb");
    // report.json in the run folder, as plumb run writes it
    Cli c = Cli.run("calibrate", "--sample", past.sample.toString(), "--labels", past.labels.toString(), "--gold",
        period.resolve("gold.jsonl").toString(), "--out", period.toString(), "--history", history.toString(),
        "--period", PERIOD);
    assertThat(c.err()).isEmpty();
    now = new ReviewFixture(Files.createDirectories(dir.resolve("now")), 300);
    optimal = now.write("optimal.yaml", "type: stratified\nn: 100\nallocation: optimal\nweight_classes: 2\n");
  }

  private Cli plan(String... pilot) {
    List<String> args = new ArrayList<>(List.of("plan", "--review-budget", "100", "--sample", now.sample.toString(),
        "--labels", now.labels.toString(), "--gold-design", optimal.toString()));
    args.addAll(List.of(pilot));
    return Cli.run(args.toArray(String[]::new));
  }

  private Cli export(String out, String... pilot) {
    List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", now.sample.toString(), "--labels",
        now.labels.toString(), "--gold-design", optimal.toString(), "--out", dir.resolve(out).toString(), "--seed", "9"));
    args.addAll(List.of(pilot));
    return Cli.run(args.toArray(String[]::new));
  }

  private String pilotLine() {
    return "pilot: " + PERIOD + " of series main (" + history + "): " + period.resolve("gold.jsonl") + ", labels "
        + period.resolve("labels.jsonl") + "\n";
  }

  @Test
  void the_history_pilot_plans_and_draws_what_the_explicit_pilot_of_that_period_does() throws IOException {
    Cli explicit = plan("--pilot", period.resolve("gold.jsonl").toString(), "--pilot-labels",
        period.resolve("labels.jsonl").toString());
    assertThat(explicit.err()).isEmpty();
    assertThat(explicit.out()).contains("violation rates from pilot " + period.resolve("gold.jsonl") + " (Jeffreys");
    Cli fromHistory = plan("--pilot-history", history.toString());
    assertThat(fromHistory.err()).isEmpty();
    assertThat(fromHistory.out()).isEqualTo(pilotLine() + explicit.out());
    // the run folder named by a template, as plumb backfill --runs
    Cli templated = plan("--pilot-history", history.toString(), "--series", "main", "--pilot-runs",
        dir.resolve("runs").resolve("{period}").toString());
    assertThat(templated.out()).isEqualTo(fromHistory.out());
    // the pilot is what the plan stands on: this sample has no risk scores
    assertThat(plan().err()).endsWith("sample.jsonl:1: scores.harassment: missing; allocating a review budget needs"
        + " every sampled unit's risk score (plumb score) or a pilot review (--pilot gold.jsonl, or --pilot-history)\n");

    Cli e1 = export("q-explicit", "--pilot", period.resolve("gold.jsonl").toString(), "--pilot-labels",
        period.resolve("labels.jsonl").toString());
    Cli e2 = export("q-history", "--pilot-history", history.toString());
    assertThat(e1.err()).isEmpty();
    assertThat(e2.err()).isEmpty();
    assertThat(e2.out()).contains(pilotLine());
    assertThat(e2.out().replace(pilotLine(), "").replace("q-history", "q-explicit")).isEqualTo(e1.out());
    assertThat(Files.readString(dir.resolve("q-history/queue.csv")))
        .isEqualTo(Files.readString(dir.resolve("q-explicit/queue.csv")));
  }

  @Test
  void a_pilot_of_another_policy_version_is_used_and_said() throws IOException {
    // this period labels self_harm@2; the recorded period reviewed self_harm@1
    Files.writeString(now.labels, Files.readString(now.labels).replace("\"self_harm@1\"", "\"self_harm@2\""));
    Cli p = plan("--pilot-history", history.toString());
    assertThat(p.err()).isEmpty();
    assertThat(p.out()).contains(pilotLine(), "; pilot gold of self_harm@1 used for self_harm@2: its violation rates"
        + " are read per policy id and LLM call\n", "self_harm@2 ");
    Cli e = export("q", "--pilot-history", history.toString());
    assertThat(e.err()).isEmpty();
    assertThat(e.out()).contains("notice: pilot gold of self_harm@1 used for self_harm@2: its violation rates are read"
        + " per policy id and LLM call\n");
  }

  /**
   * A pilot period whose gold found no violation at all: every cell's rate is the Jeffreys posterior
   * mean (0 + ½)/(n_c + 1), never 0, so every policy keeps an expected prevalence and a finite
   * relative half-width.
   */
  @Test
  void a_pilot_without_positives_falls_back_to_the_jeffreys_prior_not_to_zero_variance() throws IOException {
    Path gold = period.resolve("gold.jsonl");
    Files.writeString(gold, Files.readString(gold).replace("\"positive\":true", "\"positive\":false"));
    Cli p = plan("--pilot-history", history.toString());
    assertThat(p.err()).isEmpty();
    assertThat(p.out()).startsWith(pilotLine());
    for (String policy : List.of("self_harm@1", "harassment@1")) {
      String row = p.out().lines().filter(l -> l.startsWith(policy)).findFirst().orElseThrow();
      String[] cells = row.trim().split("\\s+");
      // policy, expected, half-width, relative: the prior's prevalence, and a finite relative half-width
      assertThat(Double.parseDouble(cells[1].replace("%", "")) / 100).isCloseTo(jeffreysPrevalence(policy, gold),
          withinPercentage(0.5));
      assertThat(cells[3]).doesNotContain("Infinity", "∞").matches("±[0-9.]+%");
    }
    assertThat(p.out()).isEqualTo(pilotLine() + plan("--pilot", gold.toString(), "--pilot-labels",
        period.resolve("labels.jsonl").toString()).out());
  }

  /**
   * The expected prevalence by hand: each unit's rate is its cell's (0 + ½)/(n_c + 1), n_c the pilot's
   * reviewed units of that LLM call for the policy, weighted by exposure × phase-1 design weight (the
   * fixture's strata: N/n = 50 in s1, 5 in s2).
   */
  private double jeffreysPrevalence(String policy, Path gold) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Boolean> call = new HashMap<>();
    for (String line : Files.readAllLines(now.labels)) {
      JsonNode l = json.readTree(line);
      if (l.get("policy").asText().equals(policy)) {
        call.put(l.get("unit").asText(), l.get("positive").asBoolean());
      }
    }
    int[] reviewed = new int[2];
    for (String line : Files.readAllLines(gold)) {
      JsonNode g = json.readTree(line);
      if (g.get("policy").asText().equals(policy)) {
        assertThat(g.get("positive").asBoolean()).isFalse();
        reviewed[call.get(g.get("unit").asText()) ? 1 : 0]++;
      }
    }
    double num = 0;
    double total = 0;
    for (String line : Files.readAllLines(now.sample)) {
      JsonNode u = json.readTree(line);
      double w = u.get("weight").asDouble() * (u.at("/design/stratum").asText().equals("s1") ? 50 : 5);
      int c = call.get(u.get("id").asText()) ? 1 : 0;
      num += w * 0.5 / (reviewed[c] + 1);
      total += w;
    }
    return num / total;
  }

  private void assertBad(Cli c, String line) {
    assertThat(c.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(c.err()).isEqualTo(line + "\n");
    assertThat(c.out()).isEmpty();
  }

  @Test
  void every_bad_history_pilot_is_one_line() throws IOException {
    assertBad(plan("--pilot-history", history.toString(), "--series", "backfill:self_harm@2"),
        "--pilot-history: " + history + " has no run recorded in series \"backfill:self_harm@2\" (its series: main)");
    Path empty = dir.resolve("empty.duckdb");
    HistoryStore.open(empty).close();
    assertBad(plan("--pilot-history", empty.toString()),
        "--pilot-history: " + empty + " has no run recorded in series \"main\" (it has no run at all)");
    Path generated = dir.resolve("generated.duckdb");
    assertThat(Cli.run("history", "generate", "--history", generated.toString(), "--days", "2").err()).isEmpty();
    assertBad(plan("--pilot-history", generated.toString()), "--pilot-history: the run of 2026-10-03 in series main of "
        + generated + " was recorded from generated:seed=1, not a report in a run folder; name the run folders with"
        + " --pilot-runs 'DIR/{period}'");
    assertBad(plan("--pilot-history", history.toString(), "--pilot-runs", dir.resolve("elsewhere/{period}").toString()),
        "--pilot-history: the run folder of " + PERIOD + " in series main of " + history + " is gone: "
            + dir.resolve("elsewhere/" + PERIOD) + " not found");
    Files.move(period.resolve("labels.jsonl"), period.resolve("labels.old"));
    assertBad(export("q", "--pilot-history", history.toString()), "--pilot-history: the run of " + PERIOD
        + " in series main of " + history + " has no labels.jsonl: " + period.resolve("labels.jsonl") + " not found");
    assertThat(dir.resolve("q")).doesNotExist();
    Files.delete(period.resolve("gold.jsonl"));
    assertBad(plan("--pilot-history", history.toString()), "--pilot-history: the run of " + PERIOD + " in series main of "
        + history + " has no gold.jsonl: " + period.resolve("gold.jsonl") + " not found");
    Files.move(period, dir.resolve("moved"));
    assertBad(plan("--pilot-history", history.toString()), "--pilot-history: the run folder of " + PERIOD
        + " in series main of " + history + " is gone: " + period + " not found");

    assertBad(plan("--pilot-history", history.toString(), "--pilot", "gold.jsonl"),
        "--pilot-history: the pilot is the history's last period; give it or --pilot, not both");
    assertBad(plan("--pilot-runs", "out/{period}"),
        "--pilot-runs: needs --pilot-history (the history whose last period is the pilot)");
    assertBad(export("q", "--series", "main"), "--series: needs --pilot-history (the history whose last period is the pilot)");
    // plan's pilot options sit in a mixin of a mixin (PlanReview): --series is still seen as given
    assertBad(plan("--series", "main"), "--series: needs --pilot-history (the history whose last period is the pilot)");
    assertBad(plan("--pilot-labels", "labels.jsonl"), "--pilot-labels: needs --pilot (the gold those labels belong to)");
  }
}
