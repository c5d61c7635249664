package dev.plumb.labeler.policy;

import java.util.Objects;

/**
 * A numbered piece of guidance: an ordered rule, or an explicitly allowed context. The id (e.g.
 * {@code R3}, {@code A2}) is stable across versions so that a diff can say which rule changed.
 *
 * @param context for allowed entries, the kind of context (education, news, recovery, art,
 *     satire, ...); {@code null} for rules
 */
public record Rule(String id, String context, String text) {
  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
