package dev.plumb.labeler.unit;

import java.util.Objects;

/**
 * One part of a measurement unit: a search query, the system's response, a recommended pin.
 *
 * @param id unique within its unit; the model cites it as evidence
 * @param kind free-form but conventional: {@code query}, {@code response}, {@code pin}, {@code text}
 * @param text the component's text (may be empty for an image-only pin, never null)
 * @param image an image URL or a path relative to the units file, or {@code null}
 */
public record Component(String id, String kind, String text, String image) {
  public Component {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    text = text == null ? "" : text;
    if (id.isEmpty()) {
      throw new IllegalArgumentException("component id must not be empty");
    }
  }

  public boolean hasImage() {
    return image != null && !image.isEmpty();
  }
}
