package dev.plumb.labeler.unit;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A measurement unit (docs/formats.md): a multi-component interaction that is labeled as a whole.
 * The labeler reads only what a model needs; fields it does not know (weight, scores, design) are
 * ignored here and kept by the modules that use them.
 *
 * @param id unique within its file
 * @param attributes string attributes such as surface and day (never null)
 * @param components in display order, ids unique (never empty)
 */
public record Unit(String id, Map<String, String> attributes, List<Component> components) {
  public Unit {
    Objects.requireNonNull(id, "id");
    attributes = Map.copyOf(attributes);
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("unit " + id + " has no components");
    }
    Set<String> seen = new HashSet<>();
    for (Component c : components) {
      if (!seen.add(c.id())) {
        throw new IllegalArgumentException("unit " + id + ": duplicate component id \"" + c.id() + "\"");
      }
    }
  }

  /** A single-component unit, e.g. for a policy example given as plain text. */
  public static Unit ofText(String id, String text) {
    return new Unit(id, Map.of(), List.of(new Component("text", "text", text, null)));
  }
}
