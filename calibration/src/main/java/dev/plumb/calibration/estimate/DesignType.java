package dev.plumb.calibration.estimate;

import dev.plumb.core.LowerCaseId;
import java.util.Locale;

/**
 * The sampling designs plumb's estimators understand ({@code design.type} in {@code sample.json}).
 * Each design fixes how the design weight {@code d_i} is formed and which variance estimator of a
 * Horvitz–Thompson (or Hansen–Hurwitz) total applies; see docs/estimation.md for the formulas. A
 * design goes by its {@link #id()} ({@code ppswr}) in {@code sample.json} and on the command line.
 */
public enum DesignType implements LowerCaseId {
  /** Simple random sampling without replacement: one stratum, π = n/N, variance with fpc. */
  SRS,
  /** Stratified SRS without replacement: π_h = n_h/N_h, per-stratum variance with fpc. */
  STRATIFIED,
  /** Poisson sampling: independent inclusion with probability π_i; variance Σ(1−π_i)(z_i/π_i)². */
  POISSON,
  /** PPS with replacement: n independent draws with probabilities p_i; Hansen–Hurwitz variance. */
  PPSWR,
  /**
   * Priority sampling (Duffield, Lund &amp; Thorup 2007) with π̃_i = min(1, size_i/τ): the
   * Poisson-form variance with π̃ is unbiased conditional on the threshold (their Theorem; Szegedy
   * 2006 proves the near-optimality of the estimator).
   */
  PRIORITY;

  /** True when units carry a per-draw probability {@code p} and {@code draws} instead of π. */
  public boolean withReplacement() {
    return this == PPSWR;
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
    DesignType t = LowerCaseId.parse(values(), id.toLowerCase(Locale.ROOT));
    if (t == null) {
      throw new IllegalArgumentException(
          "unknown design \"" + id + "\" (expected one of " + String.join(", ", LowerCaseId.ids(values())) + ")");
    }
    return t;
  }
}
