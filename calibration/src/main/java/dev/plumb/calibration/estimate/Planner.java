package dev.plumb.calibration.estimate;

import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Sample-size planning: the smallest n whose expected interval half-width z·√V(n) meets a target,
 * for simple random sampling from a prevalence alone, or for a design over a frame whose risk
 * scores are read as probabilities of violation (docs/estimation.md, "Planning").
 *
 * <p>Over a frame, y_i ~ Bernoulli(s_i) independently, the planned prevalence is P = Σ m_i s_i /
 * Σ m_i, and the linearised variable z_i = m_i (y_i − P)/M has E z_i² = m_i² (s_i(1 − s_i) + (s_i −
 * P)²)/M² =: e_i and mean μ_i = m_i (s_i − P)/M. The expected design variance of P̂ is then
 *
 * <ul>
 *   <li>SRS: (1 − n/N) N²/n · S², S² = (Σ e_i − N μ̄²)/(N − 1);
 *   <li>stratified: Σ_h (1 − n_h/N_h) N_h²/n_h · S_h² per stratum likewise, n_h = a_h n;
 *   <li>Poisson and priority: Σ (1 − π_i)/π_i · e_i with π_i = min(1, c·size_i), Σ π_i = n
 *       (priority sampling's π̃ behaves as Poisson's for planning);
 *   <li>PPS with replacement: (1/n) (Σ e_i/p_i − (Σ μ_i)²), p_i = size_i/Σ size.
 * </ul>
 *
 * The design effect is V/(P(1 − P)/n) (Kish 1965). Without a frame, SRS of a prevalence p: V = (1 −
 * n/N) N/(N − 1) · p(1 − p)/n (Cochran 1977, §4.4), N = ∞ when unknown.
 */
public final class Planner {
  private Planner() {}

  /**
   * What the interval should achieve.
   *
   * @param prevalence the expected prevalence, in (0, 1) (ignored for a frame: its scores give it)
   * @param halfWidth the target half-width: absolute, or relative to the prevalence
   * @param relative whether {@code halfWidth} is a fraction of the prevalence
   * @param confidence two-sided confidence level in (0, 1)
   */
  public record Target(double prevalence, double halfWidth, boolean relative, double confidence) {
    public Target {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive), found " + confidence);
      }
      if (!(halfWidth > 0) || (!relative && halfWidth >= 1)) {
        throw new IllegalArgumentException("half-width must be in (0, 1), found " + halfWidth);
      }
    }

    double absolute(double p) {
      return relative ? halfWidth * p : halfWidth;
    }
  }

  /**
   * A planned sample.
   *
   * @param design what was planned, e.g. {@code srs} or {@code poisson}
   * @param n the sample size (draws with replacement); the smallest meeting the target
   * @param prevalence the prevalence planned for
   * @param expectedPositives expected positives among the sampled units
   * @param se the expected standard error at n
   * @param halfWidth the expected half-width z·SE at n
   * @param deff the expected design effect at n
   * @param expectedInterval the Korn–Graubard interval one would get at the expected prevalence
   *     and effective sample size n/deff (shows the asymmetry for a rare prevalence)
   * @param reached false when even a census (n = N) misses the target; n is then N
   * @param warnings what a planner should know (few expected positives, target not reachable)
   */
  public record Plan(
      String design, int n, double prevalence, double expectedPositives, double se, double halfWidth,
      double deff, Interval expectedInterval, boolean reached, List<String> warnings) {
    public Plan {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Simple random sampling of a prevalence, without a frame.
   *
   * @param population N, or 0 when unknown (infinite: no finite-population correction)
   */
  public static Plan srs(Target target, long population) {
    double p = target.prevalence();
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("prevalence must be between 0 and 1 (exclusive), found " + p);
    }
    if (population < 0) {
      throw new IllegalArgumentException("population must be >= 0, found " + population);
    }
    double z = BinomialInterval.z(target.confidence());
    double h = target.absolute(p);
    double n0 = z * z * p * (1 - p) / (h * h);
    long limit = population > 0 ? population : Integer.MAX_VALUE;
    double exact = population > 0 ? n0 * population / (population - 1 + n0) : n0;
    int n = (int) Math.min(limit, Math.ceil(exact - 1e-9));
    boolean reached = exact <= limit;
    Variance v = k -> (population > 0 ? (1 - k / (double) population) * population / (population - 1.0) : 1) * p * (1 - p) / k;
    return plan("srs", target, p, n, v, reached, n * p);
  }

  /**
   * A frame's units as the planner sees them.
   *
   * @param m exposure per unit
   * @param s risk score per unit, read as the probability of violating
   */
  public record Frame(double[] m, double[] s) {
    public Frame {
      Objects.requireNonNull(m, "m");
      Objects.requireNonNull(s, "s");
      if (m.length != s.length || m.length < 2) {
        throw new IllegalArgumentException("need at least 2 units with one score each");
      }
    }

    /** Σ m s / Σ m: the prevalence the scores imply. */
    public double prevalence() {
      double num = 0;
      double den = 0;
      for (int i = 0; i < m.length; i++) {
        num += m[i] * s[i];
        den += m[i];
      }
      return num / den;
    }
  }

  /** How a design draws from the frame, for planning. */
  public sealed interface Design {
    /** SRS without replacement. */
    record Srs() implements Design {}

    /**
     * Stratified SRS.
     *
     * @param stratum per unit, its stratum index 0..k−1
     * @param share per stratum, its share a_h of the sample (Σ a_h = 1); n_h = a_h n, at most N_h
     */
    record Stratified(int[] stratum, double[] share) implements Design {}

    /**
     * A size-based design.
     *
     * @param type {@link DesignType#POISSON}, {@link DesignType#PRIORITY} or {@link DesignType#PPSWR}
     * @param size per unit, its size (e.g. weight × max(score, floor)), &gt; 0 where m &gt; 0
     */
    record Sized(DesignType type, double[] size) implements Design {}

    /**
     * Stratified SRS whose stratum sizes for a total n come from the design's own allocation rule
     * (proportional, Neyman or scaled fixed sizes, as {@code plumb sample} allocates).
     *
     * @param stratum per unit, its stratum index 0..strata−1
     * @param allocation n ↦ n_h per stratum (Σ n_h = n, 1 ≤ n_h ≤ N_h), for n ≥ {@code minimum}
     * @param minimum the smallest total the allocation accepts
     */
    record Allocated(int[] stratum, int strata, LongFunction<long[]> allocation, long minimum) implements Design {
      public Allocated {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(allocation, "allocation");
        if (minimum < 1) {
          throw new IllegalArgumentException("minimum must be >= 1, found " + minimum);
        }
      }
    }

    /**
     * The planning counterpart of a sampling design over a frame read for it: SRS, the design's
     * strata and allocation, or its size measure.
     */
    static Design of(PlanningFrame frame) {
      SamplingDesign d = frame.design();
      if (d instanceof SamplingDesign.Srs) {
        return new Srs();
      }
      if (d instanceof SamplingDesign.Stratified) {
        return new Allocated(frame.strata().orElseThrow(), frame.strataIds().size(), frame::allocate, frame.minimum());
      }
      return new Sized(DesignType.parse(d.type()), frame.sizes().orElseThrow());
    }
  }

  /**
   * Plans {@code frame.design()} over the frame: the smallest n meeting the target, and (as {@link
   * #atSize}) what the design file's own n gives.
   */
  public static Plan forFrame(Target target, PlanningFrame frame) {
    return forFrame(target, new Frame(frame.weights(), frame.scores()), Design.of(frame));
  }

  /** What the design file's own n gives over the frame ({@link #atSize}). */
  public static Plan atDesignSize(Target target, PlanningFrame frame) {
    return atSize(target, new Frame(frame.weights(), frame.scores()), Design.of(frame), frame.design().n());
  }

  /** The smallest sample of {@code design} over {@code frame} that meets the target. */
  public static Plan forFrame(Target target, Frame frame, Design design) {
    Model model = model(frame, design);
    double z = BinomialInterval.z(target.confidence());
    double h = target.absolute(model.p);
    int lo = model.min;
    int hi = model.limit;
    boolean reached = z * Math.sqrt(model.v.at(hi)) <= h;
    if (!reached) {
      lo = hi;
    }
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (z * Math.sqrt(model.v.at(mid)) <= h) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return plan(model.name, target, model.p, lo, model.v, reached, expectedPositives(frame, design, lo));
  }

  /**
   * What a sample of size n of {@code design} over {@code frame} is expected to give; {@code
   * target} supplies the confidence level ({@link Plan#reached()} says whether its half-width is met).
   */
  public static Plan atSize(Target target, Frame frame, Design design, int n) {
    Model model = model(frame, design);
    if (n < model.min || n > model.limit) {
      throw new IllegalArgumentException("n must be between " + model.min + " and " + model.limit + ", found " + n);
    }
    double z = BinomialInterval.z(target.confidence());
    boolean reached = z * Math.sqrt(model.v.at(n)) <= target.absolute(model.p);
    return plan(model.name, target, model.p, n, model.v, reached, expectedPositives(frame, design, n));
  }

  private record Model(String name, double p, int min, int limit, Variance v) {}

  private static Model model(Frame frame, Design design) {
    double p = frame.prevalence();
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("the frame's scores imply a prevalence of " + p + "; need scores strictly between 0 and 1 somewhere");
    }
    int count = frame.m().length;
    double M = 0;
    for (double x : frame.m()) {
      M += x;
    }
    double[] e = new double[count];
    double[] mu = new double[count];
    for (int i = 0; i < count; i++) {
      double m = frame.m()[i];
      double s = frame.s()[i];
      e[i] = m * m * (s * (1 - s) + (s - p) * (s - p)) / (M * M);
      mu[i] = m * (s - p) / M;
    }
    Variance v;
    String name;
    int limit = count;
    int min = 1;
    if (design instanceof Design.Srs) {
      name = "srs";
      double s2 = spread(e, mu, null, 0, count);
      v = k -> (1 - k / (double) count) * (double) count * count / k * s2;
    } else if (design instanceof Design.Stratified st) {
      name = "stratified";
      int strata = st.share().length;
      long[] size = sizes(st.stratum(), strata);
      double[] s2 = spreads(e, mu, st.stratum(), size);
      v = k -> {
        double total = 0;
        for (int h = 0; h < strata; h++) {
          if (size[h] == 0) {
            continue;
          }
          double nh = Math.max(1, Math.min(size[h], st.share()[h] * k));
          total += (1 - nh / size[h]) * size[h] * size[h] / nh * s2[h];
        }
        return total;
      };
    } else if (design instanceof Design.Allocated al) {
      name = "stratified";
      int strata = al.strata();
      long[] size = sizes(al.stratum(), strata);
      double[] s2 = spreads(e, mu, al.stratum(), size);
      min = (int) Math.min(count, al.minimum());
      v = k -> {
        long[] nh = al.allocation().apply(k);
        double total = 0;
        for (int h = 0; h < strata; h++) {
          if (size[h] > 0 && nh[h] > 0) {
            total += (1 - nh[h] / (double) size[h]) * size[h] * size[h] / nh[h] * s2[h];
          }
        }
        return total;
      };
    } else {
      Design.Sized sized = (Design.Sized) design;
      name = sized.type().id();
      double[] size = sized.size();
      if (sized.type() == DesignType.PPSWR) {
        double sum = 0;
        for (double x : size) {
          sum += x;
        }
        double a = 0;
        double b = 0;
        for (int i = 0; i < count; i++) {
          if (e[i] > 0) {
            a += e[i] * sum / size[i];
          }
          b += mu[i];
        }
        double q = a - b * b;
        v = k -> q / k;
        limit = Integer.MAX_VALUE;
      } else {
        v = k -> {
          double[] pi = poissonProbabilities(size, k);
          double total = 0;
          for (int i = 0; i < count; i++) {
            if (e[i] > 0) {
              total += (1 - pi[i]) / pi[i] * e[i];
            }
          }
          return total;
        };
      }
    }
    return new Model(name, p, min, limit, v);
  }

  /** (Σ e_i − N μ̄²)/(N − 1) over the units of stratum h (all units when strata is null). */
  /** The number of units in each of {@code strata} strata, from each unit's stratum. */
  private static long[] sizes(int[] stratum, int strata) {
    long[] size = new long[strata];
    for (int h : stratum) {
      size[h]++;
    }
    return size;
  }

  /** {@link #spread} of every stratum, {@code size} holding their sizes. */
  private static double[] spreads(double[] e, double[] mu, int[] stratum, long[] size) {
    double[] s2 = new double[size.length];
    for (int h = 0; h < size.length; h++) {
      s2[h] = spread(e, mu, stratum, h, size[h]);
    }
    return s2;
  }

  private static double spread(double[] e, double[] mu, int[] strata, int h, long size) {
    if (size < 2) {
      return 0;
    }
    double se = 0;
    double sm = 0;
    for (int i = 0; i < e.length; i++) {
      if (strata == null || strata[i] == h) {
        se += e[i];
        sm += mu[i];
      }
    }
    double mean = sm / size;
    return Math.max(0, se - size * mean * mean) / (size - 1);
  }

  /** π_i = min(1, c·size_i) with Σ π_i = n (units at 1 removed and c re-solved until stable). */
  static double[] poissonProbabilities(double[] size, int n) {
    int count = size.length;
    double[] pi = new double[count];
    boolean[] certain = new boolean[count];
    for (int round = 0; round < 100; round++) {
      double rest = 0;
      int fixed = 0;
      for (int i = 0; i < count; i++) {
        if (certain[i]) {
          fixed++;
        } else {
          rest += size[i];
        }
      }
      double c = rest > 0 ? (n - fixed) / rest : 0;
      boolean changed = false;
      for (int i = 0; i < count; i++) {
        if (!certain[i] && c * size[i] >= 1) {
          certain[i] = true;
          changed = true;
        }
      }
      if (!changed) {
        for (int i = 0; i < count; i++) {
          pi[i] = certain[i] ? 1 : Math.max(c * size[i], Double.MIN_NORMAL);
        }
        return pi;
      }
    }
    throw new IllegalStateException("inclusion probabilities did not converge");
  }

  private static double expectedPositives(Frame frame, Design design, int n) {
    int count = frame.m().length;
    double total = 0;
    if (design instanceof Design.Srs) {
      for (double s : frame.s()) {
        total += s;
      }
      return total * n / count;
    }
    if (design instanceof Design.Stratified st) {
      long[] size = new long[st.share().length];
      double[] pos = new double[st.share().length];
      for (int i = 0; i < count; i++) {
        size[st.stratum()[i]]++;
        pos[st.stratum()[i]] += frame.s()[i];
      }
      for (int h = 0; h < size.length; h++) {
        if (size[h] > 0) {
          total += pos[h] * Math.min(size[h], st.share()[h] * n) / size[h];
        }
      }
      return total;
    }
    if (design instanceof Design.Allocated al) {
      long[] nh = al.allocation().apply(n);
      long[] size = new long[al.strata()];
      double[] pos = new double[al.strata()];
      for (int i = 0; i < count; i++) {
        size[al.stratum()[i]]++;
        pos[al.stratum()[i]] += frame.s()[i];
      }
      for (int h = 0; h < size.length; h++) {
        if (size[h] > 0) {
          total += pos[h] * nh[h] / size[h];
        }
      }
      return total;
    }
    Design.Sized sized = (Design.Sized) design;
    if (sized.type() == DesignType.PPSWR) {
      double sum = 0;
      for (double x : sized.size()) {
        sum += x;
      }
      for (int i = 0; i < count; i++) {
        total += n * sized.size()[i] / sum * frame.s()[i];
      }
      return total;
    }
    double[] pi = poissonProbabilities(sized.size(), n);
    for (int i = 0; i < count; i++) {
      total += pi[i] * frame.s()[i];
    }
    return total;
  }

  /**
   * How well the LLM's decision tracks the gold decision.
   *
   * @param sensitivity P(LLM positive | violating), in (0, 1]
   * @param specificity P(LLM negative | not violating), in (0, 1]; Se + Sp must exceed 1
   */
  public record LlmQuality(double sensitivity, double specificity) {
    public LlmQuality {
      if (!(sensitivity > 0 && sensitivity <= 1)) {
        throw new IllegalArgumentException("sensitivity must be in (0, 1], found " + sensitivity);
      }
      if (!(specificity > 0 && specificity <= 1)) {
        throw new IllegalArgumentException("specificity must be in (0, 1], found " + specificity);
      }
      if (!(sensitivity + specificity > 1)) {
        throw new IllegalArgumentException("sensitivity + specificity must exceed 1 (an LLM no better than chance"
            + " cannot stratify), found " + (sensitivity + specificity));
      }
    }
  }

  /**
   * Human labels planned for a two-phase design: phase 1 is the sample the LLM labels, phase 2 a
   * review sample drawn from it.
   *
   * @param prevalence the prevalence planned for
   * @param phase1 the effective phase-1 size n1 (n1/deff1 for a design with a design effect);
   *     infinite when the LLM labels as many units as needed
   * @param llmPositiveShare W₊ = p·Se + (1 − p)(1 − Sp), the share of the population the LLM calls positive
   * @param ppv R₊ = p·Se/W₊, the violating share among LLM positives
   * @param falseOmission R₋ = p(1 − Se)/(1 − W₊) (= 1 − NPV), the violating share among LLM negatives
   * @param n2 human labels for the double-sampling estimator stratified by the LLM's decision
   * @param n2Positive of which drawn among LLM positives (Neyman: ∝ W_g S_g, S_g² = R_g(1 − R_g))
   * @param n2Negative of which drawn among LLM negatives
   * @param expectedGoldPositives n2₊R₊ + n2₋R₋
   * @param se expected standard error of the double-sampling estimate at (n1, n2₊, n2₋)
   * @param halfWidth z·se
   * @param reached false when even reviewing all n1 units misses the target (n2 is then n1)
   * @param humanOnly human labels for the human-only estimator on an SRS review, z²p(1 − p)/h²
   * @param humanOnlyReached false when n1 is too small for human-only (humanOnly is then n1)
   * @param warnings what a planner should know
   */
  public record TwoPhasePlan(
      double prevalence, double phase1, double llmPositiveShare, double ppv, double falseOmission,
      long n2, long n2Positive, long n2Negative, double expectedGoldPositives, double se, double halfWidth,
      boolean reached, long humanOnly, boolean humanOnlyReached, List<String> warnings) {
    public TwoPhasePlan {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * How many human labels the double-sampling estimator stratified by the LLM's decision needs for
   * the target (Neyman 1938; Cochran 1977 §12.2), and how many the human-only estimator needs.
   *
   * <p>Phase 1: n1 units labeled by the LLM (an SRS, or n1 its effective size). The LLM splits them
   * into groups g ∈ {+, −} with population shares W_g and violating shares R_g (from p, Se, Sp).
   * Phase 2 reviews n2_g of the n1·W_g units of group g. The estimator P̂ = Σ_g w_g ȳ_g (w_g the
   * phase-1 share of group g, ȳ_g the gold rate among the reviewed units of g) has variance
   *
   * <pre>V = B/n1 + Σ_g W_g² S_g²/n2_g,  B = Σ_g W_g (R_g − p)²,  S_g² = R_g(1 − R_g)</pre>
   *
   * (Cochran's V = S²/n1 + Σ_g W_g S_g² (1/ν_g − 1)/n1 with ν_g = n2_g/(n1 W_g), S² = p(1 − p) =
   * B + Σ_g W_g S_g², infinite population; reviewing all of phase 1 gives p(1 − p)/n1). For a total
   * n2, n2_g ∝ W_g S_g (Neyman, at least 2 per group, at most n1·W_g) minimises it, and then
   * n2 = (Σ_g W_g S_g)²/(h²/z² − B/n1); with n1 = ∞, n2 = z²(Σ_g W_g S_g)²/h².
   *
   * @param prevalence p in (0, 1)
   * @param phase1 effective n1 (&gt; 1), or {@link Double#POSITIVE_INFINITY}
   */
  public static TwoPhasePlan twoPhase(Target target, double prevalence, LlmQuality quality, double phase1) {
    return TwoPhasePlanner.plan(target, prevalence, quality, phase1);
  }

  @FunctionalInterface
  private interface Variance {
    double at(int n);
  }

  private static Plan plan(String design, Target target, double p, int n, Variance v, boolean reached, double positives) {
    double var = v.at(n);
    double se = Math.sqrt(var);
    double z = BinomialInterval.z(target.confidence());
    double deff = var / (p * (1 - p) / n);
    double nEff = n / deff;
    Interval expected = var > 0
        ? BinomialInterval.CLOPPER_PEARSON.interval(p * nEff, nEff, target.confidence())
        : new Interval(p, p, target.confidence(), "census", false);
    List<String> warnings = new ArrayList<>();
    if (!reached) {
      warnings.add("the target half-width is not reached at n = " + n);
    }
    if (positives < 10) {
      warnings.add(String.format(java.util.Locale.ROOT,
          "only %.1f positives expected: intervals from so few positives are wide and can undercover"
              + " (docs/estimation.md, \"When intervals undercover\"); plan for at least 10", positives));
    }
    return new Plan(design, n, p, positives, se, z * se, deff, expected, reached, warnings);
  }
}
