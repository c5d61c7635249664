package dev.plumb.calibration.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;

/** Field access with located errors for the calibration module's JSONL readers. */
public final class Records {
  private Records() {}

  /** A required non-empty string field. */
  public static String text(String source, int line, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InputException(Problem.at(source, line, field, "missing"));
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new InputException(Problem.at(source, line, field, "expected a non-empty string, found " + v));
    }
    return v.asText();
  }

  /** An optional string field: {@code null} when absent or null. */
  public static String optionalText(String source, int line, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InputException(Problem.at(source, line, field, "expected a string, found " + v));
    }
    return v.asText();
  }

  /** A required boolean field. */
  public static boolean bool(String source, int line, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InputException(Problem.at(source, line, field, "missing"));
    }
    if (!v.isBoolean()) {
      throw new InputException(Problem.at(source, line, field, "expected true or false, found " + v));
    }
    return v.asBoolean();
  }

  /** An optional boolean field: {@code false} when absent or null. */
  public static boolean optionalBool(String source, int line, JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull() && bool(source, line, node, field);
  }
}
