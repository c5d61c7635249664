package dev.plumb.calibration.corrected;

import java.util.Objects;

/**
 * One reviewed unit of the phase-2 (gold) subsample.
 *
 * @param unit the unit id; must be in the phase-1 sample
 * @param positive whether the gold decision counts toward prevalence
 * @param stratum the phase-2 stratum the unit was drawn from (e.g. {@code llm_positive}; one
 *     stratum, e.g. {@code all}, for simple random review)
 * @param pi the phase-2 inclusion probability given the phase-1 sample, in (0, 1]; constant within
 *     a phase-2 stratum (stratified simple random sampling within S)
 */
public record GoldUnit(String unit, boolean positive, String stratum, double pi) {
  public GoldUnit {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(stratum, "stratum");
    if (!(pi > 0 && pi <= 1)) {
      throw new IllegalArgumentException("phase-2 pi of unit " + unit + " is not in (0, 1]: " + pi);
    }
  }
}
