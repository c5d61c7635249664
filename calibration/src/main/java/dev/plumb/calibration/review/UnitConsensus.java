package dev.plumb.calibration.review;

import java.util.List;
import java.util.Map;

/** The consensus on one unit: a decision, or a tie that goes to adjudication. */
public sealed interface UnitConsensus {

  String unit();

  /** How many raters rated the unit. */
  int raters();

  /** How many raters chose each decision (decisions nobody chose are absent). */
  Map<String, Integer> votes();

  /**
   * A consensus decision.
   *
   * @param agreement the share of the unit's raters who chose {@code decision}
   * @param probability the posterior probability of {@code decision} (Dawid–Skene), or the vote
   *     share for majority
   */
  record Decided(
      String unit, String decision, int raters, Map<String, Integer> votes, double agreement,
      double probability) implements UnitConsensus {
    public Decided {
      votes = Map.copyOf(votes);
    }
  }

  /** No single winner: {@code candidates} share the top vote (or posterior); a person must decide. */
  record Tied(String unit, List<String> candidates, int raters, Map<String, Integer> votes)
      implements UnitConsensus {
    public Tied {
      candidates = List.copyOf(candidates);
      votes = Map.copyOf(votes);
    }
  }
}
