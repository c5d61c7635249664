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
  },
  /**
   * The rater-error model ({@code dev.plumb.calibration.gold.RaterErrorModel}): Dawid–Skene on the
   * policy's positive/negative calls with honeypots clamped to their known answers and one prior per
   * review stratum, giving each unit's probability of truly violating. {@code plumb queue import}
   * fits it on the queue (it needs the honeypots and strata); on bare ratings, without either, this
   * constant decides as {@link #DAWID_SKENE} does.
   */
  ERROR_MODEL("error-model") {
    @Override
    List<UnitConsensus> decide(Ratings ratings) {
      return DAWID_SKENE.decide(ratings);
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

  /** Parses {@code majority}, {@code dawid-skene} or {@code error-model}. */
  public static ConsensusMethod parse(String text) {
    for (ConsensusMethod m : values()) {
      if (m.label.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown consensus method \"" + text + "\" (expected majority, dawid-skene or error-model)");
  }

  /** One consensus per unit of {@code ratings}, in unit order. */
  public List<UnitConsensus> consensus(Ratings ratings) {
    return decide(ratings);
  }

  abstract List<UnitConsensus> decide(Ratings ratings);
}
