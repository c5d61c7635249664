package dev.plumb.calibration.sampling;

import dev.plumb.core.LowerCaseId;

/**
 * What "stratum size" means to proportional and Neyman allocation: the exposure total
 * {@code M_h = Σ weight} (plumb's target is exposure-weighted prevalence) or the unit count
 * {@code N_h} (a unit-level rate).
 */
public enum Basis implements LowerCaseId {
  WEIGHT,
  UNITS;
}
