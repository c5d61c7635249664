package dev.plumb.calibration.estimate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sampling designs plumb's estimators understand ({@code design.type} in {@code sample.json}).
 * Each design fixes how the design weight {@code d_i} is formed and which variance estimator of a
 * Horvitz–Thompson (or Hansen–Hurwitz) total applies; see docs/estimation.md for the formulas.
 */
public enum DesignType {
  /** Simple random sampling without replacement: one stratum, π = n/N, variance with fpc. */
  SRS("srs", false),
  /** Stratified SRS without replacement: π_h = n_h/N_h, per-stratum variance with fpc. */
  STRATIFIED("stratified", false),
  /** Poisson sampling: independent inclusion with probability π_i; variance Σ(1−π_i)(z_i/π_i)². */
  POISSON("poisson", false),
  /** PPS with replacement: n independent draws with probabilities p_i; Hansen–Hurwitz variance. */
  PPSWR("ppswr", true),
  /**
   * Priority sampling (Duffield, Lund &amp; Thorup 2007) with π̃_i = min(1, size_i/τ): the
   * Poisson-form variance with π̃ is unbiased conditional on the threshold (their Theorem; Szegedy
   * 2006 proves the near-optimality of the estimator).
   */
  PRIORITY("priority", false);

  private final String id;
  private final boolean withReplacement;

  DesignType(String id, boolean withReplacement) {
    this.id = id;
    this.withReplacement = withReplacement;
  }

  /** The name in {@code sample.json} and on the command line, e.g. {@code ppswr}. */
  public String id() {
    return id;
  }

  /** True when units carry a per-draw probability {@code p} and {@code draws} instead of π. */
  public boolean withReplacement() {
    return withReplacement;
  }

  /** True for the designs whose variance uses the strata and their population sizes (fpc). */
  boolean stratifiedWithoutReplacement() {
    return this == SRS || this == STRATIFIED;
  }

  /** True for the designs with independent inclusions (Poisson form of the variance). */
  boolean poissonForm() {
    return this == POISSON || this == PRIORITY;
  }

  /**
   * The design named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the known designs
   */
  public static DesignType parse(String id) {
    for (DesignType t : values()) {
      if (t.id.equals(id.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown design \"" + id + "\" (expected one of "
            + Arrays.stream(values()).map(DesignType::id).collect(Collectors.joining(", ")) + ")");
  }
}
