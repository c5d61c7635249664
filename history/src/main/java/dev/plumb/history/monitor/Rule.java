package dev.plumb.history.monitor;

import java.util.List;

/**
 * One monitoring rule (docs/monitoring.md). Every rule applies to the policies it names (all when
 * empty) and, for estimate rules, the domains it names ({@code all} by default; {@code *} for
 * every domain).
 */
public sealed interface Rule {

  String name();

  List<String> policies();

  /** Which end of the headline interval (or the estimate itself) a threshold rule reads. */
  enum Bound {
    LOWER, UPPER, ESTIMATE
  }

  /** Which way a change must go to count. */
  enum Direction {
    UP, DOWN, BOTH
  }

  /** Which provenance must match for an earlier period to be comparable. */
  enum Comparable {
    VERSION, PROMPT, MODEL
  }

  /**
   * Fires when the chosen bound of the headline estimate is above {@code above} or below
   * {@code below} (NaN when unused).
   */
  record Threshold(String name, List<String> policies, List<String> domains, Bound bound, double above, double below)
      implements Rule {}

  /**
   * Fires when the headline estimate differs from the mean of up to {@code trailing} earlier
   * comparable periods by more than sampling error explains: a two-sample Wald test at
   * family-wise level {@code alpha} (Bonferroni over the tests of one evaluated period).
   */
  record Change(String name, List<String> policies, List<String> domains, int trailing, int minPeriods, double alpha,
      Direction direction, List<Comparable> comparable, double minRelative) implements Rule {}

  /** Fires when a decision-quality figure (point estimate) is below its bar (NaN when unused). */
  record Quality(String name, List<String> policies, double sensitivity, double specificity, double kappa)
      implements Rule {}

  /**
   * Fires when the sample or gold size is below {@code minFraction} of plan, or below an absolute
   * minimum (0 when unused).
   */
  record Sizes(String name, List<String> policies, double minFraction, int sample, int gold) implements Rule {}
}
