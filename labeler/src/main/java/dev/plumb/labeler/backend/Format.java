package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Response formats, strictest first. A backend starts with {@link #JSON_SCHEMA} and steps down
 * once for the whole run when a server refuses one; below {@code json_schema} the schema travels
 * in the prompt instead, and plumb's own validation still checks every answer.
 */
enum Format {
  JSON_SCHEMA("json_schema"),
  JSON_OBJECT("json_object"),
  TEXT("text");

  final String wire;

  Format(String wire) {
    this.wire = wire;
  }

  Format next() {
    return this == JSON_SCHEMA ? JSON_OBJECT : TEXT;
  }

  /** Steps {@code state} down from {@code from} (once, even when many threads saw the refusal). */
  static void stepDown(AtomicReference<Format> state, Format from, String provider, Consumer<String> notices) {
    Format to = from.next();
    if (state.compareAndSet(from, to)) {
      notices.accept(
          provider + " refused the " + from.wire + " response format; using " + to.wire
              + " for the rest of the run (answers are still validated against the schema)");
    }
  }

  /**
   * The messages to send in this format: below json_schema, a system message carrying the schema
   * is inserted after the first system message (or first, when there is none). A request without
   * a schema (a free-text answer) is sent as it is.
   */
  List<ChatMessage> messages(List<ChatMessage> messages, JsonNode schema) {
    if (this == JSON_SCHEMA || schema == null) { // no schema: a free-text answer, nothing to add
      return messages;
    }
    ChatMessage note =
        ChatMessage.system(
            "Answer with one JSON object and nothing else. It must validate against this JSON Schema:\n"
                + Json.line(schema));
    List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
    int at = !messages.isEmpty() && messages.get(0).role() == ChatMessage.Role.SYSTEM ? 1 : 0;
    out.addAll(messages.subList(0, at));
    out.add(note);
    out.addAll(messages.subList(at, messages.size()));
    return out;
  }
}
