package dev.plumb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A synthetic labeled sample for review-queue tests: a stratified phase-1 sample (stratum s1:
 * N = 10 000, n = 200; s2: N = 500, n = 100), LLM labels for self_harm@1 and harassment@1, and
 * the ground truth the simulated panel answers from. Seeded: the same files every time.
 */
final class ReviewFixture {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String[] POLICIES = {"self_harm", "harassment"};
  static final String[][] CATEGORIES = {{"promotion", "instructions", "graphic_depiction"},
      {"threats", "targeted_insults", "sexual_harassment", "exposure_and_pile_ons"}};

  final Path dir;
  final Path sample;
  final Path manifest;
  final Path labels;
  final Path truth;
  /** LLM-positive units for any policy. */
  int llmPositive;

  ReviewFixture(Path dir, int units) throws IOException {
    this.dir = dir;
    this.sample = dir.resolve("sample.jsonl");
    this.manifest = dir.resolve("sample.json");
    this.labels = dir.resolve("labels.jsonl");
    this.truth = dir.resolve("truth.jsonl");
    Random rnd = new Random(20261201L);
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    StringBuilder t = new StringBuilder();
    int n1 = units * 2 / 3;
    for (int i = 0; i < units; i++) {
      String id = "u-" + (i + 1);
      boolean first = i < n1;
      s.append(String.format(Locale.ROOT,
          "{\"id\":\"%s\",\"weight\":%d,\"attributes\":{\"surface\":\"%s\"},\"components\":[{\"id\":\"query\","
              + "\"kind\":\"query\",\"text\":\"query %d\"},{\"id\":\"pin-%d\",\"kind\":\"pin\",\"text\":\"a pin, with"
              + " \\\"quotes\\\"\",\"image\":\"pins/%d.png\"}],\"design\":{\"stratum\":\"%s\",\"pi\":%s}}%n",
          id, 1 + rnd.nextInt(50), i % 2 == 0 ? "search" : "home", i, i, i, first ? "s1" : "s2",
          first ? "0.02" : "0.2"));
      boolean anyPositive = false;
      for (int p = 0; p < POLICIES.length; p++) {
        boolean truePositive = rnd.nextDouble() < (first ? 0.05 : 0.3);
        String truthDecision = truePositive ? "violating" : rnd.nextDouble() < 0.1 ? "borderline" : "safe";
        String category = truePositive ? CATEGORIES[p][rnd.nextInt(CATEGORIES[p].length)] : null;
        t.append(String.format(Locale.ROOT, "{\"unit\":\"%s\",\"policy\":\"%s\",\"decision\":\"%s\",\"positive\":%s,"
            + "\"category\":%s}%n", id, POLICIES[p], truthDecision, truePositive, category == null ? "null" : "\"" + category + "\""));
        boolean llm = truePositive ? rnd.nextDouble() < 0.85 : rnd.nextDouble() < 0.05;
        anyPositive |= llm;
        String decision = llm ? "violating" : truthDecision.equals("violating") ? "borderline" : truthDecision;
        l.append(String.format(Locale.ROOT, "{\"unit\":\"%s\",\"policy\":\"%s@1\",\"decision\":\"%s\",\"positive\":%s,"
            + "\"category\":%s,\"confidence\":%.2f,\"status\":\"ok\",\"model\":\"m1\"}%n", id, POLICIES[p], decision, llm,
            llm ? "\"" + (category == null ? CATEGORIES[p][0] : category) + "\"" : "null", 0.5 + rnd.nextDouble() / 2));
      }
      llmPositive += anyPositive ? 1 : 0;
    }
    Files.writeString(sample, s);
    Files.writeString(labels, l);
    Files.writeString(truth, t);
    int n2 = units - n1;
    Files.writeString(manifest, String.format(Locale.ROOT, """
        {"format":"plumb.sample/1","design":{"type":"stratified"},"seed":7,
         "strata":[{"id":"s1","units":%d,"weight":%d,"n":%d},{"id":"s2","units":%d,"weight":%d,"n":%d}],
         "n":%d}
        """, n1 * 50, n1 * 50 * 25, n1, n2 * 5, n2 * 5 * 25, n2, units));
  }

  /**
   * A vendor review of this sample as docs/review.md runs it: {@code queue export} with the repository's
   * review design, raters, honeypots and policy library (seed 5) into {@code queue/}, then {@code queue
   * simulate} of its panel into {@code answers}. Returns the simulate result.
   */
  Cli vendorReview(Path answers) {
    Path review = ROOT.resolve("fixtures/review");
    Cli e = Cli.run("queue", "export", "--sample", sample.toString(), "--labels", labels.toString(),
        "--gold-design", review.resolve("review.yaml").toString(), "--out", dir.resolve("queue").toString(),
        "--raters", review.resolve("raters.txt").toString(), "--honeypots", review.resolve("honeypots.jsonl").toString(),
        "--seed", "5", "--policies", ROOT.resolve("policies").toString());
    if (e.code() != ExitCode.OK) {
      return e;
    }
    return Cli.run("queue", "simulate", "--queue", dir.resolve("queue").toString(), "--truth", truth.toString(),
        "--panel", review.resolve("panel.yaml").toString(), "--out", answers.toString());
  }

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }
}
