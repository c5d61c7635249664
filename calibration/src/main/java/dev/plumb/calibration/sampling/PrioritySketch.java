package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Priority sampling (Duffield, Lund, Thorup 2007): keep the n + 1 largest priorities
 * {@code q_i = size_i / u_i}; the sample is the top n, {@code tau} the (n+1)-th priority, and
 * {@code pi_i = min(1, size_i / tau)} is unit i's inclusion probability given tau, which makes the
 * Horvitz–Thompson estimator unbiased. Merge = top n+1 of the union. Units of size 0 have priority 0
 * and are never kept.
 */
final class PrioritySketch extends BaseSketch {
  private static final long serialVersionUID = 1L;

  private final SamplingDesign.Priority d;
  private final KeyHeap heap;
  private final Sum size = new Sum();
  private long positive;
  private long floored;
  private final Sum flooredSize = new Sum();

  PrioritySketch(SamplingDesign.Priority design, long seed) {
    super(design, seed);
    this.d = design;
    this.heap = new KeyHeap(KeyHeap.Key.NEG_PRIORITY, design.n() + 1);
  }

  @Override
  void accept(FrameUnit unit, long h) {
    double s = d.size().of(unit);
    if (d.size().usesScores() && d.size().floored(unit)) {
      floored++;
      flooredSize.add(s);
    }
    if (s <= 0) {
      return;
    }
    size.add(s);
    positive++;
    double u = UnitRandom.toUniform(h);
    if (heap.accepts(-(s / u), unit.id())) {
      heap.add(new Candidate(unit, u, s, "all"));
    }
  }

  @Override
  void mergeFrom(BaseSketch other) {
    PrioritySketch o = (PrioritySketch) other;
    heap.mergeFrom(o.heap);
    size.add(o.size);
    positive += o.positive;
    floored += o.floored;
    flooredSize.add(o.flooredSize);
  }

  @Override
  public Sample finish(String frameName) {
    int n = d.n();
    requireFrameSize(frameName, n);
    if (positive < n) {
      throw new InputException(d.origin().problem("n",
          "sample size " + n + " is larger than the number of units with a positive size ("
              + positive + " of " + units + " in " + frameName + ")"));
    }
    double tau = 0;
    if (heap.size() == n + 1) {
      Candidate threshold = heap.pollWorst();
      tau = threshold.size / threshold.u;
    }
    List<Sample.SampledUnit> out = new ArrayList<>(n);
    for (Candidate c : heap.contents()) {
      double pi = tau == 0 ? 1 : Math.min(1, c.size / tau);
      out.add(new Sample.SampledUnit(c.id, c.line, c.weight,
          new Sample.DesignRecord.WithoutReplacement("all", pi, some(c.size)), c.json));
    }
    out.sort(UNIT_ORDER);
    double total = size.value();
    Sample.Stratum all = new Sample.Stratum("all", units, weight.value(), n, n, OptionalDouble.empty(),
        some(total), OptionalDouble.empty(), Optional.empty(), Map.of());
    return new Sample(design, seed, units, weight.value(), List.of(all), out, n, some(tau),
        some(total), new Sample.Floored(floored, flooredSize.value()));
  }
}
