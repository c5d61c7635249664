package dev.plumb.labeler.local;

import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * A text the classifier reads for a unit: each component with text on its own, plus — when the
 * unit has two or more non-pin components with text (a query and its response) — their
 * concatenation, so that a harmless-looking answer to a harmful question is read in context. Pins
 * are recommended items and are judged on their own. Images are not read: a pin's text stands in.
 *
 * @param components the ids of the components the text comes from
 * @param context whether this is the concatenation rather than one component
 */
record View(String text, List<String> components, boolean context) {

  static List<View> of(Unit unit) {
    List<View> views = new ArrayList<>();
    List<String> conversation = new ArrayList<>();
    List<String> conversationIds = new ArrayList<>();
    for (Component c : unit.components()) {
      if (c.text().isBlank()) {
        continue;
      }
      views.add(new View(c.text(), List.of(c.id()), false));
      if (!"pin".equals(c.kind())) {
        conversation.add(c.text());
        conversationIds.add(c.id());
      }
    }
    if (conversation.size() >= 2) {
      views.add(new View(String.join("\n", conversation), conversationIds, true));
    }
    return views;
  }

  /** All of a unit's text in display order: how a multi-component positive example is learned. */
  static String whole(Unit unit) {
    List<String> texts = new ArrayList<>();
    for (Component c : unit.components()) {
      if (!c.text().isBlank()) {
        texts.add(c.text());
      }
    }
    return String.join("\n", texts);
  }
}
