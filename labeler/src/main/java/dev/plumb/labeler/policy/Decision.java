package dev.plumb.labeler.policy;

import java.util.Objects;

/**
 * One possible answer, e.g. {@code violating} or {@code safe}.
 *
 * @param positive whether this answer counts toward prevalence
 */
public record Decision(String id, String definition, boolean positive) {
  public Decision {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(definition, "definition");
  }
}
