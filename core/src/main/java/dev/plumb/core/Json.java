package dev.plumb.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON configuration plumb reads and writes with. Strict on input (duplicate keys and
 * trailing tokens are errors, numbers keep their precision), compact and stable on output.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private static final ObjectMapper PRETTY =
      MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Turns values into trees as {@link #line} would write them: a double stays a double node
   * ({@code 1.0E-5}, not the {@code 0.00001} of a decimal read back) and a BigDecimal keeps its scale.
   */
  private static final ObjectMapper TREE =
      MAPPER.copy()
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private Json() {}

  /** The shared mapper; thread-safe once configured, never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /**
   * {@code value} (a record that declares a JSON format, say) as a tree that writes the same bytes as
   * {@code value} itself: same keys in the same order, numbers as Java writes them. The shared
   * mapper's {@code valueToTree} would not — it reads floating-point numbers back as decimals.
   */
  public static ObjectNode tree(Object value) {
    return TREE.valueToTree(value);
  }

  /**
   * The JSON in a file plumb wrote itself (a sidecar such as {@code *.raters.json}): any failure,
   * missing file or broken JSON alike, is {@code <file>: cannot read: <first line of the reason>}.
   *
   * @throws InputException when the file cannot be read or parsed
   */
  public static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": cannot read: " + e.getMessage().lines().findFirst().orElse("")), e);
    }
  }

  /**
   * The JSON in a file a person hands plumb, with the problem located: {@code <file>: file not found},
   * {@code <file>:<line>:<column>: <invalid>: <parser message>} (line and column 0 when the parser
   * gives none), or {@code <file>: cannot read: <reason>}.
   *
   * @param invalid how the message names broken JSON ({@code "invalid JSON"}, {@code "not JSON"})
   * @throws InputException when the file cannot be read or parsed
   */
  public static JsonNode read(Path file, String invalid) {
    String source = file.toString();
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (JsonProcessingException e) {
      var l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : Math.max(0, l.getColumnNr()),
          "", invalid + ": " + parserMessage(e)));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  /**
   * A Jackson parser's message on one line, without the location the {@code file:line:column} prefix
   * already gives: its reference to where an unclosed object or array started
   * ({@code [Source: REDACTED (...); line: 1, column: 5]}) shortened to {@code column 5}.
   */
  public static String parserMessage(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll("\\[Source: [^\\]]*?; line: \\d+, column: (\\d+)\\]", "column $1")
        // Python's json.dumps writes NaN and Infinity unless allow_nan=False; Jackson's advice to
        // enable a parser feature is for the programmer, not for the user who wrote the file
        .replaceAll("Non-standard token '([^']*)': enable `JsonReadFeature\\.ALLOW_NON_NUMERIC_NUMBERS` to allow",
            "$1 is not a JSON number (JSON has no NaN or Infinity; write a finite number, or null where the field allows it)")
        .replaceAll("Trailing token \\(of type [A-Z_]+\\) found after value \\(bound as `[^`]*`\\): not allowed as per"
            + " `DeserializationFeature\\.FAIL_ON_TRAILING_TOKENS`",
            "a second JSON value after the first; the file must hold one JSON document (is it JSON Lines?)")
        .replaceAll("\\s+", " ").strip();
  }

  /**
   * Puts {@code v} under {@code field}, or JSON {@code null} when {@code v} is NaN or infinite
   * (JSON has no such numbers; a reader sees "not defined" rather than a string). Returns {@code o}.
   */
  public static ObjectNode putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
    return o;
  }

  /**
   * {@code v}, or null when it is NaN or infinite: for a record component that a format writes as
   * {@link #putFinite} does (JSON {@code null}, not the string {@code "NaN"}).
   */
  public static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * What kind of JSON value {@code node} is, for "expected X, found Y" messages: {@code an array},
   * {@code a string}, {@code a number}, {@code a boolean}, {@code null}, else the node type in lower
   * case ({@code object}).
   */
  public static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Compact single-line JSON, as written in JSON Lines files. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indented JSON with a trailing newline, for files people read (sample.json, report.json). */
  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Canonical form for hashing: object keys sorted recursively, compact, numbers as written. Two
   * documents with the same content and different key order give the same string.
   */
  public static String canonical(JsonNode node) {
    return line(sorted(node));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      it.forEachRemaining(fields::add);
      fields.sort(Map.Entry.comparingByKey());
      ObjectNode out = MAPPER.createObjectNode();
      for (Map.Entry<String, JsonNode> e : fields) {
        out.set(e.getKey(), sorted(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
