package dev.plumb.calibration.queue;

import dev.plumb.calibration.sampling.Allocation;
import dev.plumb.core.LowerCaseId;

/**
 * How a review budget is shared among the phase-2 strata (review strata × weight classes), the
 * {@code allocation:} option of review.yaml (docs/review.md, "Allocating a review budget").
 *
 * <p>The headline (human-only) estimator's phase-2 variance for policy p is, to first order,
 * V2_p(n) = Σ_h N_h²(1/n_h − 1/N_h) S²_hp, with S²_hp the within-stratum variance of the linearised
 * variable z_i = w_i(y_i − P_p)/M (w_i = m_i·d1_i, M = Σ_S w); the phase-1 part V1_p does not depend
 * on n ({@link ReviewProblem}). Every rule keeps min(2, N_h) ≤ n_h ≤ N_h — two reviewed units per
 * stratum reviewed in part, the fewest a stratum variance can be estimated from — and rounds by
 * largest remainder ({@link Allocation#bounded}, whose continuous solution is the exact
 * box-constrained optimum), so Σ n_h is the budget.
 *
 * <ul>
 *   <li>{@link #FIXED}: n per stratum as written (the default; no budget).
 *   <li>{@link #PROPORTIONAL}: n_h ∝ N_h.
 *   <li>{@link #NEYMAN}: n_h ∝ N_h·√(Σ_p S²_hp/P_p²), which minimises Σ_p V_p/P_p², the sum of the
 *       policies' squared relative standard errors; for one policy it is Neyman's allocation
 *       n_h ∝ N_h S_h (Neyman 1934; Cochran 1977, §5.5), and with bounds the Tschuprow–Neyman
 *       allocation on a recursively reduced set of strata (as R {@code stratallo::opt}).
 *   <li>{@link #OPTIMAL}: minimises the <b>worst</b> relative half-width max_p √V_p/P_p (V1 included):
 *       one review serves every policy, so the budget goes where the least precise policy needs it.
 *       By the minimax theorem this is max over policy weights α on the simplex of the Neyman
 *       problem min_n Σ_p α_p V_p/P_p²; α is found by exponentiated-gradient ascent (the gradient in
 *       α_p is policy p's relative variance at the inner optimum), and the best allocation met on
 *       the way is kept. With one policy it equals {@link #NEYMAN}.
 * </ul>
 */
public enum ReviewAllocation implements LowerCaseId {
  FIXED,
  PROPORTIONAL,
  NEYMAN,
  OPTIMAL;

  /** Iterations of the minimax search; 40 strata × 10 policies × 600 is well under a millisecond each. */
  private static final int ROUNDS = 600;

  /** The rule named {@code id} (lower case), or null. */
  public static ReviewAllocation parse(String id) {
    return LowerCaseId.parse(values(), id);
  }

  /**
   * The allocation of {@code budget} reviews among the problem's strata.
   *
   * @param budget total reviews; at least {@link ReviewProblem#minimumBudget()}; more than Σ N_h
   *     reviews every unit
   * @throws IllegalArgumentException for {@link #FIXED} (it has no budget) or a budget below the minimum
   */
  public int[] allocate(ReviewProblem p, int budget) {
    if (this == FIXED) {
      throw new IllegalArgumentException("allocation: fixed has no budget to allocate");
    }
    int n = (int) Math.min(budget, p.units());
    if (n < p.minimumBudget()) {
      throw new IllegalArgumentException("budget " + budget + " below the minimum " + p.minimumBudget());
    }
    return switch (this) {
      case PROPORTIONAL -> p.round(n, p.sizes());
      case NEYMAN -> p.round(n, p.neyman(uniform(p.policies())));
      case OPTIMAL -> minimax(p, n);
      case FIXED -> throw new AssertionError();
    };
  }

  private static double[] uniform(int k) {
    double[] a = new double[k];
    java.util.Arrays.fill(a, 1.0 / k);
    return a;
  }

  /** Exponentiated-gradient ascent on the policy weights; the allocation with the smallest worst relative variance. */
  private static int[] minimax(ReviewProblem p, int n) {
    int k = p.policies();
    double[] alpha = uniform(k);
    int[] best = null;
    double bestWorst = Double.POSITIVE_INFINITY;
    for (int round = 0; round < ROUNDS; round++) {
      int[] alloc = p.round(n, p.neyman(alpha));
      double[] rel = new double[k];
      double worst = 0;
      for (int q = 0; q < k; q++) {
        rel[q] = p.relativeVariance(q, alloc);
        worst = Math.max(worst, rel[q]);
      }
      if (worst < bestWorst) {
        bestWorst = worst;
        best = alloc;
      }
      if (k == 1 || !(worst > 0)) {
        break;
      }
      // step size shrinking as 1/√t; gradients scaled by the worst so the step is scale-free
      double eta = 2.0 / Math.sqrt(round + 1);
      double sum = 0;
      for (int q = 0; q < k; q++) {
        alpha[q] *= Math.exp(eta * rel[q] / worst);
        sum += alpha[q];
      }
      for (int q = 0; q < k; q++) {
        alpha[q] /= sum;
      }
    }
    return polish(p, best);
  }

  /**
   * Integer polish of the rounded minimax allocation: moves one review at a time from one stratum to
   * another while that lowers the worst relative variance (rounding alone left up to 1% on the table
   * in small problems).
   */
  private static int[] polish(ReviewProblem p, int[] start) {
    int[] n = start.clone();
    int h = n.length;
    double worst = worst(p, n);
    for (int moves = 0; moves < 20 * h + 2000; moves++) {
      int from = -1;
      int to = -1;
      double best = worst;
      for (int a = 0; a < h; a++) {
        if (n[a] <= Math.min(2, (int) p.sizes()[a])) {
          continue;
        }
        for (int b = 0; b < h; b++) {
          if (b == a || n[b] >= p.sizes()[b]) {
            continue;
          }
          n[a]--;
          n[b]++;
          double w = worst(p, n);
          n[a]++;
          n[b]--;
          if (w < best * (1 - 1e-12)) {
            best = w;
            from = a;
            to = b;
          }
        }
      }
      if (from < 0) {
        break;
      }
      n[from]--;
      n[to]++;
      worst = best;
    }
    return n;
  }

  private static double worst(ReviewProblem p, int[] n) {
    double w = 0;
    for (int q = 0; q < p.policies(); q++) {
      w = Math.max(w, p.relativeVariance(q, n));
    }
    return w;
  }
}
