package dev.plumb.labeler.evaluation;

import dev.plumb.labeler.unit.Unit;
import java.util.Objects;

/**
 * One unit and the answer it should get.
 *
 * @param unit the unit sent to the model; its id is the case id (an example's id, or a golden unit's)
 * @param origin where the case is defined, for messages: {@code policies/self_harm/v2.yaml} or
 *     {@code golden.jsonl:3}
 */
public record TestCase(Unit unit, Expected expected, Kind kind, String origin) {
  /** Where a case comes from. */
  public enum Kind {
    /** An example of the policy under test. */
    EXAMPLE,
    /** A line of a golden file. */
    GOLDEN
  }

  public TestCase {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(origin, "origin");
  }

  public String id() {
    return unit.id();
  }
}
