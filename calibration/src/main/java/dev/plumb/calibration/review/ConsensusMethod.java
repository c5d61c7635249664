package dev.plumb.calibration.review;

import dev.plumb.calibration.agreement.Ratings;
import java.util.List;

/** How several raters' answers on a unit become one gold decision. */
public enum ConsensusMethod {
  /** The decision most raters chose; a tie is not broken but reported for adjudication. */
  MAJORITY("majority") {
    @Override
    List<UnitConsensus> decide(Ratings ratings) {
      return Majority.decide(ratings);
    }
  },
  /**
   * The decision with the highest posterior under the Dawid–Skene model fitted to all units
   * (per-rater confusion matrices, class priors; see {@link DawidSkene}). Equal top posteriors are a
   * tie.
   */
  DAWID_SKENE("dawid-skene") {
    @Override
    List<UnitConsensus> decide(Ratings ratings) {
      return DawidSkene.fit(ratings, DawidSkene.Options.defaults()).consensus();
    }
  };

  private final String label;

  ConsensusMethod(String label) {
    this.label = label;
  }

  /** The name in gold records ({@code method}) and on the command line. */
  public String label() {
    return label;
  }

  /** Parses {@code majority} or {@code dawid-skene}. */
  public static ConsensusMethod parse(String text) {
    for (ConsensusMethod m : values()) {
      if (m.label.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown consensus method \"" + text + "\" (expected majority or dawid-skene)");
  }

  /** One consensus per unit of {@code ratings}, in unit order. */
  public List<UnitConsensus> consensus(Ratings ratings) {
    return decide(ratings);
  }

  abstract List<UnitConsensus> decide(Ratings ratings);
}
