package dev.plumb.calibration.corrected;

import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.files.PolicyDecisions;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expert tier's gold (expert.jsonl: {@code plumb queue import} of an expert queue, in the gold
 * format with the expert cell as {@code phase2.stratum} and π3 as {@code phase2.pi}), checked against
 * the vendor gold it was drawn from and applied per policy by {@link ExpertPhase}.
 *
 * <p>A unit's cell is recomputed from the vendor gold exactly as {@code plumb queue export
 * --expert-from} drew it: its review stratum and whether the vendor gold called it positive for any
 * policy. An expert record whose unit the vendor gold does not have, or whose cell is not the one
 * the gold gives, is one located line: the answers are not from a draw of this gold. An expert record
 * for a policy whose vendor gold left the unit out (a tie) is not used for that policy.
 */
final class ExpertGold {
  private final Path source;
  private final Map<String, String> cellOf;
  private final Map<String, Map<String, Double>> byPolicy;

  private ExpertGold(Path source, Map<String, String> cellOf, Map<String, Map<String, Double>> byPolicy) {
    this.source = source;
    this.cellOf = cellOf;
    this.byPolicy = byPolicy;
  }

  static ExpertGold read(Path expert, Path gold, Map<String, List<GoldFile.Gold>> vendor, PolicyDecisions known) {
    String src = expert.toString();
    Map<String, String> cellOf = ExpertPhase.cells(vendor);
    Map<String, Map<String, Double>> byPolicy = new HashMap<>();
    GoldFile.forEach(expert, g -> {
      if (!vendor.containsKey(g.policy())) {
        throw new InputException(Problem.at(src, g.line(), "policy", "policy " + g.policy() + " has no gold in " + gold
            + " (policies: " + String.join(", ", vendor.keySet()) + ")"));
      }
      String cell = cellOf.get(g.unit());
      if (cell == null) {
        throw new InputException(Problem.at(src, g.line(), "unit", "unit \"" + g.unit() + "\" has no gold in " + gold
            + ", so it was not in the expert draw; answer only the expert queue drawn from this gold"));
      }
      if (!cell.equals(g.stratum())) {
        throw new InputException(Problem.at(src, g.line(), "phase2.stratum", "unit \"" + g.unit() + "\" is in expert cell "
            + cell + " by " + gold + ", not " + g.stratum() + "; the expert queue was drawn from another gold file"));
      }
      known.check(src, g.line(), g.policy(), g.decision(), g.positive(), false);
      byPolicy.computeIfAbsent(g.policy(), k -> new HashMap<>()).put(g.unit(), g.probability().probability());
    });
    return new ExpertGold(expert, cellOf, byPolicy);
  }

  /** The policy's gold with the expert phase applied; {@code weight}: unit → m·d1. */
  List<GoldUnit> apply(String policy, List<GoldUnit> gold, java.util.function.ToDoubleFunction<String> weight) {
    Map<String, Double> answers = new HashMap<>();
    Map<String, String> cells = new HashMap<>();
    gold.forEach(g -> cells.put(g.unit(), cellOf.get(g.unit())));
    byPolicy.getOrDefault(policy, Map.of()).forEach((u, v) -> {
      if (cells.containsKey(u)) {
        answers.put(u, v);
      }
    });
    try {
      return ExpertPhase.apply(gold, cells, answers, weight, policy.hashCode());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(source + ": policy " + policy + ": " + e.getMessage()
          + " (answer the whole expert queue, or draw it with a larger --expert-negatives)"));
    }
  }
}
