package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;

/**
 * The phase-2 variance component of estimators whose coefficients are fitted on the gold set
 * (double sampling's group ratios R̂_g, PPI++'s λ̂), by the stratified delete-one jackknife over the
 * review sample (Rust &amp; Rao 1996, "Variance estimation for complex surveys using replication
 * techniques", Statistical Methods in Medical Research 5:283–310; Wolter 2007, ch. 4): dropping
 * gold unit k of phase-2 stratum g multiplies the other units' phase-2 weights in g by
 * n2_g/(n2_g − 1), the estimator is recomputed with its coefficients re-fitted, and
 * V2 = Σ_g (1 − n2_g/n1_g) (n2_g − 1)/n2_g Σ_{k∈g} (θ̂_(k) − θ̄_g)².
 *
 * <p>Under the Poisson (active) review units are drawn independently, so there is nothing to
 * re-weight: replicate k drops unit k alone and V2 = Σ_k (1 − π2_k)(θ̂_(k) − θ̂)², which for a
 * Horvitz–Thompson total Σ_G x/π2 is exactly Poisson sampling's Σ_G (1 − π2)(x/π2)².
 *
 * <p>Linearisation treats the fitted coefficients as known and understates the variance when few
 * units drive them (rare positives, heavy design weights); the replicates re-fit them. The phase-1
 * component stays analytic. Cost O(n2²) per estimator.
 */
final class Jackknife {
  /** An estimator as a function of the phase-2 weights d2 (per unit of S; 0 off the gold set). */
  interface Statistic {
    double value(double[] d2);
  }

  private Jackknife() {}

  static double phase2Variance(TwoPhaseSample s, boolean[] domain, Statistic statistic) {
    DesignSample p1 = s.phase1;
    double[] d2 = new double[p1.size()];
    for (int i : s.goldIndex) {
      d2[i] = 1 / s.pi2[i];
    }
    if (s.poisson) {
      double full = statistic.value(d2);
      double variance = 0;
      for (int k : s.goldIndex) {
        double[] w = d2.clone();
        w[k] = 0;
        double dev = statistic.value(w) - full;
        variance += (1 - s.pi2[k]) * dev * dev;
      }
      return variance;
    }
    int strata = s.strata2.size();
    double variance = 0;
    for (int g = 0; g < strata; g++) {
      int n2 = s.n2g[g];
      if (n2 < 2) {
        continue; // one reviewed unit: no within-stratum replication (as the linearised form)
      }
      double factor = n2 / (n2 - 1.0);
      double[] replicates = new double[n2];
      int r = 0;
      for (int k : s.goldIndex) {
        if (s.stratum2[k] != g) {
          continue;
        }
        double[] w = d2.clone();
        for (int i : s.goldIndex) {
          if (s.stratum2[i] == g) {
            w[i] *= factor;
          }
        }
        w[k] = 0;
        replicates[r++] = statistic.value(w);
      }
      double mean = 0;
      for (double v : replicates) {
        mean += v;
      }
      mean /= n2;
      double ss = 0;
      for (double v : replicates) {
        ss += (v - mean) * (v - mean);
      }
      double fpc = Math.max(0, 1 - n2 / s.n1g[g]);
      variance += fpc * (n2 - 1.0) / n2 * ss;
    }
    return variance;
  }
}
