package dev.plumb.labeler.prompt;

import java.util.List;

/**
 * The exact chat messages for one unit, and what was left out of them.
 *
 * @param messages the system message, then the user message (text and image parts)
 * @param imagesOmitted ids of the components that have an image which was not sent (images off);
 *     their text stood in. Empty when every image was sent or the unit has none. A label records
 *     it, because a decision made without the image may differ.
 */
public record RenderedPrompt(List<ChatMessage> messages, List<String> imagesOmitted) {
  public RenderedPrompt {
    messages = List.copyOf(messages);
    imagesOmitted = List.copyOf(imagesOmitted);
  }

  /** Whether some component's text stood in for its image. */
  public boolean textStoodInForImages() {
    return !imagesOmitted.isEmpty();
  }
}
