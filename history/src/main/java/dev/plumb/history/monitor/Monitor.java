package dev.plumb.history.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.history.RunRecord;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Evaluates {@link Rules} on a series of runs (docs/monitoring.md gives every rule's definition).
 *
 * <p>The change test: for the headline estimate P̂ₜ with standard error SEₜ and the k ≤ N most
 * recent earlier periods comparable with it (same policy version, prompt fingerprint and model,
 * by default, with an estimate), the baseline is their mean B = ΣP̂ᵢ/k with variance
 * V_B = max(ΣSEᵢ²/k², s²/k) — the sampling variance of the mean, or the observed spread of the
 * trailing estimates when that is larger (day-to-day variation that is not a shift). The statistic
 * z = (P̂ₜ − B)/√(SEₜ² + V_B) is referred to the standard normal (periods are independent samples).
 * All change tests of one evaluated period form one family: each is compared with α/m (Bonferroni,
 * m = number of tests made), so a period raises a false change alert with probability at most α.
 * Stateless and thread-safe.
 */
public final class Monitor {
  private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

  private Monitor() {}

  /**
   * One alert.
   *
   * @param rule the rule's name
   * @param type threshold, change, quality or sizes
   * @param period the period it fired on
   * @param policy the policy
   * @param domain the domain ({@code all} for rules without domains)
   * @param message one line a person reads
   * @param values the figures behind it (estimate, baseline, z, p, threshold...)
   */
  public record Alert(String rule, String type, String period, String policy, String domain, String message,
      Map<String, Object> values) {}

  /** A test the rule could not make, and why (e.g. too few comparable periods after a model change). */
  public record Skipped(String rule, String period, String policy, String domain, String reason) {}

  /**
   * The outcome of evaluating the rules on some periods.
   *
   * @param periods the periods evaluated, in order
   * @param tests how many checks were made (every rule × policy × domain × period that could be checked)
   */
  public record Result(List<String> periods, int tests, List<Alert> alerts, List<Skipped> skipped) {
    public Result {
      periods = List.copyOf(periods);
      alerts = List.copyOf(alerts);
      skipped = List.copyOf(skipped);
    }

    /** The outcome as {@code plumb.alerts/1} (docs/monitoring.md): an {@link AlertsJson}. */
    public ObjectNode toJson(String history, String series, String rulesSource) {
      List<Alert> written = alerts.stream().map(a -> new Alert(a.rule(), a.type(), a.period(), a.policy(), a.domain(),
          a.message(), jsonValues(a.values()))).toList();
      return Json.tree(new AlertsJson("plumb.alerts/1", history, series, rulesSource, periods, tests, !alerts.isEmpty(),
          written, skipped));
    }

    /** An alert's figures as written: a number JSON cannot hold as null, an integer as such, the rest as text. */
    private static Map<String, Object> jsonValues(Map<String, Object> values) {
      Map<String, Object> out = new LinkedHashMap<>();
      values.forEach((k, x) -> out.put(k, x instanceof Double d ? Json.finite(d) : x instanceof Integer ? x : String.valueOf(x)));
      return out;
    }
  }

  /**
   * {@code plumb.alerts/1}, what {@code plumb monitor} writes: keys are the components, in order.
   *
   * @param history the history file, {@code rules} the rules file, as given
   * @param tests how many checks were made
   * @param fired whether any alert fired
   */
  public record AlertsJson(String format, String history, String series, String rules, List<String> periods, int tests,
      boolean fired, List<Alert> alerts, List<Skipped> skipped) {}

  /**
   * Evaluates every rule on the run at each index in {@code evaluate}, using only that run and the
   * runs before it.
   *
   * @param runs one series, oldest first
   * @param evaluate indices into {@code runs}
   */
  public static Result evaluate(Rules rules, List<RunRecord> runs, List<Integer> evaluate) {
    List<Alert> alerts = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    List<String> periods = new ArrayList<>();
    int tests = 0;
    for (int t : evaluate) {
      RunRecord run = runs.get(t);
      periods.add(run.period().key());
      for (Rule rule : rules.rules()) {
        if (rule instanceof Rule.Threshold r) {
          tests += threshold(r, run, alerts, skipped);
        } else if (rule instanceof Rule.Change r) {
          tests += change(r, runs, t, alerts, skipped);
        } else if (rule instanceof Rule.Quality r) {
          tests += quality(r, run, alerts);
        } else if (rule instanceof Rule.Sizes r) {
          tests += sizes(r, run, alerts);
        }
      }
    }
    return new Result(periods, tests, alerts, skipped);
  }

  /** Evaluates the latest run only. */
  public static Result latest(Rules rules, List<RunRecord> runs) {
    return evaluate(rules, runs, List.of(runs.size() - 1));
  }

  private static List<PolicyResult> policies(List<String> names, RunRecord run) {
    return run.policies().stream().filter(p -> names.isEmpty() || names.contains(p.policy())).toList();
  }

  private static List<String> domains(List<String> wanted, PolicyResult p) {
    if (wanted.contains("*")) {
      Set<String> all = new LinkedHashSet<>();
      p.estimates().stream().filter(e -> e.estimator().equals(p.recommended())).forEach(e -> all.add(e.domain()));
      return List.copyOf(all);
    }
    return wanted;
  }

  private static int threshold(Rule.Threshold r, RunRecord run, List<Alert> alerts, List<Skipped> skipped) {
    int tests = 0;
    String period = run.period().key();
    for (PolicyResult p : policies(r.policies(), run)) {
      for (String domain : domains(r.domains(), p)) {
        Optional<EstimateRow> e = p.headline(domain);
        if (e.isEmpty() || e.get().kind().equals("not-estimable")) {
          skipped.add(new Skipped(r.name(), period, p.policy(), domain, "no headline estimate"));
          continue;
        }
        tests++;
        EstimateRow row = e.get();
        double value = switch (r.bound()) {
          case LOWER -> row.lower();
          case UPPER -> row.upper();
          case ESTIMATE -> row.estimate();
        };
        String what = r.bound() == Rule.Bound.ESTIMATE ? "estimate" : r.bound().name().toLowerCase(Locale.ROOT) + " bound";
        if (!Double.isNaN(r.above()) && value > r.above()) {
          alerts.add(new Alert(r.name(), "threshold", period, p.policy(), domain, String.format(Locale.ROOT,
              "%s of %s is above %s (%s %s)", what, Numbers.percentFixed(value, 3), Numbers.percentFixed(r.above(), 3), p.recommended(), interval(row)),
              values("value", value, "threshold", r.above(), "estimate", row.estimate(), "lower", row.lower(), "upper", row.upper())));
        } else if (!Double.isNaN(r.below()) && value < r.below()) {
          alerts.add(new Alert(r.name(), "threshold", period, p.policy(), domain, String.format(Locale.ROOT,
              "%s of %s is below %s (%s %s)", what, Numbers.percentFixed(value, 3), Numbers.percentFixed(r.below(), 3), p.recommended(), interval(row)),
              values("value", value, "threshold", r.below(), "estimate", row.estimate(), "lower", row.lower(), "upper", row.upper())));
        }
      }
    }
    return tests;
  }

  /** One planned change test, computed before the Bonferroni level is known. */
  private record Test(String policy, String domain, double estimate, double se, double baseline, double baselineSe,
      int k, double z, double p) {}

  private static int change(Rule.Change r, List<RunRecord> runs, int t, List<Alert> alerts, List<Skipped> skipped) {
    RunRecord run = runs.get(t);
    String period = run.period().key();
    List<Test> tests = new ArrayList<>();
    for (PolicyResult p : policies(r.policies(), run)) {
      for (String domain : domains(r.domains(), p)) {
        Optional<EstimateRow> e = p.headline(domain);
        if (e.isEmpty() || !e.get().estimated() || !(e.get().se() >= 0)) {
          skipped.add(new Skipped(r.name(), period, p.policy(), domain, "no headline estimate with a standard error"));
          continue;
        }
        List<Double> est = new ArrayList<>();
        List<Double> ses = new ArrayList<>();
        String stop = null;
        for (int i = t - 1; i >= 0 && est.size() < r.trailing(); i--) {
          RunRecord before = runs.get(i);
          String why = incomparable(r, run, p, before);
          if (why != null) {
            stop = why + " on " + runs.get(i + 1).period().key();
            break;
          }
          Optional<EstimateRow> b = before.policy(p.policy()).flatMap(x -> x.headline(domain));
          if (b.isPresent() && b.get().estimated() && b.get().se() >= 0) {
            est.add(b.get().estimate());
            ses.add(b.get().se());
          }
        }
        int k = est.size();
        if (k < r.minPeriods()) {
          skipped.add(new Skipped(r.name(), period, p.policy(), domain, String.format(Locale.ROOT,
              "%d comparable earlier %s, fewer than min_periods %d%s", k, k == 1 ? "period" : "periods", r.minPeriods(),
              stop == null ? "" : " (" + stop + ")")));
          continue;
        }
        double mean = 0;
        double sv = 0;
        for (int i = 0; i < k; i++) {
          mean += est.get(i);
          sv += ses.get(i) * ses.get(i);
        }
        mean /= k;
        double spread = 0;
        for (double x : est) {
          spread += (x - mean) * (x - mean);
        }
        double vb = Math.max(sv / ((double) k * k), k > 1 ? spread / (k - 1) / k : 0);
        double se = e.get().se();
        double denom = Math.sqrt(se * se + vb);
        double z = denom > 0 ? (e.get().estimate() - mean) / denom : 0;
        double pValue = switch (r.direction()) {
          case BOTH -> 2 * NORMAL.survivalProbability(Math.abs(z));
          case UP -> NORMAL.survivalProbability(z);
          case DOWN -> NORMAL.cumulativeProbability(z);
        };
        tests.add(new Test(p.policy(), domain, e.get().estimate(), se, mean, Math.sqrt(vb), k, z, pValue));
      }
    }
    int m = tests.size();
    for (Test x : tests) {
      double level = r.alpha() / m;
      double rel = x.baseline() > 0 ? Math.abs(x.estimate() / x.baseline() - 1) : Double.POSITIVE_INFINITY;
      if (x.p() < level && rel >= r.minRelative()) {
        alerts.add(new Alert(r.name(), "change", period, x.policy(), x.domain(), String.format(Locale.ROOT,
            "%s vs %s over %d comparable earlier periods (%s%.0f%%; z = %.2f, p = %.2g < %s/%d)",
            Numbers.percentFixed(x.estimate(), 3), Numbers.percentFixed(x.baseline(), 3), x.k(), x.estimate() >= x.baseline() ? "+" : "−",
            Math.abs(x.estimate() / x.baseline() - 1) * 100, x.z(), x.p(), Numbers.shortest(r.alpha()), m),
            values("estimate", x.estimate(), "se", x.se(), "baseline", x.baseline(), "baseline_se", x.baselineSe(),
                "periods", x.k(), "z", x.z(), "p", x.p(), "alpha", r.alpha(), "tests", m)));
      }
    }
    return m;
  }

  /** Why {@code before} is not comparable with {@code run} for policy {@code p}, or null. */
  private static String incomparable(Rule.Change r, RunRecord run, PolicyResult p, RunRecord before) {
    Optional<PolicyResult> b = before.policy(p.policy());
    if (b.isEmpty()) {
      return null; // a period without the policy is skipped, not a break
    }
    if (r.comparable().contains(Rule.Comparable.VERSION) && !b.get().version().equals(p.version())) {
      return "policy version changed to " + p.version();
    }
    if (r.comparable().contains(Rule.Comparable.PROMPT)
        && !before.provenance().promptFingerprint().equals(run.provenance().promptFingerprint())) {
      return "prompt fingerprint changed";
    }
    if (r.comparable().contains(Rule.Comparable.MODEL) && !before.provenance().model().equals(run.provenance().model())) {
      return "model changed to " + run.provenance().model();
    }
    if (!b.get().recommended().equals(p.recommended())) {
      return "headline estimator changed to " + p.recommended();
    }
    return null;
  }

  private static int quality(Rule.Quality r, RunRecord run, List<Alert> alerts) {
    int tests = 0;
    String period = run.period().key();
    for (PolicyResult p : policies(r.policies(), run)) {
      double[][] checks = {
        {r.sensitivity(), p.quality().sensitivity()},
        {r.specificity(), p.quality().specificity()},
        {r.kappa(), p.quality().kappa()}};
      String[] names = {"sensitivity", "specificity", "kappa"};
      for (int i = 0; i < 3; i++) {
        double bar = checks[i][0];
        double value = checks[i][1];
        if (Double.isNaN(bar) || Double.isNaN(value)) {
          continue;
        }
        tests++;
        if (value < bar) {
          alerts.add(new Alert(r.name(), "quality", period, p.policy(), EstimateRow.ALL, String.format(Locale.ROOT,
              "LLM %s %.3f is below %s", names[i], value, Numbers.shortest(bar)), values(names[i], value, "bar", bar)));
        }
      }
    }
    return tests;
  }

  private static int sizes(Rule.Sizes r, RunRecord run, List<Alert> alerts) {
    int tests = 0;
    String period = run.period().key();
    for (PolicyResult p : policies(r.policies(), run)) {
      RunRecord.Sizes z = p.sizes();
      int[][] checks = {{z.sample(), z.samplePlan(), r.sample()}, {z.gold(), z.goldPlan(), r.gold()}};
      String[] names = {"sample", "gold"};
      for (int i = 0; i < 2; i++) {
        int actual = checks[i][0];
        int plan = checks[i][1];
        int floor = checks[i][2];
        double need = Math.max(floor, !Double.isNaN(r.minFraction()) && plan > 0 ? Math.ceil(r.minFraction() * plan) : 0);
        if (need <= 0) {
          continue;
        }
        tests++;
        if (actual < need) {
          String why = plan > 0 && !Double.isNaN(r.minFraction()) && need > floor
              ? String.format(Locale.ROOT, "%.0f%% of the %d planned", r.minFraction() * 100, plan)
              : "the minimum";
          alerts.add(new Alert(r.name(), "sizes", period, p.policy(), EstimateRow.ALL, String.format(Locale.ROOT,
              "%s size %d is short of %s (%d)", names[i], actual, why, (int) need),
              values(names[i], actual, "plan", plan, "required", (int) need)));
        }
      }
    }
    return tests;
  }

  private static Map<String, Object> values(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String interval(EstimateRow e) {
    return String.format(Locale.ROOT, "%s [%s, %s]", Numbers.percentFixed(e.estimate(), 3), Numbers.percentFixed(e.lower(), 3), Numbers.percentFixed(e.upper(), 3));
  }
}
