package dev.plumb.calibration.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Field access with located errors for the calibration module's JSONL readers. */
public final class Records {
  private Records() {}

  /** What a reader does with one record: {@code source} and {@code line} locate its errors. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(String source, int line, ObjectNode node);
  }

  /** Streams the records of {@code path} ({@link Jsonl#forEach}), each with the file name and line its errors name. */
  public static void forEach(Path path, RecordConsumer consumer) {
    String source = path.toString();
    Jsonl.forEach(path, l -> consumer.accept(source, l.number(), l.node()));
  }

  /**
   * The line each key was first seen on: the one "at most one record per key" check of the JSONL
   * readers, whose message ends {@code (first on line N)}.
   */
  public static final class FirstLines {
    private final Map<String, Integer> first = new HashMap<>();

    /**
     * Notes that {@code key} stands on {@code line}.
     *
     * @throws InputException {@code source:line: field: <what> (first on line N)} when an earlier
     *     line had the same key
     */
    public void require(String source, int line, String field, String key, Supplier<String> what) {
      Integer earlier = first.putIfAbsent(key, line);
      if (earlier != null) {
        throw new InputException(Problem.at(source, line, field, what.get() + " (first on line " + earlier + ")"));
      }
    }
  }

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
