package dev.plumb.calibration.estimate;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Confidence intervals for a design-based prevalence {@link Estimate}. {@link #interval} validates
 * once and handles the boundaries the same way for every method; each constant implements its
 * formula.
 *
 * <p>Boundaries: with no positive in the domain (P̂ = 0) the design variance is 0 and no two-sided
 * interval is informative, so every method returns the one-sided Clopper–Pearson upper bound
 * 1 − (1 − level)^(1/n*) on Kish's effective sample size n* (≈ 3/n* at 95%, the "rule of three");
 * with every unit positive, symmetrically the lower bound (1 − level)^(1/n*). A census (variance 0
 * with 0 &lt; P̂ &lt; 1: every stratum fully enumerated) gives the point itself.
 *
 * <p>{@link #MOVER_WILSON}, {@link #GAMMA} and {@link #KG_GAMMA} belong to two-phase (corrected) estimation: {@link
 * #parseCorrected} knows them; {@link #parse} knows only {@code kg-gamma}, the default, which on a single design estimate
 * (no review classes to switch on) is {@link #KORN_GRAUBARD}.
 */
public enum IntervalMethod {
  /**
   * Korn &amp; Graubard (1998): Clopper–Pearson on the effective sample size n* = P̂(1−P̂)/V̂,
   * adjusted for the design's degrees of freedom by n* (t_{α/2, n−1} / t_{α/2, df})² (n = {@link
   * Estimate#ktRows()}), with x* =
   * P̂ n*. Identical to R {@code survey::svyciprop(method = "beta")}. It keeps coverage near nominal for
   * rare prevalence where Wald and logit intervals undercover; the default {@link #KG_GAMMA} is this interval
   * except where a review class saw nothing.
   */
  KORN_GRAUBARD("korn-graubard") {
    @Override
    Interval compute(Estimate e, double[] replicates, double level) {
      double alpha = 1 - level;
      double nEff = e.nEff();
      if (e.ktRows() > 1 && e.df() > 0) {
        double ratio =
            TDistribution.of(e.ktRows() - 1.0).inverseCumulativeProbability(alpha / 2)
                / TDistribution.of(e.df()).inverseCumulativeProbability(alpha / 2);
        nEff *= ratio * ratio;
      }
      Interval cp = BinomialInterval.CLOPPER_PEARSON.interval(e.estimate() * nEff, nEff, level);
      return new Interval(cp.lower(), cp.upper(), level, label, false);
    }
  },
  /**
   * Logit interval: expit(logit P̂ ± t_{1−α/2, df} · SE/(P̂(1−P̂))), the delta-method interval on the
   * log-odds scale. Identical to R {@code survey::svyciprop(method = "logit")} (a quasi-binomial
   * {@code svyglm} intercept with {@code ddf = degf(design)}); the normal quantile when df &lt; 1.
   */
  LOGIT("logit") {
    @Override
    Interval compute(Estimate e, double[] replicates, double level) {
      double p = e.estimate();
      double q = quantile(level, e.df());
      double centre = Math.log(p / (1 - p));
      double h = q * e.se() / (p * (1 - p));
      return new Interval(expit(centre - h), expit(centre + h), level, label, false);
    }
  },
  /**
   * Wilson score interval on the effective sample size n* = P̂(1−P̂)/V̂ with x* = P̂ n* and the normal
   * quantile (Wilson 1927; the design-based use as in Kott &amp; Carr 1997, without their t quantile).
   */
  WILSON("wilson") {
    @Override
    Interval compute(Estimate e, double[] replicates, double level) {
      Interval w = BinomialInterval.WILSON.interval(e.estimate() * e.nEff(), e.nEff(), level);
      return new Interval(w.lower(), w.upper(), level, label, false);
    }
  },
  /** Wald: P̂ ± z_{1−α/2} SE, clipped to [0, 1]; R {@code confint(svymean(...))}. Undercovers when P̂ is rare. */
  WALD("wald") {
    @Override
    Interval compute(Estimate e, double[] replicates, double level) {
      double h = BinomialInterval.z(level) * e.se();
      return Interval.clamped(e.estimate() - h, e.estimate() + h, 0, 1, level, label, false);
    }
  },
  /**
   * Percentile interval from design-respecting bootstrap replicates ({@link Bootstrap}): the α/2 and
   * 1 − α/2 sample quantiles of the replicate estimates (linear interpolation between order
   * statistics, R's {@code quantile(type = 7)}). Replicates that gave the domain no weight (NaN) are
   * skipped.
   */
  BOOTSTRAP("bootstrap") {
    @Override
    Interval compute(Estimate e, double[] replicates, double level) {
      double[] sorted = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
      if (sorted.length < 2) {
        throw new IllegalArgumentException("a bootstrap interval needs at least 2 finite replicate estimates");
      }
      double alpha = 1 - level;
      return new Interval(
          percentile(sorted, alpha / 2), percentile(sorted, 1 - alpha / 2), level, label, false);
    }
  },
  /**
   * MOVER over a Wilson interval per review class, for the human-only estimator of a two-phase sample
   * (docs/calibration.md, "Small counts in a review class"; Zou &amp; Donner 2008): that interval needs
   * the review classes, which {@code corrected/Estimators} has and a single {@link Estimate} has not.
   * A single design-based estimate (the other corrected estimators') gets {@link #KORN_GRAUBARD}'s
   * interval, labelled {@code korn-graubard}; see {@link #forDesignEstimate()}.
   */
  MOVER_WILSON("mover-wilson", true),
  /**
   * Fay &amp; Feuer's (1997) gamma interval for human-only's P̂ = Σ c_i y_i over the reviewed units
   * ({@link dev.plumb.calibration.stats.GammaInterval}; docs/calibration.md, "A gamma interval for rare
   * unseen events"): the weight w of one more event comes from the review classes, which {@code
   * corrected/Estimators} has and a single {@link Estimate} has not. A single design-based estimate
   * (the other corrected estimators') gets {@link #KORN_GRAUBARD}'s interval, as with {@link
   * #MOVER_WILSON}.
   */
  GAMMA("gamma", true),
  /**
   * Human-only's {@link #KORN_GRAUBARD} interval, except where a review stratum reviewed in part (all its weight
   * classes together) holds no gold positive and stands for at least a tenth of the estimated exposure (the
   * report's unseen-class note): there the gamma interval (Fay &amp; Feuer 1997) with w = that stratum's mean c_i,
   * labelled {@code gamma}
   * (docs/calibration.md, "Korn–Graubard, gamma where a class saw nothing"). A single design-based estimate
   * gets {@link #KORN_GRAUBARD}'s interval, as with {@link #MOVER_WILSON}, and so does an active (Poisson) review,
   * which has no classes. The default (docs/calibration.md, "The default interval").
   */
  KG_GAMMA("kg-gamma", true);

  final String label;
  /** Human-only's two-phase interval, built from the review classes; a single design estimate gets Korn–Graubard. */
  private final boolean twoPhaseOnly;

  IntervalMethod(String label) {
    this(label, false);
  }

  IntervalMethod(String label, boolean twoPhaseOnly) {
    this.label = label;
    this.twoPhaseOnly = twoPhaseOnly;
  }

  /** The method's name in reports and on the command line, e.g. {@code korn-graubard}. */
  public String label() {
    return label;
  }

  /**
   * The method this one applies to a single design-based {@link Estimate}: itself, except {@link
   * #MOVER_WILSON}, {@link #GAMMA} and {@link #KG_GAMMA}, which give such an estimate {@link #KORN_GRAUBARD}.
   */
  public IntervalMethod forDesignEstimate() {
    return twoPhaseOnly ? KORN_GRAUBARD : this;
  }

  /**
   * The method named {@code label} (case-insensitive) for a single design-based estimate: any but
   * {@link #MOVER_WILSON} and {@link #GAMMA}; {@code kg-gamma} (the default of every {@code --interval}) gives
   * {@link #KORN_GRAUBARD}, what it is without review classes.
   *
   * @throws IllegalArgumentException listing the known methods
   */
  public static IntervalMethod parse(String label) {
    List<IntervalMethod> known =
        Arrays.stream(values()).filter(m -> m.forDesignEstimate() == m || m == KG_GAMMA).collect(Collectors.toList());
    for (IntervalMethod m : known) {
      if (m.label.equals(label.toLowerCase(Locale.ROOT))) {
        return m.forDesignEstimate();
      }
    }
    throw new IllegalArgumentException(
        "unknown interval method \"" + label + "\" (expected one of "
            + known.stream().map(IntervalMethod::label).collect(Collectors.joining(", ")) + ")");
  }

  /**
   * The method named {@code label} (case-insensitive) for corrected (two-phase) estimates: any but
   * {@link #BOOTSTRAP}, which has no two-phase replicates.
   *
   * @throws IllegalArgumentException for bootstrap, or for an unknown name, listing the corrected methods
   */
  public static IntervalMethod parseCorrected(String label) {
    for (IntervalMethod m : values()) {
      if (m.forDesignEstimate() != m && m.label.equals(label.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    IntervalMethod m;
    try {
      m = parse(label);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("unknown interval method \"" + label + "\" (expected one of "
          + "korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma)");
    }
    if (m == BOOTSTRAP) {
      throw new IllegalArgumentException("bootstrap is not available for corrected estimators; use "
          + "korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma");
    }
    return m;
  }

  /** The interval for an analytic method; {@link #BOOTSTRAP} needs the replicates. */
  public Interval interval(Estimate estimate, double level) {
    return interval(estimate, null, level);
  }

  /**
   * The interval at confidence {@code level} for a prevalence estimate.
   *
   * @param replicates bootstrap replicate estimates (required by {@link #BOOTSTRAP}, ignored by the
   *     others)
   * @throws IllegalArgumentException when level is not in (0, 1), or the bootstrap has no replicates
   */
  public Interval interval(Estimate estimate, double[] replicates, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("Confidence level is not in (0, 1): " + level);
    }
    if (this == BOOTSTRAP && (replicates == null || replicates.length < 2)) {
      throw new IllegalArgumentException("a bootstrap interval needs at least 2 replicate estimates");
    }
    if (estimate.atZero()) {
      return BinomialInterval.upperBoundForZero(estimate.kishNEff(), level);
    }
    if (estimate.atOne()) {
      return new Interval(Math.pow(1 - level, 1 / estimate.kishNEff()), 1, level, "clopper-pearson-lower", true);
    }
    if (estimate.variance() == 0) {
      return new Interval(estimate.estimate(), estimate.estimate(), level, "census", false);
    }
    return compute(estimate, replicates, level);
  }

  /** The method's formula; a two-phase-only method gives a single design estimate {@link #KORN_GRAUBARD}'s. */
  Interval compute(Estimate e, double[] replicates, double level) {
    return KORN_GRAUBARD.compute(e, replicates, level);
  }

  static double quantile(double level, int df) {
    double upper = 1 - (1 - level) / 2;
    return df >= 1 ? TDistribution.of(df).inverseCumulativeProbability(upper) : BinomialInterval.z(level);
  }

  static double expit(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** R quantile type 7 on sorted values. */
  static double percentile(double[] sorted, double prob) {
    double h = (sorted.length - 1) * prob;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
