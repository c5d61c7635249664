package dev.plumb.labeler.policy;

import dev.plumb.labeler.unit.Unit;
import java.util.Objects;

/**
 * A labeled example: a unit with the decision (and category) the policy expects, and why.
 * Every example is a regression test; {@code inPrompt} ones are also shown to the model.
 *
 * @param category {@code null} when the decision takes no category
 */
public record Example(String id, Unit unit, String decision, String category, String reason, boolean inPrompt) {
  public Example {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
  }
}
