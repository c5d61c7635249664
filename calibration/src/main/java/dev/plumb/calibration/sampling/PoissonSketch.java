package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Poisson PPS in one pass. The threshold {@code tau} of {@code pi_i = min(1, size_i / tau)},
 * {@code Σ pi_i = n}, depends only on the total size S, the count of positive sizes and the n largest
 * sizes (at most n units can be certain), all kept in O(n) memory. Unit i is selected iff
 * {@code u_i < min(1, size_i / tau)}.
 *
 * <p>While streaming, {@code tau} is not known yet; but the threshold of the units seen so far only
 * grows as units arrive (adding a unit raises {@code Σ min(1, size/t)} for every t), so a unit with
 * {@code u_i >= size_i / tau_t} for the current {@code tau_t} can never be selected and is dropped.
 * The kept candidates are a Poisson sample of the units seen so far with expected size n; the sketch
 * recomputes {@code tau_t} and prunes whenever it holds 2n + 64 of them, so memory stays ~2n.
 */
final class PoissonSketch extends BaseSketch {
  private static final long serialVersionUID = 1L;

  private final SamplingDesign.Poisson d;
  private final SizeTally sizes = new SizeTally();
  private final DoubleTopK largest;
  private ArrayList<Candidate> candidates = new ArrayList<>();
  private double tau; // a lower bound of the final threshold; 0 until more than n units have size > 0

  PoissonSketch(SamplingDesign.Poisson design, long seed) {
    super(design, seed);
    this.d = design;
    this.largest = new DoubleTopK(design.n());
  }

  @Override
  void accept(FrameUnit unit, long h) {
    double s = sizes.add(unit, d.size());
    if (s <= 0) {
      return;
    }
    largest.add(s);
    double u = UnitRandom.toUniform(h);
    if (u < SamplingDesign.Poisson.pi(s, tau)) {
      candidates.add(new Candidate(unit, u, s, "all"));
      if (candidates.size() > 2 * d.n() + 64) {
        prune();
      }
    }
  }

  private void prune() {
    tau = threshold(sizes.total(), sizes.positive(), largest.descending(), d.n());
    ArrayList<Candidate> kept = new ArrayList<>(Math.max(16, candidates.size() / 2));
    for (Candidate c : candidates) {
      if (c.u < SamplingDesign.Poisson.pi(c.size, tau)) {
        kept.add(c);
      }
    }
    candidates = kept;
  }

  @Override
  void mergeFrom(BaseSketch other) {
    PoissonSketch o = (PoissonSketch) other;
    sizes.merge(o.sizes);
    largest.addAll(o.largest);
    candidates.addAll(o.candidates);
    prune();
  }

  /**
   * {@code tau} with {@code Σ min(1, size_i / tau) = n}: with the c largest sizes certain,
   * {@code tau_c = (S - Σ_{j<c} t_j) / (n - c)}, and c is the smallest count for which the next
   * largest size {@code t_c} is below {@code tau_c} (Tillé 2006, §2.10, the iterative computation of
   * inclusion probabilities, in closed form). 0 when at most n units have a positive size.
   *
   * @param largestDescending at least the min(n, positive) largest sizes, largest first
   */
  static double threshold(double total, long positive, double[] largestDescending, int n) {
    if (positive <= n) {
      return 0;
    }
    double[] t = largestDescending;
    if (t.length < n) {
      t = Arrays.copyOf(t, n); // callers pass the n largest; pad defensively
    } else {
      t = t.clone();
    }
    Arrays.sort(t);
    for (int i = 0, j = t.length - 1; i < j; i++, j--) {
      double x = t[i];
      t[i] = t[j];
      t[j] = x;
    }
    double prefix = 0;
    for (int c = 0; c < n; c++) {
      double tauC = (total - prefix) / (n - c);
      if (t[c] < tauC) {
        return tauC;
      }
      prefix += t[c];
    }
    // Only reachable through rounding when the n largest hold (nearly) all the size.
    return t[n - 1];
  }

  @Override
  public Sample finish(String frameName) {
    check(d, frameName, units, sizes.positive());
    prune();
    List<Sample.SampledUnit> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      double pi = SamplingDesign.Poisson.pi(c.size, tau);
      out.add(new Sample.SampledUnit(c.id, c.line, c.weight,
          new Sample.DesignRecord.WithoutReplacement("all", pi, some(c.size)), c.json));
    }
    return sample(d, seed, units, weight.value(), sizes, tau, out);
  }

  /** The checks every Poisson draw makes before its threshold means anything. */
  static void check(SamplingDesign.Poisson d, String frameName, long units, long positive) {
    int n = d.n();
    requireFrameSize(d, frameName, n, units);
    if (positive < n) {
      throw new InputException(d.origin().problem("n",
          "expected sample size " + n + " is larger than the number of units with a positive size ("
              + positive + " of " + units + " in " + frameName + ")"));
    }
  }

  /** The sample from its selected units (in any order) and the frame totals. */
  static Sample sample(SamplingDesign.Poisson d, long seed, long units, double weight, SizeTally sizes,
      double tau, List<Sample.SampledUnit> selected) {
    return unstratified(d, seed, units, weight, selected, selected.size(), some(tau), sizes);
  }
}
