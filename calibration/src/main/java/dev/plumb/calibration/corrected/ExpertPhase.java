package dev.plumb.calibration.corrected;

import dev.plumb.calibration.files.GoldFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The expert tier as a third phase (docs/calibration.md, "Expert gold: a third phase"). The reviewed
 * units of phase 2 are split into cells c = (review stratum × consensus call); within each cell an
 * expert subsample E_c of n_c of the N_c units was drawn by simple random sampling (π3 = n_c/N_c: 1 for
 * the consensus-positive cells, the stated share for the negatives). Each reviewed unit's gold value
 * becomes
 *
 * <pre>
 *   ỹ_i = y_i^E                                  when i ∈ E_c (the expert's answer)
 *   ỹ_i = r_c = Σ_{E_c} a_k y_k^E / Σ_{E_c} a_k     otherwise (the cell's expert-positive rate)
 * </pre>
 *
 * with a_k = m_k·d1_k the unit's contribution weight (π2 and π3 are constant within a cell, so this
 * is the 1/π-weighted rate). It is the double-sampling-for-misclassification estimator of Tenenbein
 * (1970, <i>JASA</i> 65:1350–1361) applied within each cell: the fallible (vendor) call only decides
 * the cell, and the expert rate replaces it. Every corrected estimator is linear in the gold, so it
 * takes ỹ in place of y unchanged; for a total Σ_G a_i d2 ỹ_i the cell's part is Σ_{E_c} a y +
 * (A_c − A_{E_c})·r_c = A_c·r_c, the ratio estimator of Σ_c a_i y_i under the third phase (Särndal,
 * Swensson &amp; Wretman 1992, ch. 9, two-phase sampling applied twice, the third phase stratified on
 * second-phase information). Weighting the rate matters: in a cell the clean units can weigh several
 * times the violating ones (a score-driven phase 1), and the unweighted rate gave up to +10.6% relative bias
 * in the simulation where the weighted one did not.
 *
 * <p><b>Variance.</b> The phase-3 term and the within-cell variance that the constant r_c hides from
 * the phase-2 term are carried by B replicates of ỹ, which enter the estimators' V_gold = var_b(Σ c_i
 * ỹ_i^(b)) exactly as the rater-error model's replicates do. In replicate b each cell reviewed in part
 * gets Rao–Wu rescaled bootstrap weights (Rao, Wu &amp; Yue 1992, <i>Survey Methodology</i> 18:209–217):
 * n_c − 1 draws with replacement from E_c, multiplicities k_i, λ = √(1 − n_c/N_c), w_i = 1 − λ +
 * λ·n_c/(n_c − 1)·k_i (the rescaling that gives the SRS variance with its finite-population
 * correction 1 − f_c); r_c^(b) = Σ w_i a_i y_i / Σ w_i a_i; an expert unit's replicate is w_i y_i + (1 −
 * w_i) r_c^(b) (so that the cell's replicate total is A_c r_c^(b)); and each other unit is imputed by a
 * Bernoulli(r_c^(b)) draw — a hot deck (Rubin 1987, <i>Multiple Imputation</i>, ch. 4) whose spread
 * Σ a_i² r_c(1 − r_c) restores the within-cell variance of the units the experts did not see (the
 * phase-2 term, computed on ỹ, sees only their constant). A cell the experts saw whole (π3 = 1) has
 * replicates equal to its answers: no variance. The replicates may leave [0, 1]; only their spread is
 * used.
 */
public final class ExpertPhase {
  /** The suffix of a cell id for the units the vendor consensus called positive for any policy. */
  public static final String POSITIVE = "consensus_positive";
  /** The suffix of a cell id for the others. */
  public static final String NEGATIVE = "consensus_negative";
  /** Replicates of the expert phase (V_gold's Monte Carlo error on a variance is about √(2/B) = 10%). */
  public static final int REPLICATES = 200;

  private ExpertPhase() {}

  /** The expert cell of a reviewed unit: its review stratum and its vendor consensus call. */
  public static String cell(String stratum, boolean consensusPositive) {
    return stratum + "/" + (consensusPositive ? POSITIVE : NEGATIVE);
  }

  /**
   * The expert cell of every unit of the vendor gold: review stratum × consensus positive for any policy.
   *
   * @param gold policy → the vendor gold records
   */
  public static Map<String, String> cells(Map<String, List<GoldFile.Gold>> gold) {
    Map<String, String> stratum = new LinkedHashMap<>();
    Map<String, Boolean> positive = new HashMap<>();
    gold.values().forEach(records -> records.forEach(g -> {
      stratum.putIfAbsent(g.unit(), g.stratum());
      positive.merge(g.unit(), g.positive(), Boolean::logicalOr);
    }));
    Map<String, String> out = new LinkedHashMap<>();
    stratum.forEach((u, s) -> out.put(u, ExpertPhase.cell(s, positive.get(u))));
    return out;
  }

  /**
   * Replaces each reviewed unit's gold by the expert phase's value.
   *
   * @param gold the vendor gold of one policy (phase-2 stratum and π2 are kept)
   * @param cellOf unit → expert cell, for every unit of {@code gold}
   * @param expert unit → the expert's value in [0, 1] (1/0 for a positive/negative call), for the
   *     units of the expert subsample; every key must be a unit of {@code gold}
   * @param weight unit → its contribution weight m_i·d1_i (exposure × phase-1 design weight), by
   *     which the cell's expert rate is weighted
   * @param seed the seed of the replicates
   * @return the gold with {@code probability} = ỹ_i and {@link #REPLICATES} replicates; {@code
   *     positive} stays the vendor call unless the unit has an expert answer
   * @throws IllegalArgumentException when a cell reviewed in part has fewer than two expert answers
   *     (its variance cannot be estimated), or an expert unit is not in the gold
   */
  public static List<GoldUnit> apply(List<GoldUnit> gold, Map<String, String> cellOf, Map<String, Double> expert,
      ToDoubleFunction<String> weight, long seed) {
    return apply(gold, cellOf, expert, weight, seed, REPLICATES);
  }

  /** {@link #apply(List, Map, Map, ToDoubleFunction, long)} with {@code replicates} replicates (tests check V_gold's expectation). */
  static List<GoldUnit> apply(List<GoldUnit> gold, Map<String, String> cellOf, Map<String, Double> expert,
      ToDoubleFunction<String> weight, long seed, int replicates) {
    Map<String, List<GoldUnit>> cells = new LinkedHashMap<>();
    for (GoldUnit g : gold) {
      String c = cellOf.get(g.unit());
      if (c == null) {
        throw new IllegalArgumentException("unit " + g.unit() + " has no expert cell");
      }
      cells.computeIfAbsent(c, k -> new ArrayList<>()).add(g);
    }
    for (String u : expert.keySet()) {
      if (!cellOf.containsKey(u)) {
        throw new IllegalArgumentException("unit " + u + " has an expert answer but no gold");
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, GoldUnit> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<GoldUnit>> e : cells.entrySet()) {
      List<GoldUnit> members = e.getValue();
      List<GoldUnit> seen = new ArrayList<>();
      members.forEach(g -> {
        if (expert.containsKey(g.unit())) {
          seen.add(g);
        }
      });
      int n = seen.size();
      int big = members.size();
      if (n < big && n < 2) {
        throw new IllegalArgumentException("cell " + e.getKey() + " has " + big + " reviewed units and " + n
            + " expert answer" + (n == 1 ? "" : "s") + "; a cell reviewed in part needs at least 2");
      }
      double[] y = new double[n];
      double[] a = new double[n];
      double sa = 0;
      double say = 0;
      for (int k = 0; k < n; k++) {
        y[k] = expert.get(seen.get(k).unit());
        // floored so that a cell of zero-exposure units still has a rate
        a[k] = Math.max(Double.MIN_NORMAL, weight.applyAsDouble(seen.get(k).unit()));
        sa += a[k];
        say += a[k] * y[k];
      }
      double rate = n == 0 ? 0 : say / sa;
      double[][] expertReps = new double[n][replicates];
      double[] rateReps = new double[replicates];
      double lambda = Math.sqrt(Math.max(0, 1 - n / (double) big));
      SplittableRandom cellRng = rng.split();
      for (int b = 0; b < replicates; b++) {
        double[] w = new double[n];
        if (n < big) {
          int[] count = new int[n];
          for (int d = 0; d < n - 1; d++) {
            count[cellRng.nextInt(n)]++;
          }
          for (int k = 0; k < n; k++) {
            w[k] = 1 - lambda + lambda * n / (n - 1.0) * count[k];
          }
        } else {
          java.util.Arrays.fill(w, 1);
        }
        double num = 0;
        double den = 0;
        for (int k = 0; k < n; k++) {
          num += w[k] * a[k] * y[k];
          den += w[k] * a[k];
        }
        double r = n == 0 ? 0 : num / den;
        rateReps[b] = r;
        for (int k = 0; k < n; k++) {
          expertReps[k][b] = w[k] * y[k] + (1 - w[k]) * r;
        }
      }
      for (int k = 0; k < n; k++) {
        GoldUnit g = seen.get(k);
        out.put(g.unit(), new GoldUnit(g.unit(), y[k] >= 0.5, g.stratum(), g.pi(), y[k], expertReps[k]));
      }
      for (GoldUnit g : members) {
        if (expert.containsKey(g.unit())) {
          continue;
        }
        double[] reps = new double[replicates];
        for (int b = 0; b < replicates; b++) {
          reps[b] = cellRng.nextDouble() < rateReps[b] ? 1 : 0;
        }
        out.put(g.unit(), new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), rate, reps));
      }
    }
    List<GoldUnit> ordered = new ArrayList<>();
    gold.forEach(g -> ordered.add(out.get(g.unit())));
    return ordered;
  }
}
