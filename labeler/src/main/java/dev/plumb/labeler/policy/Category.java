package dev.plumb.labeler.policy;

import java.util.List;
import java.util.Objects;

/** A sub-policy, e.g. {@code promotion} under self-harm, with what it includes and excludes. */
public record Category(String id, String title, String definition, List<String> includes, List<String> excludes) {
  public Category {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(definition, "definition");
    title = title == null ? id : title;
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
  }
}
