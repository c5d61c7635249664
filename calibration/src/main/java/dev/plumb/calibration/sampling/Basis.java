package dev.plumb.calibration.sampling;

import java.util.Locale;

/**
 * What "stratum size" means to proportional and Neyman allocation: the exposure total
 * {@code M_h = Σ weight} (plumb's target is exposure-weighted prevalence) or the unit count
 * {@code N_h} (a unit-level rate).
 */
public enum Basis {
  WEIGHT,
  UNITS;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
