package dev.plumb.calibration.estimate;

/**
 * A design-based ratio estimate P̂ = Σ d_i m_i y_i δ_i / Σ d_i m_i δ_i over a domain (δ_i = 1 for
 * units in it), with its linearisation variance under the sample's design.
 *
 * @param estimate P̂
 * @param se standard error, √variance
 * @param variance the linearisation variance of P̂ (Särndal, Swensson &amp; Wretman 1992, §5.6)
 * @param n distinct sampled units in the domain
 * @param rows sampled rows in the domain: n for without-replacement designs, the number of draws
 *     for PPS with replacement (R {@code survey}'s {@code nrow(design)} with one row per draw)
 * @param ktRows the n in the Korn–Graubard degrees-of-freedom adjustment t_{n−1}: {@code rows},
 *     except in a domain of a Poisson or priority sample, where it is the whole sample's rows —
 *     R {@code survey} subsets such (pps) designs by zeroing weights rather than dropping rows, and
 *     {@code svyciprop} uses {@code nrow(design)}; plumb follows R, which is the more conservative
 * @param df design degrees of freedom: PSUs (units or draws) in the domain minus strata present in
 *     it; rows − 1 for Poisson and priority samples (R {@code survey}'s {@code degf})
 * @param sumY Σ y_i δ_i over sampled units, unweighted: the number of positives for 0/1 outcomes
 * @param total M̂ = Σ d_i m_i δ_i, the estimated exposure of the domain
 * @param nEff effective sample size P̂(1−P̂)/variance (Korn &amp; Graubard 1998); when P̂ is 0 or 1
 *     the variance is 0 and Kish's weighting effective size {@code kishNEff} stands in; +∞ for a
 *     census (variance 0 with 0 &lt; P̂ &lt; 1)
 * @param deff design effect rows/nEff: the variance relative to a simple random sample with
 *     replacement of the same size, P̂(1−P̂)/rows (Kish 1965, §8.2)
 * @param kishNEff Kish's effective sample size (Σ w_i)²/Σ w_i² with w_i = d_i m_i over the domain:
 *     the loss from unequal weights alone; for PPS with replacement the sums run over draws, each
 *     draw k of unit i weighted m_i/(n_h p_i), as R {@code survey} with one row per draw
 */
public record Estimate(
    double estimate,
    double se,
    double variance,
    int n,
    int rows,
    int ktRows,
    int df,
    double sumY,
    double total,
    double nEff,
    double deff,
    double kishNEff) {

  public Estimate {
    if (Double.isNaN(estimate)) {
      throw new IllegalArgumentException("estimate is NaN");
    }
    if (!(variance >= 0)) {
      throw new IllegalArgumentException("variance must be >= 0: " + variance);
    }
    if (n < 0 || rows < n || ktRows < rows) {
      throw new IllegalArgumentException(
          "need 0 <= n <= rows <= ktRows: n = " + n + ", rows = " + rows + ", ktRows = " + ktRows);
    }
  }

  /** True when no positive was observed in the domain (0/1 outcomes): only an upper bound is informative. */
  public boolean atZero() {
    return estimate <= 0;
  }

  /** True when every unit in the domain was positive: only a lower bound is informative. */
  public boolean atOne() {
    return estimate >= 1;
  }
}
