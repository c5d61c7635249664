package dev.plumb.calibration.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * SRS without replacement as a bottom-k sketch: the n units with the smallest permanent random
 * numbers u are a simple random sample (every n-subset equally likely, since the u are i.i.d.
 * uniform). Merge = bottom-n of the union.
 */
final class SrsSketch extends BaseSketch {
  private static final long serialVersionUID = 1L;

  private final KeyHeap heap;

  SrsSketch(SamplingDesign.Srs design, long seed) {
    super(design, seed);
    this.heap = new KeyHeap(KeyHeap.Key.U, design.n());
  }

  @Override
  void accept(FrameUnit unit, long h) {
    double u = UnitRandom.toUniform(h);
    if (heap.accepts(u, unit.id())) {
      heap.add(new Candidate(unit, u, Double.NaN, "all"));
    }
  }

  @Override
  void mergeFrom(BaseSketch other) {
    heap.mergeFrom(((SrsSketch) other).heap);
  }

  @Override
  public Sample finish(String frameName) {
    int n = design.n();
    requireFrameSize(frameName, n);
    double pi = (double) n / units;
    List<Sample.SampledUnit> out = new ArrayList<>(n);
    for (Candidate c : heap.contents()) {
      out.add(new Sample.SampledUnit(c.id, c.line, c.weight,
          new Sample.DesignRecord.WithoutReplacement("all", pi, OptionalDouble.empty()), c.json));
    }
    out.sort(UNIT_ORDER);
    Sample.Stratum all = new Sample.Stratum("all", units, weight.value(), n, n, some(pi),
        OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), Map.of());
    return new Sample(design, seed, units, weight.value(), List.of(all), out, n,
        OptionalDouble.empty(), OptionalDouble.empty(), Sample.Floored.NONE);
  }
}
