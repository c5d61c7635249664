package dev.plumb.calibration.corrected;

/**
 * The prevalence estimators of a two-phase sample (formulas, variances, assumptions and
 * references in docs/calibration.md). All are design-weighted: exposure m_i, phase-1 weight
 * d1_i = 1/π1_i, phase-2 weight d2_i = 1/π2_i.
 */
public enum CorrectedEstimator {
  /** Hájek ratio on the gold set G with weights m/(π1π2); two-phase variance. */
  HUMAN_ONLY("human-only"),
  /** Hájek ratio of the LLM's calls on S: biased by the LLM's errors, shown for contrast. */
  LLM_ONLY("llm-only"),
  /**
   * Double sampling for stratification by the LLM decision: P̂(ŷ=1)·PPV + P̂(ŷ=0)·(1 − NPV), the
   * group shares from S and the predictive values from G.
   */
  DOUBLE_SAMPLING("double-sampling"),
  /**
   * Prediction-powered inference (Angelopoulos et al. 2023, Science 382:669–674): the LLM's
   * estimate on S plus the rectifier (gold − LLM) estimated on G — the difference estimator.
   */
  PPI("ppi"),
  /**
   * PPI++ (Angelopoulos, Duchi &amp; Zrnic 2023, arXiv:2311.01453): PPI with the LLM term scaled by
   * the power-tuning λ that minimises the variance, clipped to [0, 1]. Its phase-2 variance is the
   * larger of the jackknife and the variance the LLM's probabilities anticipate, as for stratified PPI.
   */
  PPI_PLUS_PLUS("ppi++"),
  /**
   * Rogan–Gladen correction of the LLM-only estimate with sensitivity and specificity estimated
   * on G; Lang–Reiczigel interval.
   */
  ROGAN_GLADEN("rogan-gladen"),
  /**
   * Stratified PPI (Fisch et al. 2024, "Stratified Prediction-Powered Inference for Hybrid Language
   * Model Evaluation", NeurIPS): within each LLM-call group h, the gold's Hájek mean plus λ_h times
   * the gap between the LLM's probability on S and on G, λ_h tuned per group to minimise the
   * variance (0 where the LLM's probability does not vary, i.e. the LLM is ignored there), groups
   * combined by their exposure shares from S.
   */
  STRATIFIED_PPI("stratified-ppi"),
  /**
   * The inverse-probability-weighted (AIPW) estimator of active statistical inference (Zrnic &amp;
   * Candès 2024, ICML; Gligorić et al. 2025, NAACL): the LLM's probability summed over S, plus the
   * Horvitz–Thompson total of the rectifier y − λ·f over the reviewed units, over S's exposure; λ
   * minimises the phase-2 variance. Made for the confidence-driven review ({@code type: active}),
   * valid under any phase-2 design.
   */
  ACTIVE_AIPW("active-aipw");

  private final String label;

  CorrectedEstimator(String label) {
    this.label = label;
  }

  /**
   * The estimator of a report name, e.g. {@code stratified-ppi}.
   *
   * @throws IllegalArgumentException naming the known names when {@code label} is none of them
   */
  public static CorrectedEstimator parse(String label) {
    for (CorrectedEstimator e : values()) {
      if (e.label.equals(label)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown estimator \"" + label + "\" (" + String.join(", ",
        java.util.Arrays.stream(values()).map(CorrectedEstimator::label).toList()) + ")");
  }

  /** The name in reports, e.g. {@code ppi++}. */
  public String label() {
    return label;
  }
}
