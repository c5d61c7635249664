package dev.plumb.calibration.estimate;

import java.util.Map;
import java.util.Objects;

/**
 * One unit of a probability sample as the estimators see it.
 *
 * @param id the unit id, unique in the sample
 * @param weight exposure m_i ≥ 0 (impressions; 1 for a unit-level rate)
 * @param attributes domain attributes ({@code surface}, {@code day}, …)
 * @param inclusion how the unit was selected
 */
public record SampledUnit(String id, double weight, Map<String, String> attributes, Inclusion inclusion) {
  public SampledUnit {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("unit id must be a non-empty string");
    }
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a finite number >= 0: " + weight);
    }
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(inclusion, "inclusion");
  }

  /** A unit with no attributes, for tests and programmatic use. */
  public static SampledUnit of(String id, double weight, Inclusion inclusion) {
    return new SampledUnit(id, weight, Map.of(), inclusion);
  }
}
