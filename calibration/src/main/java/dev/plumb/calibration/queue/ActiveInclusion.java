package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.queue.QueueExport.LlmAnswer;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inclusion probabilities of the confidence-driven review ({@code type: active}, docs/review.md):
 * a Poisson draw from the labeled sample S in which unit i is reviewed with probability
 *
 * <pre>
 *   π2_i = min(1, max(floor, c·v_i)),   v_i = w_i·√(q_i(1 − q_i)),
 * </pre>
 *
 * with w_i = m_i·d1_i the unit's phase-1 contribution weight, q_i its predicted probability of a
 * violation (the risk score, else the LLM's stated probability), and c the one constant for which
 * Σ π2_i equals the expected budget n. √(q(1 − q)) is the standard deviation of the rectifier
 * y − q when q is calibrated, so π ∝ w√(q(1 − q)) is Neyman's allocation for the Horvitz–Thompson
 * total of w(y − q): the optimal sampling rule of active statistical inference (Zrnic &amp; Candès
 * 2024, ICML, §4, π(x) ∝ √E[(Y − f(X))² | X]) with the design weight in front. The floor keeps
 * every π2 away from zero, so the AIPW estimator stays design-unbiased and its variance bounded
 * however wrong q is (a confident miss is still reviewed with probability ≥ floor). Stateless;
 * {@link #draw} makes a queue's phase-2 draw from it.
 */
public final class ActiveInclusion {
  private ActiveInclusion() {}

  /**
   * The inclusion probabilities for sizes v and expected budget n.
   *
   * @param size v_i ≥ 0 per unit (0: reviewed at the floor)
   * @param n the expected number of reviewed units, in [floor·N, N]; n ≥ N reviews every unit
   * @param floor the least inclusion probability, in (0, 1]
   * @return π2_i per unit, with Σ π2 = min(n, N) (to rounding)
   * @throws IllegalArgumentException when n &lt; floor·N (the floor alone would exceed the budget),
   *     a size is negative or not finite, or floor is outside (0, 1]
   */
  public static double[] of(double[] size, double n, double floor) {
    if (!(floor > 0 && floor <= 1)) {
      throw new IllegalArgumentException("floor is not in (0, 1]: " + floor);
    }
    int units = size.length;
    double[] pi = new double[units];
    if (n >= units) {
      java.util.Arrays.fill(pi, 1);
      return pi;
    }
    if (n < floor * units * (1 - 1e-12)) {
      throw new IllegalArgumentException("budget " + n + " is below floor × units = " + floor * units);
    }
    double max = 0;
    for (double v : size) {
      if (!(v >= 0 && Double.isFinite(v))) {
        throw new IllegalArgumentException("size is negative or not finite: " + v);
      }
      max = Math.max(max, v);
    }
    if (max == 0) {
      java.util.Arrays.fill(pi, n / units);
      return pi;
    }
    // Σ min(1, max(floor, c v)) rises continuously from floor·N (c = 0) to N (c = 1/min v > 0):
    // bisection on log c finds the c that spends n exactly.
    double lo = 0;
    double hi = 1 / minPositive(size);
    while (total(size, hi, floor) < n) {
      hi *= 2; // sizes of 0 never reach 1; the others do once c ≥ 1/v
    }
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      double mid = (lo + hi) / 2;
      if (total(size, mid, floor) < n) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    for (int i = 0; i < units; i++) {
      pi[i] = Math.min(1, Math.max(floor, hi * size[i]));
    }
    return pi;
  }

  /**
   * The size of a unit: w·√(q(1 − q)).
   *
   * @param weight the phase-1 contribution weight m·d1, &gt; 0
   * @param q the predicted probability of a violation, in [0, 1]
   */
  public static double size(double weight, double q) {
    return weight * Math.sqrt(Math.max(0, q * (1 - q)));
  }

  private static double total(double[] size, double c, double floor) {
    double t = 0;
    for (double v : size) {
      t += Math.min(1, Math.max(floor, c * v));
    }
    return t;
  }

  private static double minPositive(double[] size) {
    double min = Double.POSITIVE_INFINITY;
    for (double v : size) {
      if (v > 0) {
        min = Math.min(min, v);
      }
    }
    return min;
  }

  /**
   * {@code type: active}: the Poisson draw of {@link ActiveInclusion}. Unit i is drawn when its queue
   * uniform is below π2_i ({@link #inclusion}); the gold records carry the stratum {@code active} and π2_i.
   */
  static QueueExport.Phase2 draw(GoldDesign d, QueueExport.LlmLabels labels, double[] weight, QueueExport.SampleIds sample,
      long h) {
    List<String> ids = sample.ids();
    int units = ids.size();
    double[] pi = inclusion(d, d.n().get(GoldDesign.ACTIVE), "n", labels, weight, sample);
    List<Integer> chosen = new ArrayList<>();
    Map<Integer, Queue.Stratum> stratumOf = new HashMap<>();
    for (int i = 0; i < units; i++) {
      if (UnitRandom.uniform(h, ids.get(i)) < pi[i]) {
        chosen.add(i);
      }
    }
    // one stratum for the manifest (N, the drawn n, the mean π2); each item carries its own π2
    Queue.Stratum all = new Queue.Stratum(GoldDesign.ACTIVE, units, chosen.size(), units == 0 ? 0 : chosen.size() / (double) units);
    for (int i : chosen) {
      stratumOf.put(i, new Queue.Stratum(GoldDesign.ACTIVE, units, chosen.size(), pi[i]));
    }
    return new QueueExport.Phase2(List.of(all), chosen, stratumOf, Map.of(GoldDesign.ACTIVE, chosen));
  }

  /**
   * The π2 of a {@code type: active} review of expected size n, as {@link #draw} draws it and
   * {@code plan --review-budget} plans it. A unit's q for each labeled policy is its risk score
   * ({@code scores.<policy>} in the sample) when it has one, else the LLM's probability of a positive
   * ({@link #llmProbability}); its size is w·max over policies of √(q(1 − q)), since one review serves
   * every policy.
   *
   * @param n the expected number of reviews
   * @param field what a budget the floor alone exceeds is blamed on ({@code n}, {@code --review-budget})
   * @param weight each sampled unit's phase-1 contribution weight m·d1
   * @throws InputException when n is 0, or below floor × sampled units (naming the smallest workable budget)
   */
  static double[] inclusion(GoldDesign d, int n, String field, QueueExport.LlmLabels labels, double[] weight,
      QueueExport.SampleIds sample) {
    int units = sample.ids().size();
    double[] size = new double[units];
    for (int i = 0; i < units; i++) {
      double sd = 0;
      for (Map.Entry<String, LlmAnswer[]> e : labels.answers().entrySet()) {
        JsonNode sc = sample.scores().get(i) == null ? null : sample.scores().get(i).get(PolicyKey.idOf(e.getKey()));
        double q = sc != null && sc.isNumber() && sc.asDouble() >= 0 && sc.asDouble() <= 1 ? sc.asDouble()
            : llmProbability(labels.policy(e.getKey()), e.getValue()[i]);
        sd = Math.max(sd, Math.sqrt(q * (1 - q)));
      }
      size[i] = weight[i] * sd;
    }
    double floor = floor(d, n, units);
    if (n < units && n < minimumBudget(d, units)) {
      throw new InputException(Problem.of(String.format(Locale.ROOT, "%s: %d is below floor × sampled units = %s × %d;"
          + " the smallest workable budget is %d (or lower floor)", field, n, floor, units, minimumBudget(d, units))));
    }
    if (n == 0 && units > 0) {
      throw new InputException(Problem.of(field + ": 0 reviews; every unit needs a phase-2 inclusion probability above 0"));
    }
    return units == 0 ? new double[0] : of(size, n, floor);
  }

  /** The design's floor at budget n: its {@code floor:}, else {@link #DEFAULT_FLOOR_SHARE} of the uniform rate n/N. */
  static double floor(GoldDesign d, int n, int units) {
    return Double.isNaN(d.floor()) ? DEFAULT_FLOOR_SHARE * Math.min(n, units) / Math.max(1, units) : d.floor();
  }

  /**
   * The smallest budget {@link #inclusion} takes: ⌈floor·N⌉ for a design with {@code floor:} (the floor
   * alone spends that much), else 1 (the default floor scales with the budget).
   */
  static int minimumBudget(GoldDesign d, int units) {
    return Double.isNaN(d.floor()) ? Math.min(1, units) : (int) Math.ceil(d.floor() * units - 1e-9);
  }

  /**
   * The LLM's probability that the unit is positive for the policy: its confidence for a positive call,
   * 1 − confidence for a negative one, the bare call (0 or 1) without a confidence — the f the
   * corrected estimators read (calibration.corrected.CalibrationInput).
   */
  static double llmProbability(ReviewPolicy p, LlmAnswer a) {
    boolean positive = p.decisions().get(a.decision());
    return Double.isNaN(a.confidence()) ? (positive ? 1 : 0) : positive ? a.confidence() : 1 - a.confidence();
  }

  /** The default floor of an active review, as a share of the uniform rate n/N. */
  static final double DEFAULT_FLOOR_SHARE = 0.5;
}
