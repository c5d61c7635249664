package dev.plumb.calibration.estimate;

/**
 * How a sampled unit came into the sample: its {@code design} record in {@code sample.jsonl}.
 * Without-replacement designs record the first-order inclusion probability π; with-replacement
 * designs the per-draw probability p and how many of the stratum's draws selected the unit.
 */
public sealed interface Inclusion {

  /** The stratum id ({@code all} for unstratified designs). */
  String stratum();

  /** π_i for a without-replacement design (SRS, stratified, Poisson, priority). */
  record WithoutReplacement(String stratum, double pi) implements Inclusion {
    public WithoutReplacement {
      requireStratum(stratum);
      if (!(pi > 0 && pi <= 1)) {
        throw new IllegalArgumentException("pi must be in (0, 1]: " + pi);
      }
    }
  }

  /** Per-draw probability p_i and the number of draws that selected the unit (PPS with replacement). */
  record WithReplacement(String stratum, double p, int draws) implements Inclusion {
    public WithReplacement {
      requireStratum(stratum);
      if (!(p > 0 && p <= 1)) {
        throw new IllegalArgumentException("p must be in (0, 1]: " + p);
      }
      if (draws < 1) {
        throw new IllegalArgumentException("draws must be at least 1: " + draws);
      }
    }
  }

  private static void requireStratum(String stratum) {
    if (stratum == null || stratum.isEmpty()) {
      throw new IllegalArgumentException("stratum must be a non-empty string");
    }
  }
}
