package dev.plumb.calibration.estimate;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.Objects;

/**
 * The narrowest interval a domain's data allow once its certainty units are set apart: an interval
 * is never narrower than what the unseen, non-certainty part of the frame allows.
 *
 * <p>Why: a certainty unit (inclusion probability 1) is known exactly and adds no variance. When the
 * positives a sample saw are certainty units and the rest of the sample saw none, the linearisation
 * variance comes only from the negatives' spread and the interval has almost no width — 1 positive
 * with π = 1 gave 0.0159% [0.0155%, 0.0163%] against a truth of 0.056% (issue 14). The part of the
 * frame that was sampled with π &lt; 1 may hold violations the sample did not draw, and a design
 * interval cannot see them.
 *
 * <p>The floor: with C the certainty units of the domain and U the others, w_i = d_i m_i, the ratio
 * is P̂ = (Y_C + M̂_U P̂_U)/M̂ with Y_C = Σ_C m_i y_i known, M̂_U = Σ_U w_i, M̂ = Σ w_i and
 * P̂_U = Σ_U w_i y_i / M̂_U. P̂_U gets the two-sided Clopper–Pearson interval [L_U, U_U] on
 * (P̂_U n_U, n_U), n_U Kish's effective size (Σ_U w)²/Σ_U w² of the non-certainty units (Kish
 * 1965, §11.7; with no positive among them U_U = 1 − (α/2)^{1/n_U}, the exact bound for what they
 * could hold). The floor interval is [(Y_C + M̂_U L_U)/M̂, (Y_C + M̂_U U_U)/M̂], and the reported
 * interval is the union of the design interval and the floor (Korn &amp; Graubard 1998 argue the
 * same way for small expected counts: an interval for a rare proportion should not be narrower than
 * the exact binomial one on the effective sample size).
 *
 * <p>The floor binds only when the non-certainty units showed no positive (P̂_U = 0, so L_U = 0 and
 * the floor is [P̂, (Y_C + M̂_U U_U)/M̂]): then nothing in the design variance speaks for what they
 * may hold. When they showed positives, the design variance (and Korn–Graubard's or MOVER-Wilson's
 * small-count handling) already carries them, and a floor that pools the non-certainty strata on
 * one Kish n would only be cruder. A domain without certainty units, or made only of them (a
 * census), is left as it is; so is a one-sided bound (no positive at all), which already is the
 * exact bound.
 *
 * @param certainTotal Y_C = Σ_C m_i y_i
 * @param uncertainExposure M̂_U = Σ_U d_i m_i
 * @param uncertainTotal Σ_U d_i m_i y_i
 * @param uncertainKish n_U = (Σ_U w)²/Σ_U w², 0 without non-certainty units
 * @param exposure M̂ = Σ d_i m_i over the domain
 * @param certainUnits units with π = 1 in the domain
 * @param uncertainUnits units with π &lt; 1 in the domain
 * @param uncertainPositives non-certainty units called positive (for an error model's gold, its calls,
 *     not the unbiased gold, which is never exactly 0 on a reviewed unit)
 */
public record CertaintyFloor(
    double certainTotal, double uncertainExposure, double uncertainTotal, double uncertainKish, double exposure,
    int certainUnits, int uncertainUnits, int uncertainPositives) {

  /** How close to 1 an inclusion probability must be to count as certain (rounding in π₁·π₂). */
  static final double CERTAIN = 1e-9;

  /**
   * The split of a domain, from per-unit weights w_i = d_i m_i, outcomes y_i and inclusion
   * probabilities π_i (overall: π₁·π₂ for a reviewed unit of a two-phase sample).
   *
   * @param domain per-unit domain indicator, or {@code null} for every unit
   */
  public static CertaintyFloor of(double[] w, double[] y, double[] pi, boolean[] domain) {
    boolean[] calls = new boolean[y.length];
    for (int i = 0; i < y.length; i++) {
      calls[i] = y[i] != 0;
    }
    return of(w, y, calls, pi, domain);
  }

  /**
   * The split of a domain whose outcomes y_i are an error model's unbiased gold, with the gold calls
   * deciding whether the non-certainty units showed a positive ({@link #applies()}).
   */
  public static CertaintyFloor of(double[] w, double[] y, boolean[] calls, double[] pi, boolean[] domain) {
    Objects.requireNonNull(w, "w");
    if (y.length != w.length || calls.length != w.length || pi.length != w.length
        || domain != null && domain.length != w.length) {
      throw new IllegalArgumentException("w, y, calls, pi and domain must have the same length");
    }
    double yc = 0;
    double mu = 0;
    double yu = 0;
    double sw2 = 0;
    double total = 0;
    int c = 0;
    int u = 0;
    int up = 0;
    for (int i = 0; i < w.length; i++) {
      if (domain != null && !domain[i] || !(w[i] > 0)) {
        continue;
      }
      total += w[i];
      if (pi[i] >= 1 - CERTAIN) {
        yc += w[i] * y[i];
        c++;
      } else {
        mu += w[i];
        yu += w[i] * y[i];
        sw2 += w[i] * w[i];
        u++;
        up += calls[i] ? 1 : 0;
      }
    }
    return new CertaintyFloor(yc, mu, yu, sw2 > 0 ? mu * mu / sw2 : 0, total, c, u, up);
  }

  /** The split of a domain of a one-phase sample (π_i from the design, w_i = d_i m_i). */
  public static CertaintyFloor of(DesignSample sample, double[] y, boolean[] domain) {
    int n = sample.size();
    double[] w = new double[n];
    double[] pi = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = sample.d[i] * sample.m[i];
      // a unit drawn with replacement is certain only if every draw must pick it (p = 1)
      pi[i] = sample.type().withReplacement() ? sample.pi[i] * sample.draws[i] / sample.sampled[sample.stratum[i]]
          : sample.pi[i];
    }
    return of(w, y, pi, domain);
  }

  /**
   * True when the domain has certainty and non-certainty units and the latter showed no positive (no
   * positive call): only then does the floor bind.
   */
  public boolean applies() {
    return certainUnits > 0 && uncertainUnits > 0 && exposure > 0 && uncertainPositives == 0;
  }

  /** The floor interval at two-sided confidence {@code level}, or {@code null} when it does not apply. */
  public Interval floor(double level) {
    if (!applies()) {
      return null;
    }
    double pu = Math.min(1, Math.max(0, uncertainTotal / uncertainExposure));
    Interval cp = BinomialInterval.CLOPPER_PEARSON.interval(pu * uncertainKish, uncertainKish, level);
    return new Interval((certainTotal + uncertainExposure * cp.lower()) / exposure,
        Math.min(1, (certainTotal + uncertainExposure * cp.upper()) / exposure), level, "certainty-floor", false);
  }

  /**
   * {@code ci} widened to contain the floor: the union of the two, keeping {@code ci}'s method
   * name. A one-sided {@code ci}, or one where the floor does not apply, is returned unchanged.
   */
  public Interval widen(Interval ci, double level) {
    Interval f = ci.oneSided() ? null : floor(level);
    if (f == null || f.lower() >= ci.lower() && f.upper() <= ci.upper()) {
      return ci;
    }
    return new Interval(Math.min(ci.lower(), f.lower()), Math.max(ci.upper(), f.upper()), ci.confidence(), ci.method(),
        false);
  }
}
