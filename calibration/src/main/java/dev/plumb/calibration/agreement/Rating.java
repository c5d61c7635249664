package dev.plumb.calibration.agreement;

import java.util.Objects;

/**
 * One nominal rating: {@code rater} put {@code unit} in {@code category}.
 *
 * @param unit the rated unit's id
 * @param rater the rater's id
 * @param category the category (a policy decision), compared by exact string equality
 */
public record Rating(String unit, String rater, String category) {
  public Rating {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(rater, "rater");
    Objects.requireNonNull(category, "category");
  }
}
