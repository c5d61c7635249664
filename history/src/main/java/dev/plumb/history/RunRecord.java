package dev.plumb.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One calibrated run of one period in one series: what the history store keeps. A series is a
 * sequence of comparable runs — {@code main} for the daily production runs, another name (e.g.
 * {@code backfill:self_harm@3}) for a parallel series computed over the same periods.
 *
 * @param series the series name; {@code main} unless a backfill or experiment
 * @param period the period the run measured
 * @param recordedAt when it was recorded
 * @param provenance what produced the numbers
 * @param policies one result per policy, in the run's order
 */
public record RunRecord(
    String series, Period period, Instant recordedAt, Provenance provenance, List<PolicyResult> policies) {

  /** The series of production runs. */
  public static final String MAIN = "main";

  public RunRecord {
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(provenance, "provenance");
    if (series.isBlank()) {
      throw new IllegalArgumentException("series must not be blank");
    }
    policies = List.copyOf(policies);
    if (policies.stream().map(PolicyResult::policy).distinct().count() != policies.size()) {
      throw new IllegalArgumentException("a policy appears twice in the run of " + period);
    }
  }

  public Optional<PolicyResult> policy(String id) {
    return policies.stream().filter(p -> p.policy().equals(id)).findFirst();
  }

  /**
   * What produced a run's numbers.
   *
   * @param promptFingerprint the prompt bundle fingerprint ({@code sha256:...}); empty when unknown
   * @param model the labeling model, e.g. {@code gpt-4.1-mini}; empty when unknown
   * @param sampleManifest sha256 of the sample manifest (sample.json); empty when unknown
   * @param tool the plumb version that computed the run
   * @param source where the run came from, e.g. the report.json path or {@code generated}
   */
  public record Provenance(String promptFingerprint, String model, String sampleManifest, String tool, String source) {
    public Provenance {
      promptFingerprint = nz(promptFingerprint);
      model = nz(model);
      sampleManifest = nz(sampleManifest);
      tool = nz(tool);
      source = nz(source);
    }
  }

  /**
   * One policy's result in a run.
   *
   * @param policy the policy id, without version ({@code self_harm})
   * @param version the policy version key ({@code self_harm@3})
   * @param recommended the headline estimator's label ({@code ppi++}); its estimates are flagged
   * @param signoff the sign-off verdict
   * @param quality the LLM's decision quality against gold
   * @param sizes sample and gold sizes against plan
   * @param estimates per estimator × domain
   * @param goldReuse gold reviewed under other versions and reused ({@link GoldReuse#NONE} when none)
   */
  public record PolicyResult(
      String policy, String version, String recommended, Signoff signoff, DecisionQuality quality,
      Sizes sizes, List<EstimateRow> estimates, GoldReuse goldReuse) {
    public PolicyResult {
      Objects.requireNonNull(policy, "policy");
      version = nz(version);
      recommended = nz(recommended);
      Objects.requireNonNull(signoff, "signoff");
      Objects.requireNonNull(quality, "quality");
      Objects.requireNonNull(sizes, "sizes");
      estimates = List.copyOf(estimates);
      Objects.requireNonNull(goldReuse, "goldReuse");
    }

    /** A result whose gold was all reviewed under its own version. */
    public PolicyResult(String policy, String version, String recommended, Signoff signoff, DecisionQuality quality,
        Sizes sizes, List<EstimateRow> estimates) {
      this(policy, version, recommended, signoff, quality, sizes, estimates, GoldReuse.NONE);
    }

    /** The recommended estimator's row for {@code domain}, when there is one. */
    public Optional<EstimateRow> headline(String domain) {
      return estimate(recommended, domain);
    }

    public Optional<EstimateRow> estimate(String estimator, String domain) {
      return estimates.stream()
          .filter(e -> e.estimator().equals(estimator) && e.domain().equals(domain))
          .findFirst();
    }
  }

  /**
   * The sign-off of one policy: {@code PASS}, {@code WARN}, {@code FAIL}, or {@code NONE} when the
   * run had no sign-off thresholds.
   */
  public record Signoff(String verdict, List<String> reasons) {
    public static final Signoff NONE = new Signoff("NONE", List.of());

    public Signoff {
      Objects.requireNonNull(verdict, "verdict");
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * Gold reviewed under other versions of the policy and reused for this run's version (a backfill
   * across versions whose decision definitions are the same, docs/history.md).
   *
   * @param reviewedUnder the version keys it was reviewed under, comma-separated; empty when none
   * @param units the gold units reused (of {@link Sizes#gold()}); 0 when none
   */
  public record GoldReuse(String reviewedUnder, int units) {
    public static final GoldReuse NONE = new GoldReuse("", 0);

    public GoldReuse {
      reviewedUnder = nz(reviewedUnder);
      if (units < 0 || (units == 0) != reviewedUnder.isEmpty()) {
        throw new IllegalArgumentException("gold reuse: " + units + " units reviewed under \"" + reviewedUnder + "\"");
      }
    }

    public boolean any() {
      return units > 0;
    }

    /** {@code gold reviewed under self_harm@2, reused: 1,200 of 1,200 units}; empty when none. */
    public String describe(int gold) {
      return any() ? "gold reviewed under " + reviewedUnder.replace(",", " and ") + ", reused: "
          + dev.plumb.core.Numbers.count(units) + " of " + dev.plumb.core.Numbers.count(gold) + " units" : "";
    }
  }

  /**
   * The LLM's decision quality against the gold set (population-weighted), each NaN when unknown.
   * Interval bounds are NaN when the report gave none.
   */
  public record DecisionQuality(
      double sensitivity, double sensitivityLower, double sensitivityUpper,
      double specificity, double specificityLower, double specificityUpper, double kappa) {
    public static final DecisionQuality UNKNOWN =
        new DecisionQuality(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /**
   * Sample and gold sizes of one policy, with the plan when known (0 when no plan).
   *
   * @param sample units with an ok label for the policy
   * @param samplePlan units the design planned
   * @param gold units with gold for the policy
   * @param goldPlan gold units planned
   */
  public record Sizes(int sample, int samplePlan, int gold, int goldPlan) {
    public Sizes {
      if (sample < 0 || samplePlan < 0 || gold < 0 || goldPlan < 0) {
        throw new IllegalArgumentException("sizes must be >= 0");
      }
    }
  }

  /**
   * One estimator's answer for one domain.
   *
   * @param estimator the estimator label ({@code ppi++}, {@code human-only}, ...)
   * @param domain {@code all} for the whole population, else {@code attribute=value} ({@code surface=search})
   * @param kind {@code estimate}, {@code upper-bound} (no positive observed: only the upper bound
   *     is informative) or {@code not-estimable}
   * @param estimate the point estimate (NaN when not estimable)
   * @param se the standard error (NaN when none)
   * @param lower the interval's lower bound (NaN when none)
   * @param upper the interval's upper bound (NaN when none)
   * @param confidence the interval's level, e.g. 0.95
   * @param method the interval method
   * @param recommended whether this is the policy's headline estimator
   * @param note a caveat or the reason it is not estimable
   */
  public record EstimateRow(
      String estimator, String domain, String kind, double estimate, double se, double lower, double upper,
      double confidence, String method, boolean recommended, String note) {
    public static final String ALL = "all";

    public EstimateRow {
      Objects.requireNonNull(estimator, "estimator");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(kind, "kind");
      method = nz(method);
      note = nz(note);
    }

    public boolean estimated() {
      return kind.equals("estimate");
    }
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  /** Domain key of {@code attribute = value}. */
  public static String domain(String attribute, String value) {
    return attribute + "=" + value;
  }

  /** Renders a small map as {@code k=v, k=v} (used in messages). */
  static String join(Map<String, ?> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return b.toString();
  }
}
