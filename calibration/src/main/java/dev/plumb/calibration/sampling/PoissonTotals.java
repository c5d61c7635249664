package dev.plumb.calibration.sampling;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Poisson sampling in two passes, for engines that decide per record in parallel (Spark): pass one
 * offers every unit to a {@code PoissonTotals} per partition and merges them into the frame totals
 * that fix the threshold {@code tau} ({@link #tau}); pass two keeps every unit for which
 * {@link #select} answers, independently of every other unit, {@code u_i < min(1, size_i / tau)}.
 * The selected units and the totals make the same {@link Sample} as the one-pass
 * {@link SampleSketch} of the same design and seed (the totals are compensated sums, equal to ~1e-15
 * relative across partitionings, so tau — and with it every pi — agrees to the last few bits).
 *
 * <p>Memory: the n largest sizes. Serializable; not thread-safe (one per partition).
 */
public final class PoissonTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SamplingDesign.Poisson design;
  private long units;
  private final Sum weight = new Sum();
  private final SizeTally sizes = new SizeTally();
  private final DoubleTopK largest;

  public PoissonTotals(SamplingDesign.Poisson design) {
    this.design = Objects.requireNonNull(design, "design");
    this.largest = new DoubleTopK(design.n());
  }

  /**
   * Adds one unit's weight and size.
   *
   * @throws dev.plumb.core.InputException when the unit's size cannot be computed (a missing score,
   *     a negative size), naming its file, line and field
   */
  public void offer(FrameUnit unit) {
    double s = sizes.add(unit, design.size());
    units++;
    weight.add(unit.weight());
    if (s > 0) {
      largest.add(s);
    }
  }

  /** Adds {@code other}'s totals to these and returns this. */
  public PoissonTotals merge(PoissonTotals other) {
    if (!other.design.equals(design)) {
      throw new IllegalArgumentException("can only merge totals of the same design");
    }
    units += other.units;
    weight.add(other.weight);
    sizes.merge(other.sizes);
    largest.addAll(other.largest);
    return this;
  }

  /** Units offered. */
  public long units() {
    return units;
  }

  /**
   * The threshold of {@code pi_i = min(1, size_i / tau)} with {@code Σ pi_i = n} over the whole frame
   * (0 when at most n units have a positive size: all of them are taken).
   *
   * @throws dev.plumb.core.InputException when the frame is smaller than n, or fewer than n units
   *     have a positive size (the same messages as {@code plumb sample})
   */
  public double tau(String frameName) {
    PoissonSketch.check(design, frameName, units, sizes.positive());
    return PoissonSketch.threshold(sizes.total(), sizes.positive(), largest.descending(), design.n());
  }

  /**
   * The per-record decision: the unit as a sampled unit when {@code UnitRandom.uniform(seed, id) <
   * min(1, size / tau)}, else null. Copies the unit's JSON text only when it is selected.
   */
  public static Sample.SampledUnit select(SamplingDesign.Poisson design, long seed, double tau, FrameUnit unit) {
    double s = design.size().of(unit);
    double pi = SamplingDesign.Poisson.pi(s, tau);
    if (!(UnitRandom.uniform(seed, unit.id()) < pi)) {
      return null;
    }
    return new Sample.SampledUnit(unit.id(), unit.line(), unit.weight(),
        new Sample.DesignRecord.WithoutReplacement("all", pi, OptionalDouble.of(s)), unit.json());
  }

  /** The sample: these totals, {@code tau} from {@link #tau} and the units {@link #select} kept, in any order. */
  public Sample sample(long seed, double tau, List<Sample.SampledUnit> selected) {
    return PoissonSketch.sample(design, seed, units, weight.value(), sizes, tau, selected);
  }
}
