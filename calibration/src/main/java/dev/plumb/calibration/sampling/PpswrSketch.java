package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * PPS with replacement in one pass, as n exponential races. Every unit i has, for each draw j, a
 * key {@code X_ij / size_i} with {@code X_ij} i.i.d. Exp(1); draw j selects the unit with the
 * smallest key, which is unit i with probability {@code size_i / Σ size} (the minimum of independent
 * exponentials), independently across draws — so the n draws are exactly PPS with replacement.
 *
 * <p>Generating n keys per unit would cost O(N n). Instead a unit's keys are generated in increasing
 * order (Rényi's representation of exponential order statistics: {@code X_(k) = X_(k-1) +
 * E_k / (n - k + 1)}), each assigned to a uniformly random draw not yet used by the unit, from the
 * unit's own random stream ({@link UnitRandom.Stream}); generation stops at the first key above the
 * largest current minimum M, which for almost every unit is the first one: one logarithm per unit.
 * The keys are a fixed function of (seed, id), so the sample does not depend on the frame's order,
 * and merging two sketches is a per-draw minimum.
 */
final class PpswrSketch extends BaseSketch {
  private static final long serialVersionUID = 1L;

  private final SamplingDesign.Ppswr d;
  private final int n;
  private final double[] key;
  private final Candidate[] holder;
  private final int leaves;
  private final double[] tree; // max over key, leaves at [leaves, leaves + n)
  private final SizeTally sizes = new SizeTally();

  PpswrSketch(SamplingDesign.Ppswr design, long seed) {
    super(design, seed);
    this.d = design;
    this.n = design.n();
    this.key = new double[n];
    Arrays.fill(key, Double.POSITIVE_INFINITY);
    this.holder = new Candidate[n];
    int l = 1;
    while (l < n) {
      l <<= 1;
    }
    this.leaves = l;
    this.tree = new double[2 * l];
    Arrays.fill(tree, Double.NEGATIVE_INFINITY);
    for (int j = 0; j < n; j++) {
      tree[l + j] = Double.POSITIVE_INFINITY;
    }
    for (int i = l - 1; i >= 1; i--) {
      tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
    }
  }

  @Override
  void accept(FrameUnit unit, long h) {
    double s = sizes.add(unit, d.size());
    if (s <= 0) {
      return;
    }
    UnitRandom.Stream r = new UnitRandom.Stream(h);
    double x = 0;
    int remaining = n;
    Map<Integer, Integer> moved = null; // sparse Fisher–Yates over the draw indices
    Candidate cand = null;
    while (remaining > 0) {
      x += -Math.log(r.next()) / remaining;
      double k = x / s;
      if (k > tree[1]) {
        break;
      }
      int pos = (int) (r.next() * remaining);
      if (moved == null) {
        moved = new HashMap<>();
      }
      int j = moved.getOrDefault(pos, pos);
      moved.put(pos, moved.getOrDefault(remaining - 1, remaining - 1));
      remaining--;
      if (k < key[j] || (k == key[j] && holder[j] != null && before(k, unit.id(), key[j], holder[j]))) {
        if (cand == null) {
          cand = new Candidate(unit, UnitRandom.toUniform(h), s, "all");
        }
        set(j, k, cand);
      }
    }
  }

  private void set(int j, double k, Candidate c) {
    key[j] = k;
    holder[j] = c;
    int i = leaves + j;
    tree[i] = k;
    for (i >>>= 1; i >= 1; i >>>= 1) {
      tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
    }
  }

  @Override
  void mergeFrom(BaseSketch other) {
    PpswrSketch o = (PpswrSketch) other;
    for (int j = 0; j < n; j++) {
      if (o.holder[j] == null) {
        continue;
      }
      if (holder[j] == null || o.key[j] < key[j]
          || (o.key[j] == key[j] && before(o.key[j], o.holder[j].id, key[j], holder[j]))) {
        set(j, o.key[j], o.holder[j]);
      }
    }
    sizes.merge(o.sizes);
  }

  @Override
  public Sample finish(String frameName) {
    // With replacement, n draws may exceed the number of units (a unit can be drawn several times).
    requireUnits(frameName, units);
    if (sizes.positive() == 0) {
      throw new InputException(d.origin().problem("size",
          "every unit of " + frameName + " has size 0; PPS needs units with a positive size"));
    }
    Map<Candidate, Integer> draws = new IdentityHashMap<>();
    for (Candidate c : holder) {
      draws.merge(c, 1, Integer::sum);
    }
    double total = sizes.total();
    List<Sample.SampledUnit> out = new ArrayList<>(draws.size());
    for (Map.Entry<Candidate, Integer> e : draws.entrySet()) {
      Candidate c = e.getKey();
      out.add(new Sample.SampledUnit(c.id, c.line, c.weight,
          new Sample.DesignRecord.WithReplacement("all", Math.min(1, c.size / total), e.getValue(), c.size),
          c.json));
    }
    return unstratified(design, seed, units, weight.value(), out, n, OptionalDouble.empty(), sizes);
  }
}
