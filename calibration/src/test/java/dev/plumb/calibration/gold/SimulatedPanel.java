package dev.plumb.calibration.gold;

import dev.plumb.calibration.corrected.GoldUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated panel of human raters answering a review, and the gold plumb makes of their answers by
 * default: the rater-error model's unbiased gold g_i ({@link RaterErrorModel}), with the gold call at
 * posterior ≥ 0.5, the bootstrap replicates and the answers' noise carried into the estimators' variance,
 * as {@code plumb queue import} writes them. The rater model is {@link GoldCoverageSimulation}'s: every rater has the
 * same sensitivity and specificity, {@code perItem} distinct raters of the pool answer each item, and
 * the honeypots (known-answer items the raters cannot tell apart) are answered as noisily as the rest.
 *
 * @param name how tables name the panel, e.g. {@code symmetric 5%}
 * @param sensitivity the chance one answer on a violating item is positive
 * @param specificity the chance one answer on a clean item is negative
 * @param raters the pool's size
 * @param perItem distinct raters per item
 * @param honeypotsPositive known-violating honeypots
 * @param honeypotsNegative known-clean honeypots
 * @param replicates the error model's bootstrap replicates (at least 20)
 */
public record SimulatedPanel(String name, double sensitivity, double specificity, int raters, int perItem,
    int honeypotsPositive, int honeypotsNegative, int replicates) {

  /** Raters who never err: the gold is the truth, no model is fitted. */
  public static final SimulatedPanel EXACT = new SimulatedPanel("truth", 1, 1, 1, 1, 0, 0, 20);

  /** Six raters, three per item, 20 + 40 honeypots, 20 bootstrap replicates: gold-coverage's standard panel. */
  public static SimulatedPanel of(String name, double sensitivity, double specificity) {
    return new SimulatedPanel(name, sensitivity, specificity, 6, 3, 20, 40, 20);
  }

  /** Symmetric 5% flips and asymmetric raters (2% false flags, 15% misses): issue 14's two panels. */
  public static List<SimulatedPanel> noisy() {
    return List.of(of("symmetric 5%", 0.95, 0.95), of("asymmetric 2%/15%", 0.85, 0.98));
  }

  /**
   * A reviewed unit as the panel sees it: its truth, review stratum, π2, and its weight in the error
   * model's prior as plumb queue import passes it (m·d1; m·d1/π2 in a confidence-driven review).
   */
  public record Reviewed(String unit, boolean truth, String stratum, double pi, double weight) {}

  /** Whether the gold is the truth itself. */
  public boolean exact() {
    return sensitivity == 1 && specificity == 1;
  }

  /** The gold of {@code reviewed}: the truth for {@link #exact()}, else the error model's unbiased gold. */
  public List<GoldUnit> gold(List<Reviewed> reviewed, SplittableRandom rng) {
    List<GoldUnit> out = new ArrayList<>(reviewed.size());
    if (exact()) {
      reviewed.forEach(r -> out.add(new GoldUnit(r.unit(), r.truth(), r.stratum(), r.pi())));
      return out;
    }
    List<ReviewItem> items = new ArrayList<>(reviewed.size() + honeypotsPositive + honeypotsNegative);
    reviewed.forEach(r -> items.add(new ReviewItem(r.unit(), r.stratum(), null, answers(r.truth(), rng), r.weight())));
    for (int h = 0; h < honeypotsPositive + honeypotsNegative; h++) {
      boolean known = h < honeypotsPositive;
      items.add(new ReviewItem("h" + h, "", known, answers(known, rng)));
    }
    RaterErrorFit fit = RaterErrorModel.fit(items, new RaterErrorModel.Options(replicates, 0.95, rng.nextLong(), 0.01, 0.10));
    for (Reviewed r : reviewed) {
      // rounded to six decimals, as plumb queue import writes them to gold.jsonl
      // the unbiased gold g_i, its replicates and its answer noise (y_unbiased, y_replicates, y_variance)
      double q = round6(fit.posterior().get(r.unit()));
      double[] reps = fit.goldReplicates().get(r.unit()).clone();
      for (int k = 0; k < reps.length; k++) {
        reps[k] = round6(reps[k]);
      }
      out.add(new GoldUnit(r.unit(), q >= 0.5, r.stratum(), r.pi(), round6(fit.gold().get(r.unit())), reps,
          round6(fit.goldVariance().get(r.unit()))));
    }
    return out;
  }

  /** {@code perItem} distinct raters of the pool, each answering with the panel's error rates. */
  Map<String, Boolean> answers(boolean truth, SplittableRandom rng) {
    Map<String, Boolean> out = new TreeMap<>();
    while (out.size() < perItem) {
      String rater = "r" + rng.nextInt(raters);
      if (!out.containsKey(rater)) {
        boolean right = rng.nextDouble() < (truth ? sensitivity : specificity);
        out.put(rater, right == truth);
      }
    }
    return out;
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
