package dev.plumb.calibration.queue;

/**
 * Sequential review in rounds ({@code rounds:} and {@code target_half_width:} in review.yaml,
 * {@code queue export --round K}; docs/review.md, "Sequential review").
 *
 * <p><b>Schedule, fixed in advance.</b> The design's final allocation n_h (its {@code n}, or the
 * budget's allocation) is reached in K rounds: after round k stratum h has n_h^(k) =
 * min(n_h, max(min(2, n_h), ⌈n_h·k/K⌉)) reviewed units — the n_h^(k) smallest permanent random
 * numbers of the stratum, so every round's cumulative review is a stratified simple random sample
 * of fixed size nested in the next, and no reviewed unit is ever drawn again. The schedule depends
 * on phase-1 data only, never on what the reviews found.
 *
 * <p><b>Interval valid under the stopping rule: Bonferroni α-spending.</b> Look k reports the
 * ordinary interval at level 1 − α_k with α_k = α·((k/K)^2 − ((k−1)/K)^2), the power-family spending
 * function with ρ = 2 (Kim &amp; DeMets 1987, Biometrika 74:149; the spending-function framework of
 * Lan &amp; DeMets 1983, Biometrika 70:659). Σ_k α_k = α, and the union bound gives
 * P(some look's interval misses) ≤ Σ α_k = α whatever the dependence between looks — so the interval
 * at whichever round the review stops (the target half-width reached, the budget spent, or anything
 * else) covers with probability at least 1 − α, up to each look's own approximation error. It is
 * conservative: it ignores the strong positive correlation of nested looks that a
 * group-sequential boundary from the joint normal law would use, which needs the correlation of
 * ratio estimators across looks and is not worth it at K ≤ 5 (the last look costs z_{1−α_K/2}: 2.29
 * instead of 1.96 at K = 4). ρ = 2 spends little early, when intervals are wide and a stop is
 * unlikely, and most at the last looks. Checked by seeded simulation ({@code SequentialReviewTest}):
 * stopping at the first look whose interval meets the target covers at least the nominal rate,
 * where stopping on the unadjusted 95% interval does not.
 */
public final class SequentialReview {
  private SequentialReview() {}

  /** n_h^(k) per stratum: the cumulative reviews after round k of K (round 0: none). */
  public static int[] cumulative(int[] finalN, int round, int rounds) {
    if (rounds < 1 || round < 0 || round > rounds) {
      throw new IllegalArgumentException("round " + round + " of " + rounds);
    }
    int[] out = new int[finalN.length];
    for (int h = 0; h < out.length; h++) {
      out[h] = round == 0 ? 0
          : Math.min(finalN[h], Math.max(Math.min(2, finalN[h]), (int) Math.ceil(finalN[h] * (double) round / rounds)));
    }
    return out;
  }

  /** α_k = α·((k/K)² − ((k−1)/K)²), the error probability look k may spend. */
  public static double alpha(double alpha, int round, int rounds) {
    if (rounds < 1 || round < 1 || round > rounds) {
      throw new IllegalArgumentException("round " + round + " of " + rounds);
    }
    double t = round / (double) rounds;
    double s = (round - 1) / (double) rounds;
    return alpha * (t * t - s * s);
  }

  /** The confidence level of look k: 1 − α_k, α = 1 − {@code level}. */
  public static double level(double level, int round, int rounds) {
    return Math.round((1 - alpha(1 - level, round, rounds)) * 1e10) / 1e10; // 0.9625, not 0.96250000000000002
  }

  /**
   * A round as its queue recorded it ({@code round} in queue.json, written by {@code queue export --round}).
   *
   * @param target the relative half-width to stop at; NaN: none
   * @param nextUnits the units the next round adds (0 after the last)
   * @param reviewed the sampled units reviewed after this round, all rounds so far (Σ_h n_h^(k))
   * @param planned the sampled units the design reviews after its last round (Σ_h n_h, the design's n)
   */
  public record Round(int round, int of, double target, int nextUnits, int reviewed, int planned) {
    /** Reads {@code queueDir/queue.json}'s {@code round}; a queue drawn in one go is an error naming the option. */
    public static Round read(java.nio.file.Path queueDir, String option) {
      java.nio.file.Path file = queueDir.resolve(Queue.MANIFEST);
      com.fasterxml.jackson.databind.JsonNode r = dev.plumb.core.Json.read(file).path("round");
      if (!r.isObject()) {
        throw new dev.plumb.core.InputException(dev.plumb.core.Problem.of(option + ": " + file
            + " has no round; it was not drawn by queue export --round K"));
      }
      int reviewed = 0;
      int planned = 0;
      for (com.fasterxml.jackson.databind.JsonNode s : r.path("strata")) {
        reviewed += s.path("reviewed_after").asInt();
        planned += s.path("final").asInt();
      }
      return new Round(r.path("round").asInt(), r.path("of").asInt(),
          r.has("target_half_width") ? r.path("target_half_width").asDouble() : Double.NaN, r.path("next_round_units").asInt(),
          reviewed, planned);
    }

    /** This look's confidence level, 1 − α_k. */
    public double level(double level) {
      return SequentialReview.level(level, round, of);
    }

    /**
     * What to do next, from each policy's headline relative half-width (half-width / estimate;
     * infinite for a one-sided bound or no estimate): the target is met when the worst is within it.
     */
    public String status(java.util.Map<String, Double> relativeHalfWidths, double level) {
      String worst = null;
      double w = -1;
      for (java.util.Map.Entry<String, Double> e : relativeHalfWidths.entrySet()) {
        if (e.getValue() > w) {
          w = e.getValue();
          worst = e.getKey();
        }
      }
      String head = String.format(java.util.Locale.ROOT, "Sequential review, round %d of %d: intervals at %s%% (%s%%"
          + " spread over %d looks, Bonferroni alpha-spending); worst relative half-width %s (%s)", round, of,
          dev.plumb.core.Numbers.plain(Math.round(level(level) * 10000) / 100.0),
          dev.plumb.core.Numbers.plain(Math.round((1 - level) * 10000) / 100.0), of,
          Double.isInfinite(w) ? "unbounded" : String.format(java.util.Locale.ROOT, "±%.1f%%", 100 * w), worst);
      if (Double.isNaN(target)) {
        return head + "; no target_half_width in the design" + next();
      }
      if (w <= target) {
        return head + String.format(java.util.Locale.ROOT, "; target ±%.1f%% met: stop here", 100 * target);
      }
      return head + String.format(java.util.Locale.ROOT, "; target ±%.1f%% not met", 100 * target) + next();
    }

    private String next() {
      return round < of ? ": round " + (round + 1) + " reviews " + nextUnits + " more units (plumb queue export --round "
          + (round + 1) + " --reviewed <the rounds' gold>)" : ": that was the last round";
    }
  }
}
