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
   * the power-tuning λ that minimises the variance, clipped to [0, 1].
   */
  PPI_PLUS_PLUS("ppi++"),
  /**
   * Rogan–Gladen correction of the LLM-only estimate with sensitivity and specificity estimated
   * on G; Lang–Reiczigel interval.
   */
  ROGAN_GLADEN("rogan-gladen");

  private final String label;

  CorrectedEstimator(String label) {
    this.label = label;
  }

  /** The name in reports, e.g. {@code ppi++}. */
  public String label() {
    return label;
  }
}
