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
 * <p>A conversation is run through the model once: its turns' own readings are pooled from that
 * pass ({@link MiniLm#features}), so each turn is read with the others around it.
 *
 * @param components the ids of the components the text comes from
 * @param context whether this is the concatenation rather than one component
 * @param turns for the concatenation, the texts it joins (by a line break); else the text alone
 * @param turn for a component that is a turn of the unit's conversation, its index there; else −1
 */
record View(String text, List<String> components, boolean context, List<String> turns, int turn) {

  static List<View> of(Unit unit) {
    List<View> views = new ArrayList<>();
    List<String> conversation = new ArrayList<>();
    List<String> conversationIds = new ArrayList<>();
    for (Component c : unit.components()) {
      if (!c.text().isBlank() && !"pin".equals(c.kind())) {
        conversation.add(c.text());
        conversationIds.add(c.id());
      }
    }
    boolean talk = conversation.size() >= 2;
    for (Component c : unit.components()) {
      if (c.text().isBlank()) {
        continue;
      }
      int turn = talk ? conversationIds.indexOf(c.id()) : -1;
      views.add(new View(c.text(), List.of(c.id()), false, List.of(c.text()), turn));
    }
    if (talk) {
      views.add(new View(String.join("\n", conversation), List.copyOf(conversationIds), true, List.copyOf(conversation), -1));
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
