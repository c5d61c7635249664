package dev.plumb.labeler.policy;

import dev.plumb.labeler.unit.Unit;
import java.util.List;
import java.util.Objects;

/**
 * A labeled example: a unit with the decision (and category) the policy expects, and why.
 * Every example is a regression test; {@code inPrompt} ones are also shown to the model.
 *
 * @param category {@code null} when the decision takes no category (only positive decisions do)
 * @param evidence ids of the unit's components that carry the violation; empty when
 *     the example is not violating (or names none)
 */
public record Example(
    String id, Unit unit, String decision, String category, String reason, boolean inPrompt, List<String> evidence) {
  public Example {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    evidence = List.copyOf(evidence);
  }

  /** An example that names no evidence. */
  public Example(String id, Unit unit, String decision, String category, String reason, boolean inPrompt) {
    this(id, unit, decision, category, reason, inPrompt, List.of());
  }
}
