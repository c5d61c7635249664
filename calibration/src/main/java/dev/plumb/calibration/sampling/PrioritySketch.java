package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.List;

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
  private final SizeTally sizes = new SizeTally();

  PrioritySketch(SamplingDesign.Priority design, long seed) {
    super(design, seed);
    this.d = design;
    this.heap = new KeyHeap(KeyHeap.Key.NEG_PRIORITY, design.n() + 1);
  }

  @Override
  void accept(FrameUnit unit, long h) {
    double s = sizes.add(unit, d.size());
    if (s <= 0) {
      return;
    }
    double u = UnitRandom.toUniform(h);
    if (heap.accepts(-(s / u), unit.id())) {
      heap.add(new Candidate(unit, u, s, "all"));
    }
  }

  @Override
  void mergeFrom(BaseSketch other) {
    PrioritySketch o = (PrioritySketch) other;
    heap.mergeFrom(o.heap);
    sizes.merge(o.sizes);
  }

  @Override
  public Sample finish(String frameName) {
    int n = d.n();
    requireFrameSize(frameName, n);
    long positive = sizes.positive();
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
    return unstratified(design, seed, units, weight.value(), out, n, some(tau), sizes);
  }
}
