package dev.plumb.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic two-phase data set written by us: a population of units with exposure and a
 * surface, a stratified phase-1 sample of it, LLM labels with known per-stratum sensitivity and
 * specificity, a phase-2 review stratified by the LLM's decision, three noisy raters per reviewed
 * unit combined by majority, and the population's true prevalence (truth.json).
 *
 * Shared with the cli tests (the pipeline module's test jar).
 *
 * <p>Files: sample.jsonl, sample.json, labels.jsonl, gold.jsonl, answers.jsonl, truth.json.
 */
public final class TwoPhaseFixture {
  /** A policy of the fixture: its key, decisions and per-stratum prevalence, LLM sensitivity and specificity. */
  public record Policy(String key, String negative, String positive, String[] categories, double[] prevalence,
      double[] sensitivity, double[] specificity, int reviewPositives, int reviewNegatives) {}

  static final String[] STRATA = {"low", "mid", "high"};
  static final int[] STRATUM_N = {300, 200, 200};
  static final String[] SURFACES = {"search", "home", "board"};
  static final String[] RATERS = {"r1", "r2", "r3", "r4", "r5"};
  /** P(says positive | not violating) and P(says negative | violating) per rater; r5 is careless. */
  static final double[] RATER_FALSE_POSITIVE = {0.003, 0.005, 0.004, 0.006, 0.05};
  static final double[] RATER_MISS = {0.06, 0.08, 0.05, 0.1, 0.3};

  public static final Policy SELF_HARM = new Policy("self_harm@3", "safe", "violating", new String[] {"promotion", "instructions"},
      new double[] {0.004, 0.04, 0.25}, new double[] {0.6, 0.8, 0.92}, new double[] {0.995, 0.97, 0.85}, 80, 120);
  public static final Policy HATE = new Policy("hate@2", "ok", "hateful", new String[] {"slur"},
      new double[] {0.004, 0.03, 0.12}, new double[] {0.7, 0.85, 0.9}, new double[] {0.995, 0.97, 0.9}, 60, 160);

  final Path dir;
  public final Map<String, Double> truth = new LinkedHashMap<>();

  private TwoPhaseFixture(Path dir) {
    this.dir = dir;
  }

  public Path sample() {
    return dir.resolve("sample.jsonl");
  }

  public Path labels() {
    return dir.resolve("labels.jsonl");
  }

  public Path gold() {
    return dir.resolve("gold.jsonl");
  }

  public Path answers() {
    return dir.resolve("answers.jsonl");
  }

  public Path truthFile() {
    return dir.resolve("truth.json");
  }

  /** Writes the data set for {@code policies} into {@code dir}. */
  public static TwoPhaseFixture write(Path dir, long seed, int population, Policy... policies) {
    TwoPhaseFixture f = new TwoPhaseFixture(dir);
    try {
      f.generate(new SplittableRandom(seed), population, List.of(policies));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  private void generate(SplittableRandom rnd, int population, List<Policy> policies) throws IOException {
    int[] stratum = new int[population];
    double[] exposure = new double[population];
    String[] surface = new String[population];
    boolean[][] violating = new boolean[policies.size()][population];
    double[] total = new double[policies.size()];
    double[] positive = new double[policies.size()];
    double exposureTotal = 0;
    List<List<Integer>> byStratum = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double[] stratumWeight = new double[3];
    for (int i = 0; i < population; i++) {
      double u = rnd.nextDouble();
      stratum[i] = u < 0.8 ? 0 : u < 0.95 ? 1 : 2;
      exposure[i] = 1 + Math.floor(Math.exp(1 + rnd.nextGaussian()));
      surface[i] = SURFACES[rnd.nextInt(SURFACES.length)];
      exposureTotal += exposure[i];
      byStratum.get(stratum[i]).add(i);
      stratumWeight[stratum[i]] += exposure[i];
      for (int p = 0; p < policies.size(); p++) {
        // the home surface carries twice the base rate: a domain effect for --by
        double rate = policies.get(p).prevalence()[stratum[i]] * (surface[i].equals("home") ? 1.6 : 0.7);
        violating[p][i] = rnd.nextDouble() < rate;
        total[p] += exposure[i];
        positive[p] += violating[p][i] ? exposure[i] : 0;
      }
    }
    StringBuilder truthJson = new StringBuilder("{\"policies\":{");
    for (int p = 0; p < policies.size(); p++) {
      String id = policies.get(p).key().substring(0, policies.get(p).key().indexOf('@'));
      truth.put(id, positive[p] / total[p]);
      truthJson.append(p > 0 ? "," : "").append(String.format(Locale.ROOT, "\"%s\":{\"prevalence\":%s,\"units\":%d}",
          id, Double.toString(positive[p] / total[p]), population));
    }
    Files.writeString(truthFile(), truthJson.append("}}\n").toString());
    // phase 1: stratified SRS without replacement
    List<Integer> sample = new ArrayList<>();
    StringBuilder s = new StringBuilder();
    StringBuilder strata = new StringBuilder();
    for (int h = 0; h < 3; h++) {
      List<Integer> units = new ArrayList<>(byStratum.get(h));
      int n = Math.min(STRATUM_N[h], units.size());
      for (int k = 0; k < n; k++) {
        int j = k + rnd.nextInt(units.size() - k);
        int tmp = units.get(k);
        units.set(k, units.get(j));
        units.set(j, tmp);
        sample.add(units.get(k));
        s.append(String.format(Locale.ROOT,
            "{\"id\":\"u-%d\",\"weight\":%d,\"attributes\":{\"surface\":\"%s\"},\"components\":[{\"id\":\"t\",\"kind\":\"text\","
                + "\"text\":\"synthetic unit %d\"}],\"design\":{\"stratum\":\"%s\",\"pi\":%s}}\n",
            units.get(k), (long) exposure[units.get(k)], surface[units.get(k)], units.get(k), STRATA[h],
            Double.toString(n / (double) byStratum.get(h).size())));
      }
      strata.append(h > 0 ? "," : "").append(String.format(Locale.ROOT, "{\"id\":\"%s\",\"units\":%d,\"weight\":%s,\"n\":%d}",
          STRATA[h], byStratum.get(h).size(), Double.toString(stratumWeight[h]), n));
    }
    Files.writeString(sample(), s.toString());
    Files.writeString(dir.resolve("sample.json"), String.format(Locale.ROOT,
        "{\"format\":\"plumb.sample/1\",\"design\":{\"type\":\"stratified\",\"n\":%d},\"seed\":7,"
            + "\"frame\":{\"path\":\"units.jsonl\",\"sha256\":\"sha256:%s\",\"units\":%d,\"weight\":%s},\"strata\":[%s],\"n\":%d,"
            + "\"created_by\":\"plumb test fixture\"}\n",
        sample.size(), "0".repeat(64), population, Double.toString(exposureTotal), strata, sample.size()));
    // labels, review and raters
    StringBuilder labels = new StringBuilder();
    StringBuilder gold = new StringBuilder();
    StringBuilder answers = new StringBuilder();
    for (int p = 0; p < policies.size(); p++) {
      Policy pol = policies.get(p);
      List<Integer> llmPos = new ArrayList<>();
      List<Integer> llmNeg = new ArrayList<>();
      for (int i : sample) {
        int h = stratum[i];
        boolean y = violating[p][i];
        boolean yhat = y ? rnd.nextDouble() < pol.sensitivity()[h] : rnd.nextDouble() > pol.specificity()[h];
        boolean right = y == yhat;
        double confidence = right ? 0.7 + 0.3 * rnd.nextDouble() : 0.5 + 0.35 * rnd.nextDouble();
        String category = yhat ? "\"" + pol.categories()[rnd.nextInt(pol.categories().length)] + "\"" : "null";
        labels.append(String.format(Locale.ROOT,
            "{\"unit\":\"u-%d\",\"policy\":\"%s\",\"decision\":\"%s\",\"positive\":%s,\"category\":%s,\"confidence\":%.3f,"
                + "\"status\":\"ok\",\"model\":\"synthetic-llm\",\"backend\":\"local\",\"prompt\":\"sha256:%s\"}\n",
            i, pol.key(), yhat ? pol.positive() : pol.negative(), yhat, category, confidence, "ab".repeat(32)));
        (yhat ? llmPos : llmNeg).add(i);
      }
      review(rnd, pol, llmPos, "llm_positive", pol.reviewPositives(), violating[p], gold, answers);
      review(rnd, pol, llmNeg, "llm_negative", pol.reviewNegatives(), violating[p], gold, answers);
    }
    Files.writeString(labels(), labels.toString());
    Files.writeString(gold(), gold.toString());
    Files.writeString(answers(), answers.toString());
  }

  private static void review(SplittableRandom rnd, Policy pol, List<Integer> group, String stratum, int n2,
      boolean[] violating, StringBuilder gold, StringBuilder answers) {
    List<Integer> units = new ArrayList<>(group);
    int n = Math.min(n2, units.size());
    double pi = n / (double) units.size();
    for (int k = 0; k < n; k++) {
      int j = k + rnd.nextInt(units.size() - k);
      int tmp = units.get(k);
      units.set(k, units.get(j));
      units.set(j, tmp);
      int i = units.get(k);
      int votes = 0;
      List<Integer> raters = new ArrayList<>(List.of(0, 1, 2, 3, 4));
      for (int r = 0; r < 3; r++) {
        int pick = raters.remove(rnd.nextInt(raters.size()));
        boolean says = violating[i] ? rnd.nextDouble() >= RATER_MISS[pick] : rnd.nextDouble() < RATER_FALSE_POSITIVE[pick];
        votes += says ? 1 : 0;
        answers.append(String.format(Locale.ROOT, "{\"unit\":\"u-%d\",\"policy\":\"%s\",\"rater\":\"%s\",\"decision\":\"%s\"}\n",
            i, pol.key(), RATERS[pick], says ? pol.positive() : pol.negative()));
      }
      boolean consensus = votes >= 2;
      double agreement = (consensus ? votes : 3 - votes) / 3.0;
      gold.append(String.format(Locale.ROOT,
          "{\"unit\":\"u-%d\",\"policy\":\"%s\",\"decision\":\"%s\",\"positive\":%s,\"category\":%s,\"method\":\"majority\","
              + "\"raters\":3,\"agreement\":%.4f,\"phase2\":{\"stratum\":\"%s\",\"pi\":%s}}\n",
          i, pol.key(), consensus ? pol.positive() : pol.negative(), consensus,
          consensus ? "\"" + pol.categories()[rnd.nextInt(pol.categories().length)] + "\"" : "null", agreement, stratum, Double.toString(pi)));
    }
  }
}
