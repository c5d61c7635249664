package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A frame as sample-size planning sees it: per unit its exposure weight, its risk score for one
 * policy (read as the probability that the unit violates it) and, for the design to be planned, its
 * size (PPS designs) or stratum (stratified). Strata, sizes and allocation come from the same code
 * {@code plumb sample} runs ({@link Stratification}, {@link SizeMeasure}, {@link Allocation}), so a
 * plan describes the sample the design would actually draw.
 *
 * <p>One streaming pass over the frame (plain or gzip) with the sampler's reader and unit checks,
 * including duplicate ids (found as {@code plumb sample} finds them, {@link DuplicateIds}: a repeated
 * id is the same one-line error). Memory: the per-unit arrays (weight, score, and size or stratum:
 * 20–24 bytes per unit) and the duplicate check's fixed 16 MB buffer, which spills to temporary files
 * beyond 2M units.
 */
public final class PlanningFrame {
  /** The hash seed of the duplicate-id check (any fixed seed finds the same duplicates). */
  private static final long ID_SEED = 0;

  private final SamplingDesign design;
  private final String policy;
  private final double[] weights;
  private final double[] scores;
  private final double[] sizes;
  private final int[] strata;
  private final List<String> strataIds;
  private final long[] stratumUnits;
  private final double[] stratumWeight;
  private final double[] stratumSd;
  private final long floored;
  /** The raw scores' exposure-weighted mean; NaN until computed. */
  private final double implied;
  /** The prevalence the scores were shifted to, or NaN when they are read as they are. */
  private final double shiftedTo;

  private PlanningFrame(SamplingDesign design, String policy, double[] weights, double[] scores,
      double[] sizes, int[] strata, List<String> strataIds, long[] stratumUnits, double[] stratumWeight,
      double[] stratumSd, long floored) {
    this(design, policy, weights, scores, sizes, strata, strataIds, stratumUnits, stratumWeight, stratumSd, floored,
        mean(weights, scores), Double.NaN);
  }

  private PlanningFrame(SamplingDesign design, String policy, double[] weights, double[] scores,
      double[] sizes, int[] strata, List<String> strataIds, long[] stratumUnits, double[] stratumWeight,
      double[] stratumSd, long floored, double implied, double shiftedTo) {
    this.implied = implied;
    this.shiftedTo = shiftedTo;
    this.design = design;
    this.policy = policy;
    this.weights = weights;
    this.scores = scores;
    this.sizes = sizes;
    this.strata = strata;
    this.strataIds = strataIds;
    this.stratumUnits = stratumUnits;
    this.stratumWeight = stratumWeight;
    this.stratumSd = stratumSd;
    this.floored = floored;
  }

  /**
   * The policy whose score a plan reads when none is named: the stratified design's {@code policy},
   * or the one policy of a size measure; empty when the design names none (or several).
   */
  public static Optional<String> defaultPolicy(SamplingDesign design) {
    if (design instanceof SamplingDesign.Stratified s) {
      return s.strata().policy();
    }
    return design.sizeMeasure().filter(m -> m.policies().size() == 1).map(m -> m.policies().get(0));
  }

  /**
   * Reads {@code frame} for planning {@code design}, with {@code policy}'s score as each unit's
   * probability of violating.
   *
   * @throws InputException located at the unit for a bad unit, a duplicate id or a missing score or attribute, at
   *     the design option for a fixed allocation that misses a stratum, and for an empty frame
   */
  public static PlanningFrame read(Path frame, SamplingDesign design, String policy) {
    String source = frame.toString();
    int capacity = 1 << 16;
    double[] m = new double[capacity];
    double[] s = new double[capacity];
    SizeMeasure measure = design.sizeMeasure().orElse(null);
    double[] size = measure != null ? new double[capacity] : null;
    SamplingDesign.Stratified st = design instanceof SamplingDesign.Stratified x ? x : null;
    int[] stratum = st != null ? new int[capacity] : null;
    Map<String, Integer> index = new HashMap<>();
    List<Stratification.Cell> cells = new ArrayList<>();
    List<Sum> cellSd = new ArrayList<>();
    String strataPolicy = st != null ? st.strata().policy().orElse(null) : null;
    int count = 0;
    long floored = 0;
    long[] repeated;
    try (FrameReader reader = FrameReader.open(frame); DuplicateIds ids = new DuplicateIds()) {
      FrameParser parser = new FrameParser();
      while (reader.next()) {
        FrameUnit unit = parser.parse(reader.buffer(), reader.offset(), reader.length(), source,
            reader.lineNumber());
        ids.add(UnitRandom.hash(ID_SEED, unit.id()));
        Double score = unit.scores().get(policy);
        if (score == null) {
          throw new InputException(Problem.at(source, unit.line(), "scores." + policy,
              "missing; the plan reads it as the unit's probability of violating " + policy));
        }
        if (count == m.length) {
          int grown = Math.max(count + 1, (int) Math.min(Integer.MAX_VALUE - 8, count * 2L));
          m = Arrays.copyOf(m, grown);
          s = Arrays.copyOf(s, grown);
          size = size != null ? Arrays.copyOf(size, grown) : null;
          stratum = stratum != null ? Arrays.copyOf(stratum, grown) : null;
        }
        m[count] = unit.weight();
        s[count] = score;
        if (measure != null) {
          size[count] = measure.of(unit);
          if (measure.usesScores() && measure.floored(unit)) {
            floored++;
          }
        }
        if (st != null) {
          Stratification.Cell cell = st.strata().cell(unit);
          Integer h = index.get(cell.id());
          if (h == null) {
            h = cells.size();
            index.put(cell.id(), h);
            cells.add(cell);
            cellSd.add(new Sum());
          }
          stratum[count] = h;
          if (strataPolicy != null) { // what neyman allocation measures: sqrt(s(1-s)) of the design's policy
            Double ds = unit.scores().get(strataPolicy);
            if (ds == null) {
              throw new InputException(Problem.at(source, unit.line(), "scores." + strataPolicy,
                  "missing; the design's neyman allocation uses the " + strataPolicy + " score"));
            }
            cellSd.get(h).add(Math.sqrt(ds * (1 - ds)));
          }
        }
        count++;
      }
      repeated = ids.repeated(1024);
    }
    if (repeated.length > 0) {
      DuplicateIds.confirm(frame, ID_SEED, repeated);
    }
    if (count < 2) {
      throw new InputException(Problem.of(source + ": " + count + " unit" + (count == 1 ? "" : "s")
          + "; planning needs a frame of at least 2 units"));
    }
    m = Arrays.copyOf(m, count);
    s = Arrays.copyOf(s, count);
    size = size != null ? Arrays.copyOf(size, count) : null;
    List<String> ids = List.of();
    long[] units = new long[0];
    double[] weight = new double[0];
    double[] sd = new double[0];
    if (st != null) {
      // the sampler's stratum order: by bin, then attribute values
      Integer[] order = new Integer[cells.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingInt(i -> cells.get(i).bin())
          .thenComparing(i -> cells.get(i).values(), StratifiedSketch::compareValues));
      int[] rank = new int[order.length];
      List<String> sorted = new ArrayList<>();
      for (int r = 0; r < order.length; r++) {
        rank[order[r]] = r;
        sorted.add(cells.get(order[r]).id());
      }
      int[] strata = new int[count];
      units = new long[order.length];
      Sum[] w = new Sum[order.length];
      for (int h = 0; h < order.length; h++) {
        w[h] = new Sum();
      }
      for (int i = 0; i < count; i++) {
        int h = rank[stratum[i]];
        strata[i] = h;
        units[h]++;
        w[h].add(m[i]);
      }
      stratum = strata;
      weight = new double[order.length];
      sd = new double[order.length];
      for (int h = 0; h < order.length; h++) {
        weight[h] = w[h].value();
        sd[h] = cellSd.get(order[h]).value();
      }
      ids = List.copyOf(sorted);
      if (st.allocation() == Allocation.FIXED) {
        for (int h = 0; h < ids.size(); h++) {
          if (!st.sizes().containsKey(ids.get(h))) {
            throw new InputException(st.origin().problem("sizes",
                "no size for stratum \"" + ids.get(h) + "\" (" + units[h] + " units)"));
          }
        }
      }
    }
    return new PlanningFrame(design, policy, m, s, size, stratum, ids, units, weight, sd, floored);
  }

  public SamplingDesign design() {
    return design;
  }

  /** The policy whose score is read as each unit's probability of violating. */
  public String policy() {
    return policy;
  }

  public int units() {
    return weights.length;
  }

  /** Exposure weight per unit, in frame order (the array itself: do not modify). */
  public double[] weights() {
    return weights;
  }

  /**
   * The prevalence the scores imply when read as probabilities, Σ m_i s_i / Σ m_i, before any
   * shift. A classifier's scores are calibrated to its training data: the offline classifier
   * trained on other texts gave self_harm 17.6% where the truth was 0.29% (issue 14).
   */
  public double impliedPrevalence() {
    return implied;
  }

  /** The expected prevalence the scores were shifted to ({@link #withPrevalence}), or NaN. */
  public double shiftedTo() {
    return shiftedTo;
  }

  /**
   * This frame with the scores read as probabilities at the population's expected prevalence
   * {@code prevalence}: each score's odds multiplied by the one factor that makes their exposure-weighted
   * mean {@code prevalence} (the prior-shift correction of Saerens, Latinne &amp; Decaestecker 2002,
   * {@link dev.plumb.core.scores.PriorShift#toMean}). The ranking, the odds ratios between units,
   * the size measure and the strata are the frame's own.
   *
   * @throws IllegalArgumentException when prevalence is not in (0, 1) or no shift reaches it
   */
  public PlanningFrame withPrevalence(double prevalence) {
    double[] shifted = dev.plumb.core.scores.PriorShift.toMean(scores, weights, prevalence);
    return new PlanningFrame(design, policy, weights, shifted, sizes, strata, strataIds, stratumUnits, stratumWeight,
        stratumSd, floored, implied, prevalence);
  }

  private static double mean(double[] weights, double[] scores) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < weights.length; i++) {
      num += weights[i] * scores[i];
      den += weights[i];
    }
    return den > 0 ? num / den : Double.NaN;
  }

  /** The policy's score per unit, in frame order (the array itself: do not modify). */
  public double[] scores() {
    return scores;
  }

  /** The design's size measure per unit (PPS designs), the array itself; empty otherwise. */
  public Optional<double[]> sizes() {
    return Optional.ofNullable(sizes);
  }

  /** Units whose score the size measure raised to its floor (0 unless the measure reads scores). */
  public long floored() {
    return floored;
  }

  /** Stratum index per unit (stratified designs), into {@link #strataIds()}; empty otherwise. */
  public Optional<int[]> strata() {
    return Optional.ofNullable(strata);
  }

  /** Stratum ids in the sampler's order (by bin, then attribute values); empty unless stratified. */
  public List<String> strataIds() {
    return strataIds;
  }

  /** Units per stratum, in {@link #strataIds()} order. */
  public long[] stratumUnits() {
    return stratumUnits.clone();
  }

  /** The smallest total sample the stratified design's allocation allows (1 for other designs). */
  public long minimum() {
    if (!(design instanceof SamplingDesign.Stratified st)) {
      return 1;
    }
    if (st.allocation() == Allocation.FIXED) {
      return stratumUnits.length;
    }
    return StratifiedSketch.minimum(st, stratumUnits);
  }

  /**
   * The stratum sample sizes the design's allocation gives a total of {@code n} (between
   * {@link #minimum()} and the frame size), in {@link #strataIds()} order. Proportional and Neyman
   * allocation are the sampler's own; a fixed allocation is scaled: sizes proportional to the
   * design's {@code sizes}, at least 1 and at most N_h per stratum.
   */
  public long[] allocate(long n) {
    SamplingDesign.Stratified st = (SamplingDesign.Stratified) design;
    if (st.allocation() != Allocation.FIXED) {
      return StratifiedSketch.allocate(st, n, stratumUnits, stratumWeight, stratumSd);
    }
    int k = stratumUnits.length;
    double[] a = new double[k];
    long[] lo = new long[k];
    for (int h = 0; h < k; h++) {
      a[h] = st.sizes().get(strataIds.get(h));
      lo[h] = 1;
    }
    return Allocation.bounded(n, a, lo, stratumUnits);
  }
}
