package dev.plumb.history.synthetic;

import dev.plumb.core.Hashing;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord.DecisionQuality;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import dev.plumb.history.RunRecord.Provenance;
import dev.plumb.history.RunRecord.Signoff;
import dev.plumb.history.RunRecord.Sizes;
import dev.plumb.history.RunRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded, realistic synthetic history of daily calibrated runs, for tests, demos and the
 * dashboard check. Every number is simulated, not drawn around a target: per day, policy and
 * surface it draws a sample of units with true labels, the LLM's calls at its sensitivity and
 * specificity, and a gold subsample stratified by the LLM's call (all LLM-positives up to a cap, a
 * fixed number of LLM-negatives); then it estimates prevalence by double sampling for
 * stratification (P̂(ŷ=1)·PPV + P̂(ŷ=0)·(1 − NPV), recommended) and the LLM-only rate, per surface
 * and overall (stratified by surface with exposure shares), with logit intervals.
 *
 * <p>The {@link Scenario#standard standard} scenario has, over 60 days: a prompt template change
 * (day 18), a logging outage that halves the sample (day 23), {@code self_harm} moving from version
 * 1 to 2 with a broader definition (day 30, +25% true prevalence), a model change that improves the
 * LLM (day 40), a real shift of {@code harassment} on the search surface (×2.2 from day 50) and a
 * review-vendor outage that leaves the gold set short (day 52). Everything else is sampling noise
 * around a slight weekly cycle.
 */
public final class HistoryGenerator {

  /** Surfaces with their exposure shares and prevalence multipliers. */
  static final String[] SURFACES = {"home", "search", "related"};
  static final double[] SHARE = {0.55, 0.30, 0.15};
  static final double[] LIFT = {0.8, 1.5, 1.0};
  /** Share of the sample and of the gold set per surface: small surfaces are oversampled. */
  static final double[] ALLOCATION = {0.45, 0.30, 0.25};

  static final String[] POLICIES = {"self_harm", "harassment", "adult_sexual", "misinformation"};
  static final double[] BASE = {0.0045, 0.011, 0.021, 0.0075};
  static final double[] SENSITIVITY = {0.88, 0.85, 0.91, 0.83};
  static final double[] SPECIFICITY = {0.993, 0.990, 0.995, 0.991};

  static final int SAMPLE_PLAN = 20_000;
  static final int GOLD_POSITIVE_CAP = 300;
  static final int GOLD_NEGATIVE = 1200;
  static final double LEVEL = 0.95;
  static final double Z = 1.959963984540054;

  /**
   * What happens over the generated days.
   *
   * @param days how many daily runs
   * @param start the first day
   * @param seed the random seed: the same scenario and seed give the same history
   * @param shiftPolicy the policy with a real shift, or null for none
   * @param shiftSurface the surface where it happens
   * @param shiftDay the day index (0-based) from which the true prevalence is multiplied
   * @param shiftFactor the multiplier
   * @param incidents whether the outages (short sample, short gold) happen
   */
  public record Scenario(
      int days, LocalDate start, long seed, String shiftPolicy, String shiftSurface, int shiftDay,
      double shiftFactor, boolean incidents) {
    public Scenario {
      if (days < 1) {
        throw new IllegalArgumentException("days must be >= 1: " + days);
      }
    }

    /** 60 days ending 2026-11-30 with every event described on {@link HistoryGenerator}. */
    public static Scenario standard(long seed) {
      return new Scenario(60, LocalDate.of(2026, 10, 2), seed, "harassment", "search", SHIFT_DAY, 2.2, true);
    }

    /** The standard scenario without the real shift and without outages: only noise and the provenance changes. */
    public static Scenario noise(long seed) {
      return new Scenario(60, LocalDate.of(2026, 10, 2), seed, null, null, 0, 1, false);
    }

    public Scenario withDays(int n) {
      return new Scenario(n, start, seed, shiftPolicy, shiftSurface, shiftDay, shiftFactor, incidents);
    }
  }

  /** The day index of each provenance event in every scenario. */
  public static final int TEMPLATE_CHANGE_DAY = 18;
  public static final int SAMPLE_OUTAGE_DAY = 23;
  public static final int POLICY_CHANGE_DAY = 30;
  public static final int MODEL_CHANGE_DAY = 40;
  public static final int GOLD_OUTAGE_DAY = 52;
  public static final int SHIFT_DAY = 50;

  private HistoryGenerator() {}

  /** The runs of {@code scenario}, oldest first, all in series {@code main}. */
  public static List<RunRecord> generate(Scenario scenario) {
    SplittableRandom root = new SplittableRandom(scenario.seed());
    List<RunRecord> runs = new ArrayList<>();
    for (int day = 0; day < scenario.days(); day++) {
      SplittableRandom rng = root.split();
      runs.add(day(scenario, day, rng));
    }
    return runs;
  }

  /** The series name of {@link #bridge}. */
  public static final String BRIDGE_SERIES = "backfill:self_harm@2";

  /**
   * What a backfill of {@code self_harm@2} over the days before its switch would record: the same
   * days' samples relabeled and recalibrated with version 2 (its broader definition), as a parallel
   * series {@value #BRIDGE_SERIES} of self_harm only, for days {@code from} (inclusive) to
   * {@link #POLICY_CHANGE_DAY} + 5 (exclusive), so that it overlaps the main series' version 2.
   */
  public static List<RunRecord> bridge(Scenario scenario, int from) {
    SplittableRandom root = new SplittableRandom(scenario.seed() ^ 0x5DEECE66DL);
    List<RunRecord> runs = new ArrayList<>();
    for (int day = Math.max(0, from); day < Math.min(scenario.days(), POLICY_CHANGE_DAY + 5); day++) {
      RunRecord r = day(scenario, day, root.split(), 2);
      List<PolicyResult> selfHarm = r.policies().stream().filter(p -> p.policy().equals("self_harm")).toList();
      runs.add(new RunRecord(BRIDGE_SERIES, r.period(), r.recordedAt(), r.provenance(), selfHarm));
    }
    return runs;
  }

  private static RunRecord day(Scenario sc, int day, SplittableRandom rng) {
    return day(sc, day, rng, day >= POLICY_CHANGE_DAY ? 2 : 1);
  }

  private static RunRecord day(Scenario sc, int day, SplittableRandom rng, int selfHarmVersion) {
    LocalDate date = sc.start().plusDays(day);
    boolean newModel = day >= MODEL_CHANGE_DAY;
    String model = newModel ? "gpt-4.1" : "gpt-4.1-mini";
    String templates = day >= TEMPLATE_CHANGE_DAY ? "templates-r2" : "templates-r1";
    String prompt = Hashing.sha256("synthetic prompt bundle " + templates + " self_harm@" + selfHarmVersion
        + " harassment@1 adult_sexual@1 misinformation@1 temperature=0");
    int sampleN = sc.incidents() && day == SAMPLE_OUTAGE_DAY ? SAMPLE_PLAN * 11 / 20 : SAMPLE_PLAN;
    double goldFactor = sc.incidents() && day == GOLD_OUTAGE_DAY ? 0.35 : 1.0;
    // a slight weekly cycle: more violating content at weekends
    int dow = date.getDayOfWeek().getValue();
    double weekly = dow >= 6 ? 1.06 : 0.98;

    List<PolicyResult> results = new ArrayList<>();
    for (int p = 0; p < POLICIES.length; p++) {
      String policy = POLICIES[p];
      double base = BASE[p] * weekly;
      if (policy.equals("self_harm") && selfHarmVersion == 2) {
        base *= 1.25;
      }
      double sens = Math.min(0.97, SENSITIVITY[p] + (newModel ? 0.06 : 0));
      double spec = Math.min(0.999, SPECIFICITY[p] + (newModel ? 0.003 : 0));
      results.add(policy(sc, day, policy, policy + "@" + (policy.equals("self_harm") ? selfHarmVersion : 1),
          base, sens, spec, sampleN, goldFactor, rng));
    }
    Instant at = date.plusDays(1).atTime(6, 15).toInstant(ZoneOffset.UTC);
    String manifest = Hashing.sha256("synthetic sample manifest " + date + " seed " + sc.seed());
    return new RunRecord(RunRecord.MAIN, Period.day(date), at,
        new Provenance(prompt, model, manifest, "plumb (generated)", "generated:seed=" + sc.seed()), results);
  }

  /** Counts for one surface. */
  private record Cell(int n, int llmPositive, int goldPositiveCalls, int goldPositiveHits, int goldNegativeCalls,
      int goldNegativeHits) {}

  private static PolicyResult policy(Scenario sc, int day, String policy, String version, double base, double sens,
      double spec, int sampleN, double goldFactor, SplittableRandom rng) {
    double norm = 0;
    for (int s = 0; s < SURFACES.length; s++) {
      norm += SHARE[s] * LIFT[s];
    }
    Cell[] cells = new Cell[SURFACES.length];
    int goldTotal = 0;
    for (int s = 0; s < SURFACES.length; s++) {
      double p = base * LIFT[s] / norm;
      if (policy.equals(sc.shiftPolicy()) && SURFACES[s].equals(sc.shiftSurface()) && day >= sc.shiftDay()) {
        p *= sc.shiftFactor();
      }
      int n = (int) Math.round(sampleN * ALLOCATION[s]);
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < n; i++) {
        boolean y = rng.nextDouble() < p;
        boolean call = y ? rng.nextDouble() < sens : rng.nextDouble() >= spec;
        if (call) {
          if (y) {
            tp++;
          } else {
            fp++;
          }
        } else if (y) {
          fn++;
        }
      }
      int a = tp + fp;
      int g1 = (int) Math.min(a, Math.round(GOLD_POSITIVE_CAP * ALLOCATION[s] * goldFactor));
      int g0 = (int) Math.round(GOLD_NEGATIVE * ALLOCATION[s] * goldFactor);
      int x1 = hypergeometric(a, tp, g1, rng);
      int x0 = hypergeometric(n - a, fn, Math.min(g0, n - a), rng);
      cells[s] = new Cell(n, a, g1, x1, g0, x0);
      goldTotal += g1 + g0;
    }

    List<EstimateRow> rows = new ArrayList<>();
    double dsAll = 0;
    double dsVar = 0;
    double llmAll = 0;
    double llmVar = 0;
    // weighted 2x2 table of the population (shares of exposure), for quality
    double tpW = 0;
    double fpW = 0;
    double fnW = 0;
    double tnW = 0;
    double posGold = 0;
    double negGold = 0;
    List<EstimateRow> surfaceRows = new ArrayList<>();
    for (int s = 0; s < SURFACES.length; s++) {
      Cell c = cells[s];
      double q = (double) c.llmPositive() / c.n();
      double ppv = c.goldPositiveCalls() == 0 ? 0 : (double) c.goldPositiveHits() / c.goldPositiveCalls();
      double fo = c.goldNegativeCalls() == 0 ? 0 : (double) c.goldNegativeHits() / c.goldNegativeCalls();
      double est = q * ppv + (1 - q) * fo;
      // variance of the double-sampling estimator; the gold proportions use (x + 1/2)/(g + 1) so that
      // a cell without a positive still contributes its uncertainty
      double ppvV = (c.goldPositiveHits() + 0.5) / (c.goldPositiveCalls() + 1.0);
      double foV = (c.goldNegativeHits() + 0.5) / (c.goldNegativeCalls() + 1.0);
      double var = Math.pow(ppv - fo, 2) * q * (1 - q) / c.n()
          + (c.goldPositiveCalls() == 0 ? 0
              : q * q * ppvV * (1 - ppvV) / c.goldPositiveCalls() * Math.max(0, 1 - (double) c.goldPositiveCalls() / c.llmPositive()))
          + (1 - q) * (1 - q) * foV * (1 - foV) / Math.max(1, c.goldNegativeCalls());
      double llmV = q * (1 - q) / c.n();
      String domain = RunRecord.domain("surface", SURFACES[s]);
      surfaceRows.add(row("double-sampling", domain, est, Math.sqrt(var), true));
      surfaceRows.add(row("llm-only", domain, q, Math.sqrt(llmV), false));
      dsAll += SHARE[s] * est;
      dsVar += SHARE[s] * SHARE[s] * var;
      llmAll += SHARE[s] * q;
      llmVar += SHARE[s] * SHARE[s] * llmV;
      tpW += SHARE[s] * q * ppv;
      fpW += SHARE[s] * q * (1 - ppv);
      fnW += SHARE[s] * (1 - q) * fo;
      tnW += SHARE[s] * (1 - q) * (1 - fo);
      posGold += c.goldPositiveHits() + c.goldNegativeHits();
      negGold += c.goldPositiveCalls() - c.goldPositiveHits() + c.goldNegativeCalls() - c.goldNegativeHits();
    }
    rows.add(row("double-sampling", EstimateRow.ALL, dsAll, Math.sqrt(dsVar), true));
    rows.add(row("llm-only", EstimateRow.ALL, llmAll, Math.sqrt(llmVar), false));
    rows.addAll(surfaceRows);

    double se = tpW + fnW > 0 ? tpW / (tpW + fnW) : Double.NaN;
    double sp = tnW / (tnW + fpW);
    double po = tpW + tnW;
    double pe = (tpW + fpW) * (tpW + fnW) + (fnW + tnW) * (fpW + tnW);
    double kappa = (po - pe) / (1 - pe);
    double[] seCi = wilson(se, posGold);
    double[] spCi = wilson(sp, negGold);
    DecisionQuality quality = new DecisionQuality(se, seCi[0], seCi[1], sp, spCi[0], spCi[1], kappa);

    int goldPlan = 0;
    for (int s = 0; s < SURFACES.length; s++) {
      goldPlan += (int) Math.min(cells[s].llmPositive(), Math.round(GOLD_POSITIVE_CAP * ALLOCATION[s]))
          + (int) Math.round(GOLD_NEGATIVE * ALLOCATION[s]);
    }
    EstimateRow headline = rows.get(0);
    List<String> fail = new ArrayList<>();
    List<String> warn = new ArrayList<>();
    if (goldTotal < 0.8 * goldPlan) {
      fail.add(String.format(Locale.ROOT, "gold size %d below the minimum %d", goldTotal, Math.round(0.8 * goldPlan)));
    }
    if (kappa < 0.4) {
      fail.add(String.format(Locale.ROOT, "kappa %.2f below 0.40", kappa));
    } else if (kappa < 0.6) {
      warn.add(String.format(Locale.ROOT, "kappa %.2f below 0.60", kappa));
    }
    double relHalf = (headline.upper() - headline.lower()) / 2 / headline.estimate();
    if (relHalf > 0.5) {
      warn.add(String.format(Locale.ROOT, "relative half-width %.0f%% above 50%%", relHalf * 100));
    }
    Signoff signoff = !fail.isEmpty() ? new Signoff("FAIL", concat(fail, warn))
        : !warn.isEmpty() ? new Signoff("WARN", warn) : new Signoff("PASS", List.of());
    return new PolicyResult(policy, version, "double-sampling", signoff, quality,
        new Sizes(sampleN, SAMPLE_PLAN, goldTotal, goldPlan), rows);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Logit interval: logit(p) ± z·se/(p(1−p)); at p = 0 a one-sided bound 0 .. z·se. */
  static EstimateRow row(String estimator, String domain, double p, double se, boolean recommended) {
    if (p <= 0) {
      return new EstimateRow(estimator, domain, "upper-bound", 0, se, 0, Math.min(1, Z * se), LEVEL, "logit", recommended,
          "no positive observed: upper bound only");
    }
    double l = Math.log(p / (1 - p));
    double h = Z * se / (p * (1 - p));
    return new EstimateRow(estimator, domain, "estimate", p, se, expit(l - h), expit(l + h), LEVEL, "logit", recommended, "");
  }

  private static double expit(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double[] wilson(double p, double n) {
    if (!(n > 0) || Double.isNaN(p)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double z2 = Z * Z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double h = Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return new double[] {Math.max(0, centre - h), Math.min(1, centre + h)};
  }

  /** Successes in {@code draws} draws without replacement from {@code size} items of which {@code good} are good. */
  private static int hypergeometric(int size, int good, int draws, SplittableRandom rng) {
    int hits = 0;
    int left = size;
    int goodLeft = good;
    for (int i = 0; i < draws && left > 0; i++) {
      if (rng.nextInt(left) < goodLeft) {
        hits++;
        goodLeft--;
      }
      left--;
    }
    return hits;
  }
}
