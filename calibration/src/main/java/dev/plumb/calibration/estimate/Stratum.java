package dev.plumb.calibration.estimate;

/**
 * Population and sample totals of one stratum, as recorded in {@code sample.json}.
 *
 * @param id stratum id
 * @param units N_h, the number of frame units in the stratum (the finite-population correction
 *     uses it for SRS and stratified designs)
 * @param weight total exposure of the stratum in the frame (reported; the Hájek estimator does not
 *     need it)
 * @param n the achieved sample size: units for without-replacement designs, draws for PPSWR
 */
public record Stratum(String id, long units, double weight, int n) {
  public Stratum {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("stratum id must be a non-empty string");
    }
    if (units < 0) {
      throw new IllegalArgumentException("stratum " + id + ": units must be >= 0: " + units);
    }
    if (!(weight >= 0)) {
      throw new IllegalArgumentException("stratum " + id + ": weight must be >= 0: " + weight);
    }
    if (n < 0) {
      throw new IllegalArgumentException("stratum " + id + ": n must be >= 0: " + n);
    }
  }
}
