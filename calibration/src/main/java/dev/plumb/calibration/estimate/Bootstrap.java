package dev.plumb.calibration.estimate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Design-respecting bootstrap replicates of Hájek ratios. Each replicate multiplies every design
 * weight d_i by a random adjustment a_i with E[a_i] = 1 whose variance reproduces the design's
 * variance estimator of a total:
 *
 * <ul>
 *   <li>SRS and stratified (without replacement): the Rao–Wu rescaling bootstrap (Rao &amp; Wu 1988;
 *       Rao, Wu &amp; Yue 1992) with m_h = n_h − 1 units drawn with replacement in each stratum and
 *       the finite-population correction in λ_h = √(1 − n_h/N_h): a_i = 1 − λ_h + λ_h n_h/(n_h − 1)
 *       r_i, r_i being how often unit i was drawn. Strata with one sampled unit or fully enumerated
 *       are held fixed (a_i = 1).
 *   <li>PPS with replacement: the same with λ_h = 1 over the n_h draws (each draw a PSU): a_i =
 *       n_h/(n_h − 1) r_i/draws_i, r_i counting how often one of unit i's draws was redrawn.
 *   <li>Poisson and priority: the generalised bootstrap (Beaumont &amp; Patak 2012) with a_i = 1 +
 *       √(1 − π_i)(K_i − 1), K_i ~ Poisson(1) independent: E a_i = 1, Var a_i = 1 − π_i, a_i ≥ 0, so
 *       the bootstrap variance of a total is Σ(1 − π_i)(d_i x_i)², the Poisson-form estimator;
 *       certainty units (π_i = 1) are fixed. For small π_i it is the Poisson bootstrap (Hanley &amp;
 *       MacGibbon 2006).
 * </ul>
 *
 * <p>Replicate r draws from its own generator seeded by (seed, r), so results are identical for a
 * seed whatever the number of threads. A replicate whose domain receives no weight yields NaN (the
 * interval methods skip it). Replicates run in parallel on the common fork-join pool.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * One ratio to replicate, as in {@link Estimator#ratio(DesignSample, double[], boolean[])}.
   *
   * @param y per-unit values in sample order
   * @param domain per-unit domain indicator, or null for the whole sample
   */
  public record Ratio(double[] y, boolean[] domain) {
    public Ratio {
      Objects.requireNonNull(y, "y");
    }
  }

  /** The replicate estimates of one ratio; see {@link #ratios}. */
  public static double[] ratio(DesignSample sample, double[] y, boolean[] domain, int replicates, long seed) {
    return ratios(sample, List.of(new Ratio(y, domain)), replicates, seed).get(0);
  }

  /**
   * Replicate estimates of several ratios from the same replicate weights (so they are jointly
   * valid, e.g. for differences between domains).
   *
   * @return for each ratio, its {@code replicates} replicate estimates (NaN where a replicate gives
   *     its domain no weight)
   * @throws IllegalArgumentException when replicates &lt; 1 or an array does not match the sample
   */
  public static List<double[]> ratios(DesignSample sample, List<Ratio> ratios, int replicates, long seed) {
    if (replicates < 1) {
      throw new IllegalArgumentException("Number of bootstrap replicates is not positive: " + replicates);
    }
    int size = sample.size();
    List<Column> columns = new ArrayList<>(ratios.size());
    for (Ratio r : ratios) {
      columns.add(Column.of(sample, r, size));
    }
    Multipliers multipliers = new Multipliers(sample);
    double[][] out = new double[columns.size()][replicates];
    ThreadLocal<double[]> weights = ThreadLocal.withInitial(() -> new double[size]);
    ThreadLocal<int[]> counts = ThreadLocal.withInitial(() -> new int[size]);
    IntStream.range(0, replicates)
        .parallel()
        .forEach(
            r -> {
              double[] w = weights.get();
              multipliers.fill(new SplittableRandom(mix(seed, r)), w, counts.get());
              for (int c = 0; c < columns.size(); c++) {
                out[c][r] = columns.get(c).ratio(w);
              }
            });
    List<double[]> result = new ArrayList<>(out.length);
    for (double[] col : out) {
      result.add(col);
    }
    return result;
  }

  private static long mix(long seed, long r) {
    long z = seed * 0x9E3779B97F4A7C15L + r * 0xBF58476D1CE4E5B9L + r;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A ratio's numerator and denominator contributions d_i m_i y_i and d_i m_i, over its domain only. */
  private record Column(int[] index, double[] num, double[] den) {
    static Column of(DesignSample s, Ratio r, int size) {
      if (r.y().length != size || (r.domain() != null && r.domain().length != size)) {
        throw new IllegalArgumentException("y and domain must have one entry per sampled unit (" + size + ")");
      }
      int k = 0;
      for (int i = 0; i < size; i++) {
        k += r.domain() == null || r.domain()[i] ? 1 : 0;
      }
      int[] index = new int[k];
      double[] num = new double[k];
      double[] den = new double[k];
      int j = 0;
      for (int i = 0; i < size; i++) {
        if (r.domain() == null || r.domain()[i]) {
          index[j] = i;
          den[j] = s.d[i] * s.m[i];
          num[j] = den[j] * r.y()[i];
          j++;
        }
      }
      return new Column(index, num, den);
    }

    double ratio(double[] a) {
      double n = 0;
      double d = 0;
      for (int j = 0; j < index.length; j++) {
        double w = a[index[j]];
        n += w * num[j];
        d += w * den[j];
      }
      return d > 0 ? n / d : Double.NaN;
    }
  }

  /** Draws the weight adjustments a_i of one replicate for the sample's design. */
  private static final class Multipliers {
    /** P(K ≤ k) for K ~ Poisson(1), k = 0..19: enough that the tail is below 1e-18. */
    private static final double[] POISSON1_CDF = poissonOneCdf();

    private final DesignSample sample;
    private final int[][] psus; // per stratum: the unit of each PSU (unit, or draw with replacement)
    private final double[] scale; // per stratum: λ_h n_h/(n_h − 1), or 0 when held fixed
    private final double[] shift; // per stratum: 1 − λ_h
    private final double[] sqrtOneMinusPi;

    Multipliers(DesignSample s) {
      this.sample = s;
      int strata = s.strata().size();
      psus = new int[strata][];
      scale = new double[strata];
      shift = new double[strata];
      if (s.type().poissonForm()) {
        sqrtOneMinusPi = new double[s.size()];
        for (int i = 0; i < s.size(); i++) {
          sqrtOneMinusPi[i] = Math.sqrt(1 - s.pi[i]);
        }
        return;
      }
      sqrtOneMinusPi = null;
      int[][] byStratum = s.unitsByStratum();
      for (int h = 0; h < strata; h++) {
        int[] units = byStratum[h];
        int nh = s.sampled[h];
        int[] psu = new int[nh];
        int k = 0;
        for (int i : units) {
          for (int t = 0; t < s.draws[i]; t++) {
            psu[k++] = i;
          }
        }
        psus[h] = psu;
        if (nh < 2 || s.fpc[h] < 1e-7) {
          scale[h] = 0;
          shift[h] = 1;
        } else {
          double lambda = Math.sqrt(s.fpc[h]);
          scale[h] = lambda * nh / (nh - 1.0);
          shift[h] = 1 - lambda;
        }
      }
    }

    void fill(SplittableRandom rng, double[] a, int[] r) {
      if (sqrtOneMinusPi != null) {
        for (int i = 0; i < a.length; i++) {
          a[i] = 1 + sqrtOneMinusPi[i] * (poissonOne(rng) - 1);
        }
        return;
      }
      for (int h = 0; h < psus.length; h++) {
        int[] psu = psus[h];
        for (int i : psu) {
          r[i] = 0;
        }
        if (scale[h] != 0) {
          for (int t = 0; t < psu.length - 1; t++) {
            r[psu[rng.nextInt(psu.length)]]++;
          }
        }
        for (int i : psu) {
          // with replacement a unit may be several PSUs (draws): its adjustment is their average
          a[i] = shift[h] + scale[h] * r[i] / sample.draws[i];
        }
      }
    }

    private static int poissonOne(SplittableRandom rng) {
      double u = rng.nextDouble();
      int k = 0;
      while (k < POISSON1_CDF.length - 1 && u > POISSON1_CDF[k]) {
        k++;
      }
      return k;
    }

    private static double[] poissonOneCdf() {
      double[] cdf = new double[20];
      double pmf = Math.exp(-1);
      double sum = 0;
      for (int k = 0; k < cdf.length; k++) {
        sum += pmf;
        cdf[k] = sum;
        pmf /= k + 1;
      }
      return cdf;
    }
  }
}
