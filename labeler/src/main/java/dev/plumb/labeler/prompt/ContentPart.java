package dev.plumb.labeler.prompt;

import java.util.Objects;

/** A part of a chat message: text, or an image the model should look at. */
public sealed interface ContentPart {

  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image for a unit component.
   *
   * @param url an {@code http(s)} URL, or a {@code data:} URL for a local file
   * @param componentId the component the image belongs to, so evidence can cite it
   */
  record Image(String url, String componentId) implements ContentPart {
    public Image {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(componentId, "componentId");
    }
  }
}
