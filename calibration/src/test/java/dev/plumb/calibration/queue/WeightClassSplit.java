package dev.plumb.calibration.queue;

import java.util.List;

/**
 * For the coverage simulations (other packages): {@link WeightClasses#split}, the review by weight class of
 * {@code weight_classes: K} (docs/review.md), as members and review counts.
 */
public final class WeightClassSplit {
  private WeightClassSplit() {}

  /** One class: indices into the weight array and the units to review in it. */
  public record Part(int[] members, int n) {}

  /** {@code w}'s units cut into at most {@code k} classes of equal weight, {@code n} reviews allocated over them. */
  public static List<Part> of(double[] w, int n, int k) {
    return WeightClasses.split(w, n, k).stream().map(c -> new Part(c.members(), c.n())).toList();
  }
}
