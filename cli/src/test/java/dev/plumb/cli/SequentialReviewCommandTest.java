package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequential review end to end: export round 1, simulate, import, calibrate with the round's
 * α-spending; export round 2 given round 1's gold, import, merge the rounds, calibrate; and
 * {@code plan --review-budget} on the same sample. docs/review.md, "Sequential review".
 */
class SequentialReviewCommandTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");

  @TempDir Path dir;

  private Cli export(ReviewFixture f, Path design, int round, String... extra) {
    List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", f.sample.toString(), "--labels",
        f.labels.toString(), "--gold-design", design.toString(), "--out", dir.resolve("q" + round).toString(),
        "--raters", REVIEW.resolve("raters.txt").toString(), "--seed", "5", "--round", Integer.toString(round)));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private Path answerAndImport(ReviewFixture f, int round) {
    return answerAndImport(f, round, "majority", "gold" + round + ".jsonl");
  }

  private Path answerAndImport(ReviewFixture f, int round, String consensus, String name) {
    Path q = dir.resolve("q" + round);
    Path answers = dir.resolve("answers" + round + ".csv");
    Cli s = Cli.run("queue", "simulate", "--queue", q.toString(), "--truth", f.truth.toString(), "--panel",
        REVIEW.resolve("panel.yaml").toString(), "--out", answers.toString());
    assertThat(s.err()).isEmpty();
    Path gold = dir.resolve(name);
    Cli i = Cli.run("queue", "import", "--answers", answers.toString(), "--queue", q.toString(), "--out", gold.toString(),
        "--consensus", consensus);
    assertThat(i.err()).isEmpty();
    return gold;
  }

  /** A stratified design of 100 reviews in 2 rounds with a target no round meets. */
  private Path twoRounds() throws IOException {
    Path design = dir.resolve("review.yaml");
    Files.writeString(design, "type: stratified\nn: {llm_positive: 40, llm_negative: 60}\noverlap: 3\n"
        + "rounds: 2\ntarget_half_width: 0.01\n");
    return design;
  }

  private Cli calibrate(ReviewFixture f, Path gold, int round) {
    return Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
        gold.toString(), "--out", dir.resolve("report" + round).toString(), "--round-queue",
        dir.resolve("q" + round).toString());
  }

  @Test
  void rounds_export_import_merge_and_calibrate_with_alpha_spending() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    Path design = twoRounds();
    Cli e1 = export(f, design, 1);
    assertThat(e1.err()).isEmpty();
    assertThat(e1.out()).contains("round 1 of 2; after its import: plumb queue merge-rounds");
    Path g1 = answerAndImport(f, 1);
    Cli c1 = calibrate(f, g1, 1);
    assertThat(c1.err()).isEmpty();
    // α_1 = 0.05·(1/4) = 0.0125: intervals at 98.75%; the design's target (±1%) cannot be met
    assertThat(c1.out()).contains("98.75% interval", "Sequential review, round 1 of 2: intervals at 98.75% (5% spread"
        + " over 2 looks, Bonferroni alpha-spending)", "target ±1.0% not met: round 2 reviews ");

    Cli zero = export(f, design, 0);
    assertThat(zero.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(zero.err()).contains("--round: rounds count from 1, got 0");
    Cli missing = export(f, design, 2);
    assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(missing.err()).contains("--reviewed: round 2 needs the gold of the rounds before it");
    Cli e2 = export(f, design, 2, "--reviewed", g1.toString());
    assertThat(e2.err()).isEmpty();
    assertThat(e2.out()).contains("round 2 of 2 (the last)");
    Path g2 = answerAndImport(f, 2);
    Path merged = dir.resolve("gold.jsonl");
    Cli m = Cli.run("queue", "merge-rounds", "--gold", g1.toString(), g2.toString(), "--out", merged.toString());
    assertThat(m.err()).isEmpty();
    assertThat(Files.readAllLines(merged)).hasSize(Files.readAllLines(g1).size() + Files.readAllLines(g2).size());
    Cli c2 = calibrate(f, merged, 2);
    assertThat(c2.err()).isEmpty();
    // α_2 = 0.05·(3/4) = 0.0375
    assertThat(c2.out()).contains("96.25% interval", "round 2 of 2", "target ±1.0% not met: that was the last round");

    // round 1's gold as the pilot of a budget plan
    Path optimal = dir.resolve("optimal.yaml");
    Files.writeString(optimal, "type: stratified\nn: 100\nallocation: optimal\n");
    Cli p = Cli.run("plan", "--review-budget", "100", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", optimal.toString(), "--pilot", g1.toString());
    assertThat(p.err()).isEmpty();
    assertThat(p.out()).contains("Review plan: 100 reviews of 300 sampled units, optimal allocation (smallest workable"
        + " budget 4)", "violation rates from pilot " + g1 + " (Jeffreys", "harassment@1", "self_harm@1",
        "worst relative half-width by allocation");
    // 4 reviews: the LLM-negative stratum's review probably sees none of the violations the pilot says it holds
    Cli thin = Cli.run("plan", "--review-budget", "4", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", optimal.toString(), "--pilot", g1.toString());
    assertThat(thin.out()).containsPattern("warning: \\S+@1, llm_negative: its 2 reviews are expected to see 0\\.\\d\\d of"
        + " the violations it holds \\(\\d+% chance of seeing none\\), \\d+% of the expected prevalence; when they see"
        + " none a Korn–Graubard interval lies below the truth more often than it says \\(kg-gamma, the default, widens it"
        + " beyond this plan where the whole review stratum saw none\\)\\. Reviewing \\d+ of its units");
    // the export of that thin allocation says the same, as a notice
    Path thinDesign = dir.resolve("thin.yaml");
    Files.writeString(thinDesign, "type: stratified\nn: 4\nallocation: optimal\n");
    Cli thinExport = Cli.run("queue", "export", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", thinDesign.toString(), "--out", dir.resolve("thin").toString(), "--raters",
        REVIEW.resolve("raters.txt").toString(), "--seed", "5", "--pilot", g1.toString());
    assertThat(thinExport.err()).isEmpty();
    assertThat(thinExport.out()).containsPattern("notice: \\S+@1, llm_negative: its 2 reviews are expected to see 0\\.\\d\\d"
        + " of the violations it holds");
    Cli small = Cli.run("plan", "--review-budget", "3", "--sample", f.sample.toString(), "--labels", f.labels.toString(),
        "--gold-design", optimal.toString(), "--pilot", g1.toString());
    assertThat(small.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(small.err()).contains("--review-budget: a budget of 3 reviews cannot give each of the 2 review strata the 2"
        + " reviewed units its variance estimate needs; the smallest workable budget is 4");
  }

  @Test
  void merge_rounds_of_error_model_gold_takes_adjudications_by_unit_and_refuses_mixed_consensus() throws IOException {
    ReviewFixture f = new ReviewFixture(dir, 300);
    Path design = twoRounds();
    assertThat(export(f, design, 1).err()).isEmpty();
    Path g1 = answerAndImport(f, 1, "error-model", "gold1.jsonl");
    assertThat(export(f, design, 2, "--reviewed", g1.toString()).err()).isEmpty();
    Path g2 = answerAndImport(f, 2, "error-model", "gold2.jsonl");
    Path merged = dir.resolve("merged.jsonl");

    // an adjudication whose unit no round reviewed: one line, nothing written
    String header = "item,unit,policy,candidates,votes,rater,decision,category\n";
    com.fasterxml.jackson.databind.JsonNode first = dev.plumb.core.Json.mapper().readTree(Files.readAllLines(g2).get(0));
    String policy = first.path("policy").asText();
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, header + "q-0001,not-a-unit," + policy + ",,,expert,safe,\n");
    Cli unknown = Cli.run("queue", "merge-rounds", "--gold", g1.toString(), g2.toString(), "--out", merged.toString(),
        "--adjudicated", bad.toString());
    assertThat(unknown.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(unknown.err()).isEqualTo(bad + ":2: unit: unit \"not-a-unit\" is in no round's queue (rounds 1-2)\n");
    assertThat(merged).doesNotExist();

    // round 2's first unit decided the other way by an adjudicator: the merged record says so
    String other = first.path("positive").asBoolean() ? "safe" : "violating";
    Path adj = dir.resolve("adj.csv");
    Files.writeString(adj, header + first.path("item").asText() + "," + first.path("unit").asText() + "," + policy
        + ",,,expert," + other + ",\n");
    Cli m = Cli.run("queue", "merge-rounds", "--gold", g1.toString(), g2.toString(), "--out", merged.toString(),
        "--adjudicated", adj.toString());
    assertThat(m.err()).isEmpty();
    assertThat(m.out()).contains("(one rater-error model over every round's answers)");
    com.fasterxml.jackson.databind.JsonNode decided = null;
    for (String line : Files.readAllLines(merged)) {
      com.fasterxml.jackson.databind.JsonNode o = dev.plumb.core.Json.mapper().readTree(line);
      if (o.path("unit").equals(first.path("unit")) && o.path("policy").asText().equals(policy)) {
        decided = o;
      }
    }
    assertThat(decided).isNotNull();
    assertThat(decided.path("decision").asText()).isEqualTo(other);
    assertThat(decided.path("adjudicated").asBoolean()).isTrue();
    assertThat(decided.path("item").asText()).isEqualTo(first.path("item").asText());
    assertThat(decided.path("round").asInt()).isEqualTo(2);

    // round 1 by majority, round 2 by the error model: refused, saying which round used which
    Path m1 = answerAndImport(f, 1, "majority", "majority1.jsonl");
    Cli mixed = Cli.run("queue", "merge-rounds", "--gold", m1.toString(), g2.toString(), "--out", merged.toString());
    assertThat(mixed.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(mixed.err()).isEqualTo(g2 + ": the rounds were imported with different consensus (round 1 majority,"
        + " round 2 error-model); error-model gold is merged by one model over every round's answers, so import every"
        + " round with --consensus error-model, or none\n");
    // majority gold keeps each round's adjudications as imported: --adjudicated is for error-model gold
    Path m2 = answerAndImport(f, 2, "majority", "majority2.jsonl");
    Cli majority = Cli.run("queue", "merge-rounds", "--gold", m1.toString(), m2.toString(), "--out", merged.toString(),
        "--adjudicated", adj.toString());
    assertThat(majority.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(majority.err()).isEqualTo(adj + ": --adjudicated decides the ties of error-model gold in the merge; other"
        + " gold keeps each round's adjudications as they are: import the round again with --adjudicated, then merge\n");
  }
}
