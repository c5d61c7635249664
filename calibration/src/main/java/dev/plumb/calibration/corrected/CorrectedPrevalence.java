package dev.plumb.calibration.corrected;

import java.util.List;
import java.util.Optional;

/**
 * Every estimator's answer for one policy (in {@link CorrectedEstimator} order) and the one to
 * headline.
 */
public record CorrectedPrevalence(List<Corrected> estimates, Recommendation recommendation) {
  public CorrectedPrevalence {
    estimates = List.copyOf(estimates);
  }

  /** The answer of {@code estimator}. */
  public Corrected get(CorrectedEstimator estimator) {
    return estimates.stream().filter(e -> e.estimator() == estimator).findFirst().orElseThrow();
  }

  /** The recommended estimator's answer. */
  public Corrected headline() {
    return get(recommendation.estimator());
  }

  /** The recommended estimator's estimate, when it has one. */
  public Optional<Corrected.Estimated> headlineEstimate() {
    return headline() instanceof Corrected.Estimated e ? Optional.of(e) : Optional.empty();
  }
}
