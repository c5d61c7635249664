package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stratified SRS as one bottom-k sketch per stratum. The allocation depends on stratum totals known
 * only at the end of the pass, so each stratum keeps its n smallest u (its {@code n_h} with fixed
 * sizes) and is cut to {@code n_h} when finishing; the bottom {@code n_h} of a stratum is an SRS of
 * it. Memory: at most {@code min(N_h, n)} candidates per stratum.
 */
final class StratifiedSketch extends BaseSketch {
  private static final long serialVersionUID = 1L;

  private final SamplingDesign.Stratified d;
  private final Map<String, State> strata = new HashMap<>();
  /** Set by {@link Sampler} for a file: candidates keep only where their text is (see {@link #lean}). */
  private transient TextSource texts;

  /** One stratum's totals and candidates. */
  private static final class State implements Serializable {
    private static final long serialVersionUID = 1L;

    final Stratification.Cell cell;
    final KeyHeap heap;
    long units;
    final Sum weight = new Sum();
    final Sum sd = new Sum();
    String firstSource;
    int firstLine = Integer.MAX_VALUE;

    State(Stratification.Cell cell, int capacity) {
      this.cell = cell;
      this.heap = new KeyHeap(KeyHeap.Key.U, capacity);
    }
  }

  StratifiedSketch(SamplingDesign.Stratified design, long seed) {
    super(design, seed);
    this.d = design;
  }

  /**
   * Keeps candidates lean: the allocation is known only at the end of the pass, so every stratum
   * keeps up to n candidates — with many strata, far more units than the sample. A lean candidate
   * holds its id, keys and the offset of its line instead of its text (about 100 bytes instead of
   * the unit's size); {@link #finish} reads the selected units' text back through {@code texts}.
   */
  void lean(TextSource texts) {
    this.texts = texts;
  }

  @Override
  void accept(FrameUnit unit, long h) {
    Stratification.Cell cell = d.strata().cell(unit);
    State s = strata.get(cell.id());
    if (s == null) {
      int cap = d.allocation() == Allocation.FIXED ? d.sizes().getOrDefault(cell.id(), 0) : d.n();
      s = new State(cell, cap);
      strata.put(cell.id(), s);
    } else if (s.cell.bin() != cell.bin() || !s.cell.values().equals(cell.values())) {
      throw new InputException(Problem.at(unit.source(), unit.line(), "attributes",
          "two strata get the same id \"" + cell.id() + "\" (attribute values contain \"/\"); "
              + "rename the values or stratify by fewer attributes"));
    }
    double sd = 0;
    if (d.strata().policy().isPresent()) {
      String p = d.strata().policy().get();
      Double score = unit.scores().get(p);
      if (score == null) {
        throw new InputException(Problem.at(unit.source(), unit.line(), "scores." + p,
            "missing; the design's neyman allocation uses the " + p + " score"));
      }
      sd = Math.sqrt(score * (1 - score));
    }
    s.units++;
    s.weight.add(unit.weight());
    s.sd.add(sd);
    if (unit.line() < s.firstLine) {
      s.firstLine = unit.line();
      s.firstSource = unit.source();
    }
    double u = UnitRandom.toUniform(h);
    if (s.heap.accepts(u, unit.id())) {
      s.heap.add(new Candidate(unit, u, Double.NaN, cell.id(), texts != null));
    }
  }

  @Override
  void mergeFrom(BaseSketch other) {
    for (State o : ((StratifiedSketch) other).strata.values()) {
      State s = strata.get(o.cell.id());
      if (s == null) {
        strata.put(o.cell.id(), o);
        continue;
      }
      if (s.cell.bin() != o.cell.bin() || !s.cell.values().equals(o.cell.values())) {
        throw new InputException(Problem.at(o.firstSource, o.firstLine, "attributes",
            "two strata get the same id \"" + o.cell.id() + "\" (attribute values contain \"/\")"));
      }
      s.units += o.units;
      s.weight.add(o.weight);
      s.sd.add(o.sd);
      if (o.firstLine < s.firstLine) {
        s.firstLine = o.firstLine;
        s.firstSource = o.firstSource;
      }
      s.heap.mergeFrom(o.heap);
    }
  }

  @Override
  public Sample finish(String frameName) {
    Stratification st = d.strata();
    Origin origin = d.origin();
    requireFrameSize(frameName, d.n());
    List<State> list = new ArrayList<>(strata.values());
    list.sort(Comparator.<State>comparingInt(s -> s.cell.bin())
        .thenComparing(s -> s.cell.values(), StratifiedSketch::compareValues));
    checkEmptyBins(st, list, origin);
    int k = list.size();
    long[] nh = new long[k];
    if (d.allocation() == Allocation.FIXED) {
      Set<String> seen = new LinkedHashSet<>();
      for (int h = 0; h < k; h++) {
        State s = list.get(h);
        seen.add(s.cell.id());
        Integer size = d.sizes().get(s.cell.id());
        if (size == null) {
          throw new InputException(origin.problem("sizes",
              "no size for stratum \"" + s.cell.id() + "\" (" + s.units + " units; the first on "
                  + s.firstSource + " line " + s.firstLine + ")"));
        }
        if (size > s.units) {
          throw new InputException(origin.problem("sizes." + s.cell.id(),
              "sample size " + size + " is larger than the stratum (" + s.units + " unit"
                  + (s.units == 1 ? "" : "s") + ")"));
        }
        nh[h] = size;
      }
      for (String id : new TreeMap<>(d.sizes()).keySet()) {
        if (!seen.contains(id)) {
          throw new InputException(origin.problem("sizes." + id,
              "stratum \"" + id + "\" is empty: no unit of " + frameName + " falls in it"));
        }
      }
    } else {
      long[] count = new long[k];
      double[] total = new double[k];
      double[] sd = new double[k];
      for (int h = 0; h < k; h++) {
        State s = list.get(h);
        count[h] = s.units;
        total[h] = s.weight.value();
        sd[h] = s.sd.value();
      }
      long sumLo = minimum(d, count);
      if (d.n() < sumLo) {
        throw new InputException(origin.problem("n",
            "sample size " + d.n() + " is too small for " + k + " strata with min_per_stratum "
                + d.minPerStratum() + " (needs at least " + sumLo + ")"));
      }
      nh = allocate(d, d.n(), count, total, sd);
    }
    List<Sample.SampledUnit> out = new ArrayList<>(d.n());
    List<Sample.Stratum> summaries = new ArrayList<>(k);
    List<Candidate> unread = new ArrayList<>();
    for (int h = 0; h < k; h++) {
      State s = list.get(h);
      s.heap.truncate((int) nh[h]);
      for (Candidate c : s.heap.contents()) {
        if (c.json == null) {
          unread.add(c);
        }
      }
    }
    if (!unread.isEmpty()) {
      texts.fill(unread);
    }
    for (int h = 0; h < k; h++) {
      State s = list.get(h);
      double pi = (double) nh[h] / s.units;
      for (Candidate c : s.heap.contents()) {
        out.add(new Sample.SampledUnit(c.id, c.line, c.weight,
            new Sample.DesignRecord.WithoutReplacement(s.cell.id(), pi, OptionalDouble.empty()), c.json));
      }
      Optional<Sample.Bin> bin = Optional.empty();
      if (s.cell.bin() >= 0) {
        int b = s.cell.bin();
        bin = Optional.of(new Sample.Bin(st.policy().orElseThrow(), st.labels().get(b), st.bins().get(b),
            st.bins().get(b + 1), b == st.bins().size() - 2));
      }
      Map<String, String> attrs = new TreeMap<>();
      for (int i = 0; i < st.by().size(); i++) {
        attrs.put(st.by().get(i), s.cell.values().get(i));
      }
      summaries.add(new Sample.Stratum(s.cell.id(), s.units, s.weight.value(), (int) nh[h], (int) nh[h],
          some(pi), OptionalDouble.empty(),
          st.policy().isPresent() ? some(s.sd.value() / s.units) : OptionalDouble.empty(), bin, attrs));
    }
    out.sort(UNIT_ORDER);
    return new Sample(design, seed, units, weight.value(), summaries, out, d.n(),
        OptionalDouble.empty(), OptionalDouble.empty(), Sample.Floored.NONE);
  }

  /** The smallest total proportional or Neyman allocation allows: Σ min(min_per_stratum, N_h). */
  static long minimum(SamplingDesign.Stratified d, long[] units) {
    long sum = 0;
    for (long u : units) {
      sum += Math.min(d.minPerStratum(), u);
    }
    return sum;
  }

  /**
   * The design's proportional or Neyman allocation of {@code n} over strata with these unit counts,
   * exposure totals and sums of sqrt(s(1-s)) (see {@link Allocation}); {@code n} must lie between
   * {@link #minimum} and Σ N_h.
   */
  static long[] allocate(SamplingDesign.Stratified d, long n, long[] units, double[] weight, double[] sdSum) {
    int k = units.length;
    long[] lo = new long[k];
    long[] hi = new long[k];
    double[] a = new double[k];
    boolean anyVariability = false;
    for (int h = 0; h < k; h++) {
      lo[h] = Math.min(d.minPerStratum(), units[h]);
      hi[h] = units[h];
      double total = d.basis() == Basis.WEIGHT ? weight[h] : units[h];
      a[h] = total;
      if (d.allocation() == Allocation.NEYMAN) {
        double sdMean = sdSum[h] / units[h];
        anyVariability |= sdMean > 0;
        a[h] = total * sdMean;
      }
    }
    if (d.allocation() == Allocation.NEYMAN && !anyVariability) {
      for (int h = 0; h < k; h++) {
        a[h] = d.basis() == Basis.WEIGHT ? weight[h] : units[h];
      }
    }
    return Allocation.bounded(n, a, lo, hi);
  }

  /** Every declared bin must hold units within every combination of attribute values that occurs. */
  private void checkEmptyBins(Stratification st, List<State> list, Origin origin) {
    if (st.bins().isEmpty()) {
      return;
    }
    Map<List<String>, Set<Integer>> binsByValues = new TreeMap<>(StratifiedSketch::compareValues);
    for (State s : list) {
      binsByValues.computeIfAbsent(s.cell.values(), v -> new java.util.TreeSet<>()).add(s.cell.bin());
    }
    int bins = st.bins().size() - 1;
    if (binsByValues.isEmpty()) {
      binsByValues.put(List.of(), Set.of());
    }
    for (Map.Entry<List<String>, Set<Integer>> e : binsByValues.entrySet()) {
      for (int b = 0; b < bins; b++) {
        if (!e.getValue().contains(b)) {
          String[] values = e.getKey().toArray(new String[0]);
          throw new InputException(origin.problem("bins",
              "stratum \"" + st.id(b, values) + "\" is empty: no unit has " + st.describe(b, e.getKey())
                  + "; merge bins" + (st.by().isEmpty() ? "" : " or stratify by fewer attributes")));
        }
      }
    }
  }

  /** Attribute-value lists in lexicographic order, a shorter prefix first: the order strata are listed in. */
  static int compareValues(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
