package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** What every sketch shares: the design, the seed and the frame totals. */
abstract sealed class BaseSketch implements SampleSketch
    permits SrsSketch, StratifiedSketch, PoissonSketch, PpswrSketch, PrioritySketch {
  private static final long serialVersionUID = 1L;

  final SamplingDesign design;
  final long seed;
  long units;
  final Sum weight = new Sum();

  BaseSketch(SamplingDesign design, long seed) {
    this.design = design;
    this.seed = seed;
  }

  @Override
  public final void offer(FrameUnit unit) {
    offer(unit, UnitRandom.hash(seed, unit.id()));
  }

  /** {@code h} is {@code UnitRandom.hash(seed, unit.id())}, computed once by the caller. */
  final void offer(FrameUnit unit, long h) {
    accept(unit, h);
    units++;
    weight.add(unit.weight());
  }

  abstract void accept(FrameUnit unit, long h);

  @Override
  public final SampleSketch merge(SampleSketch other) {
    if (!(other instanceof BaseSketch o) || o.getClass() != getClass() || !o.design.equals(design)
        || o.seed != seed) {
      throw new IllegalArgumentException("can only merge sketches of the same design and seed");
    }
    if (o == this) {
      throw new IllegalArgumentException("cannot merge a sketch with itself");
    }
    units += o.units;
    weight.add(o.weight);
    mergeFrom(o);
    return this;
  }

  abstract void mergeFrom(BaseSketch other);

  /** The frame-size check every design makes. */
  final void requireFrameSize(String frameName, int n) {
    requireFrameSize(design, frameName, n, units);
  }

  static void requireFrameSize(SamplingDesign design, String frameName, int n, long units) {
    requireUnits(frameName, units);
    if (n > units) {
      throw new InputException(design.origin().problem("n",
          "sample size " + n + " is larger than the frame (" + frameName + " has " + units + " unit"
              + (units == 1 ? "" : "s") + ")"));
    }
  }

  /** An empty frame (no unit, or only blank lines) is an error of the frame, whatever the design. */
  static void requireUnits(String frameName, long units) {
    if (units == 0) {
      throw new InputException(Problem.at(frameName, 0, "", "no units (the frame is empty)"));
    }
  }

  /** (key, id) order: the comparator every bounded heap uses, ties broken by id. */
  static int compare(double keyA, Candidate a, double keyB, Candidate b) {
    int c = Double.compare(keyA, keyB);
    return c != 0 ? c : Candidate.BY_ID.compare(a, b);
  }

  /** Whether (key, id) sorts before the candidate's (candidateKey, its id). */
  static boolean before(double key, String id, double candidateKey, Candidate c) {
    if (key != candidateKey) {
      return key < candidateKey;
    }
    return Arrays.compareUnsigned(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), c.idBytes()) < 0;
  }

  /**
   * The sample of a design without strata (poisson, ppswr, priority): the selected units in id
   * order, one stratum "all" over the frame, {@code n} draws.
   */
  static Sample unstratified(SamplingDesign design, long seed, long units, double weight,
      List<Sample.SampledUnit> selected, int n, OptionalDouble tau, SizeTally sizes) {
    List<Sample.SampledUnit> out = new ArrayList<>(selected);
    out.sort(UNIT_ORDER);
    Sample.Stratum all = new Sample.Stratum("all", units, weight, out.size(), n, OptionalDouble.empty(),
        some(sizes.total()), OptionalDouble.empty(), Optional.empty(), Map.of());
    return new Sample(design, seed, units, weight, List.of(all), out, n, tau, some(sizes.total()), sizes.floored());
  }

  static OptionalDouble some(double x) {
    return OptionalDouble.of(x);
  }

  static final Comparator<Sample.SampledUnit> UNIT_ORDER =
      (a, b) -> Arrays.compareUnsigned(
          a.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          b.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
}
