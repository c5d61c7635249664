package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation: many samples from a known frame per design; the Horvitz–Thompson total of
 * exposure is unbiased and the 95% intervals cover the true exposure-weighted prevalence at close
 * to the nominal rate — for a moderate prevalence and for a rare one (0.2%) with a risk score that
 * is informative but imperfect. The draws here are written for the test (the same designs as
 * {@code plumb sample}, in memory), so that the estimators are checked independently of the
 * samplers.
 */
class CoverageSimulationTest {
  /**
   * A simulated world and design settings.
   *
   * @param frame frame size
   * @param n sample size
   * @param rate share of units violating
   * @param signal mean log-odds of a violating unit's score (a safe unit's is −4; both with sd 1.5)
   * @param floor the PPS size is m × max(score, floor)
   * @param share the stratified design's allocation to the score bins [0, 0.05), [0.05, 0.3), [0.3, 1]
   */
  record Config(int frame, int n, double rate, double signal, double floor, double[] share) {}

  static final Config MODERATE = new Config(20_000, 1_000, 0.05, 0.5, 0.02, new double[] {0.5, 0.3, 0.2});
  static final Config RARE = new Config(50_000, 2_000, 0.002, 1.0, 0.1, new double[] {0.2, 0.5, 0.3});

  /** A frame: exposure m, risk score s, violation y. */
  record Frame(Config config, double[] m, double[] s, double[] y, double prevalence, double exposure) {}

  static Frame frame(long seed, Config config) {
    int FRAME = config.frame();
    double rate = config.rate();
    SplittableRandom rng = new SplittableRandom(seed);
    double[] m = new double[FRAME];
    double[] s = new double[FRAME];
    double[] y = new double[FRAME];
    double num = 0;
    double den = 0;
    for (int i = 0; i < FRAME; i++) {
      m[i] = Math.ceil(Math.exp(rng.nextGaussian()) * 10); // views: skewed, 1..~300
      boolean violating = rng.nextDouble() < rate;
      y[i] = violating ? 1 : 0;
      // informative but imperfect: violations score high on average, with overlap both ways
      double logit = violating ? config.signal() + 1.5 * rng.nextGaussian() : -4 + 1.5 * rng.nextGaussian();
      s[i] = 1 / (1 + Math.exp(-logit));
      num += m[i] * y[i];
      den += m[i];
    }
    return new Frame(config, m, s, y, num / den, den);
  }

  /** Size for the PPS designs: exposure × score, with a floor so that no unit has zero probability. */
  static double size(Frame f, int i) {
    return f.m[i] * Math.max(f.s[i], f.config().floor());
  }

  /** One sample as a DesignSample plus y. */
  record Drawn(DesignSample sample, double[] y) {}

  /** Draws samples of one design from one frame; what does not change between draws is computed once. */
  interface Sampler {
    Drawn draw(SplittableRandom rng);
  }

  static Sampler sampler(DesignType type, Frame f) {
    int n = f.config().n();
    int FRAME = f.m.length;
    return switch (type) {
      case SRS -> {
        int[] idx = identity(FRAME);
        yield rng -> {
          Builder b = new Builder(f);
          for (int i : partialShuffle(idx, n, rng)) {
            b.add(i, new Inclusion.WithoutReplacement("all", (double) n / FRAME));
          }
          return b.build(type, List.of(new Stratum("all", FRAME, f.exposure, n)));
        };
      }
      case STRATIFIED -> {
        // score bins; the allocation oversamples the high-score strata
        double[] cut = {0.05, 0.3};
        double[] share = f.config().share();
        int[] count = new int[3];
        int[] bin = new int[FRAME];
        for (int i = 0; i < FRAME; i++) {
          bin[i] = f.s[i] < cut[0] ? 0 : f.s[i] < cut[1] ? 1 : 2;
          count[bin[i]]++;
        }
        int[][] members = new int[3][];
        for (int h = 0; h < 3; h++) {
          members[h] = new int[count[h]];
        }
        int[] fill = new int[3];
        for (int i = 0; i < FRAME; i++) {
          members[bin[i]][fill[bin[i]]++] = i;
        }
        List<Stratum> strata = new ArrayList<>();
        int[] alloc = new int[3];
        for (int h = 0; h < 3; h++) {
          alloc[h] = Math.min((int) Math.round(share[h] * n), count[h]);
          strata.add(new Stratum("s" + h, count[h], 0, alloc[h]));
        }
        yield rng -> {
          Builder b = new Builder(f);
          for (int h = 0; h < 3; h++) {
            for (int i : partialShuffle(members[h], alloc[h], rng)) {
              b.add(i, new Inclusion.WithoutReplacement("s" + h, (double) alloc[h] / count[h]));
            }
          }
          return b.build(type, strata);
        };
      }
      case POISSON -> {
        double[] pi = probabilities(f, n);
        yield rng -> {
          Builder b = new Builder(f);
          for (int i = 0; i < FRAME; i++) {
            if (rng.nextDouble() < pi[i]) {
              b.add(i, new Inclusion.WithoutReplacement("all", pi[i]));
            }
          }
          return b.build(type, List.of(new Stratum("all", FRAME, f.exposure, b.units.size())));
        };
      }
      case PPSWR -> {
        double[] cum = new double[FRAME];
        double total = 0;
        for (int i = 0; i < FRAME; i++) {
          total += size(f, i);
          cum[i] = total;
        }
        double sum = total;
        int[] draws = new int[FRAME];
        yield rng -> {
          int[] picked = new int[n];
          for (int k = 0; k < n; k++) {
            int i = Arrays.binarySearch(cum, rng.nextDouble() * sum);
            picked[k] = i < 0 ? -i - 1 : i;
            draws[picked[k]]++;
          }
          Builder b = new Builder(f);
          for (int i : picked) {
            if (draws[i] > 0) {
              b.add(i, new Inclusion.WithReplacement("all", size(f, i) / sum, draws[i]));
              draws[i] = 0;
            }
          }
          return b.build(type, List.of(new Stratum("all", FRAME, f.exposure, n)));
        };
      }
      case PRIORITY -> {
        // Duffield–Lund–Thorup: priority q = size/u, keep the n largest, τ = the (n+1)-th largest
        double[] q = new double[FRAME];
        double[] sorted = new double[FRAME];
        yield rng -> {
          for (int i = 0; i < FRAME; i++) {
            q[i] = size(f, i) / (1 - rng.nextDouble());
            sorted[i] = q[i];
          }
          double tau = select(sorted, FRAME - 1 - n);
          Builder b = new Builder(f);
          for (int i = 0; i < FRAME; i++) {
            if (q[i] > tau) {
              b.add(i, new Inclusion.WithoutReplacement("all", Math.min(1, size(f, i) / tau)));
            }
          }
          return b.build(type, List.of(new Stratum("all", FRAME, f.exposure, n)));
        };
      }
    };
  }

  static final class Builder {
    final Frame f;
    final List<SampledUnit> units = new ArrayList<>();
    final List<Double> y = new ArrayList<>();

    Builder(Frame f) {
      this.f = f;
    }

    void add(int i, Inclusion inclusion) {
      units.add(SampledUnit.of("u" + i, f.m[i], inclusion));
      y.add(f.y[i]);
    }

    Drawn build(DesignType type, List<Stratum> strata) {
      return new Drawn(DesignSample.of(type, units, strata), y.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** The k-th smallest value (0-based) of a, which is reordered: Hoare's quickselect. */
  static double select(double[] a, int k) {
    int lo = 0;
    int hi = a.length - 1;
    while (lo < hi) {
      double pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  static int[] identity(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return idx;
  }

  /** The first k of a uniformly shuffled copy (shuffling in place: a permutation of a permutation is uniform). */
  static int[] partialShuffle(int[] idx, int k, SplittableRandom rng) {
    for (int j = 0; j < k; j++) {
      int r = j + rng.nextInt(idx.length - j);
      int t = idx[j];
      idx[j] = idx[r];
      idx[r] = t;
    }
    return Arrays.copyOf(idx, k);
  }

  /** π_i = min(1, c size_i) with Σ π_i = n (certainty units capped, c re-solved). */
  static double[] probabilities(Frame f, int n) {
    int FRAME = f.m.length;
    double[] pi = new double[FRAME];
    boolean[] capped = new boolean[FRAME];
    for (int round = 0; round < 50; round++) {
      double rest = 0;
      int certain = 0;
      for (int i = 0; i < FRAME; i++) {
        if (capped[i]) {
          certain++;
        } else {
          rest += size(f, i);
        }
      }
      double c = (n - certain) / rest;
      boolean changed = false;
      for (int i = 0; i < FRAME; i++) {
        if (!capped[i] && c * size(f, i) >= 1) {
          capped[i] = true;
          changed = true;
        }
        pi[i] = capped[i] ? 1 : c * size(f, i);
      }
      if (!changed) {
        break;
      }
    }
    return pi;
  }

  /** Coverage per interval method and the mean HT exposure total, per design. */
  record Result(Map<IntervalMethod, Double> coverage, double meanTotal, double seTotal) {}

  static Result simulate(DesignType type, Frame f, long seed, int runs, int bootstrap) {
    SplittableRandom rng = new SplittableRandom(seed);
    Sampler sampler = sampler(type, f);
    Map<IntervalMethod, Integer> covered = new EnumMap<>(IntervalMethod.class);
    double sum = 0;
    double sum2 = 0;
    for (int r = 0; r < runs; r++) {
      Drawn d = sampler.draw(rng);
      double[] ones = new double[d.sample.size()];
      Arrays.fill(ones, 1);
      double[] exposure = new double[d.sample.size()];
      for (int i = 0; i < exposure.length; i++) {
        exposure[i] = d.sample.exposure(i);
      }
      double total = Estimator.total(d.sample, exposure);
      sum += total;
      sum2 += total * total;
      Estimate e = Estimator.ratio(d.sample, d.y);
      for (IntervalMethod m : IntervalMethod.values()) {
        if (m == IntervalMethod.BOOTSTRAP && bootstrap == 0 || m != m.forDesignEstimate()) {
          continue;
        }
        double[] reps = m == IntervalMethod.BOOTSTRAP ? Bootstrap.ratio(d.sample, d.y, null, bootstrap, r) : null;
        Interval i = m.interval(e, reps, 0.95);
        if (i.contains(f.prevalence)) {
          covered.merge(m, 1, Integer::sum);
        }
      }
    }
    Map<IntervalMethod, Double> coverage = new EnumMap<>(IntervalMethod.class);
    for (IntervalMethod m : IntervalMethod.values()) {
      if ((m != IntervalMethod.BOOTSTRAP || bootstrap > 0) && m == m.forDesignEstimate()) {
        coverage.put(m, covered.getOrDefault(m, 0) / (double) runs);
      }
    }
    double mean = sum / runs;
    double sd = Math.sqrt((sum2 - runs * mean * mean) / (runs - 1));
    return new Result(coverage, mean, sd / Math.sqrt(runs));
  }

  @Test
  void intervals_cover_a_moderate_prevalence_near_the_nominal_rate_under_every_design() {
    Frame f = frame(1, MODERATE);
    for (DesignType type : DesignType.values()) {
      Result r = simulate(type, f, 100 + type.ordinal(), 300, 0);
      assertThat(r.meanTotal()).as("HT exposure total under %s", type)
          .isCloseTo(f.exposure(), within(3.5 * r.seTotal() + 1e-9 * f.exposure()));
      for (Map.Entry<IntervalMethod, Double> c : r.coverage().entrySet()) {
        assertThat(c.getValue()).as("%s coverage under %s (P = %.4f)", c.getKey(), type, f.prevalence())
            .isBetween(0.9, 0.985);
      }
    }
  }

  /**
   * 0.2% with a score that ranks well but not perfectly. The designs that use the score see 20–60
   * positives in n = 2,000 and cover at 91–95%; SRS sees about 4, and with skewed exposure the
   * Korn–Graubard interval then undercovers (≈ 0.90 here): an interval computed from the sample
   * cannot see the variance of positives it did not draw (docs/estimation.md, "When intervals
   * undercover"). The SRS bound is asserted so that a regression still fails.
   */
  @Test
  void korn_graubard_covers_a_rare_prevalence_with_an_imperfect_score() {
    Frame f = frame(2, RARE);
    assertThat(f.prevalence()).isBetween(0.0015, 0.0025);
    for (DesignType type : DesignType.values()) {
      Result r = simulate(type, f, 200 + type.ordinal(), 250, 0);
      assertThat(r.meanTotal()).as("HT exposure total under %s", type)
          .isCloseTo(f.exposure(), within(3.5 * r.seTotal() + 1e-9 * f.exposure()));
      assertThat(r.coverage().get(IntervalMethod.KORN_GRAUBARD))
          .as("Korn-Graubard coverage under %s (P = %.5f)", type, f.prevalence())
          .isBetween(type == DesignType.SRS ? 0.86 : 0.9, 0.99);
    }
  }

  @Test
  void bootstrap_intervals_cover_near_the_nominal_rate() {
    Frame f = frame(3, MODERATE);
    for (DesignType type : DesignType.values()) {
      Result r = simulate(type, f, 300 + type.ordinal(), 100, 200);
      assertThat(r.coverage().get(IntervalMethod.BOOTSTRAP)).as("bootstrap coverage under %s", type)
          .isBetween(0.88, 0.99);
    }
  }
}
