package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The frame's fast path: Jackson's streaming parser over the line's bytes, reading only {@code id},
 * {@code weight}, {@code scores} and {@code attributes} and skipping the rest (components are the
 * bulk of a unit). Every line is still fully tokenised, so invalid JSON anywhere is an error.
 *
 * <p>Its own {@link JsonFactory} rather than {@code Json.mapper()}'s: that one checks duplicate keys
 * in every nested object, which costs more than the parse itself here; the fields sampling reads are
 * checked for duplicates below, the rest is copied unchanged.
 */
final class FrameParser {
  /** Scores are decimals on every line: Jackson's fast double parser (same values, exactly rounded) saves ~5% of a pass. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  FrameUnit parse(byte[] buf, int off, int len, String source, int line) {
    try (JsonParser p = FACTORY.createParser(buf, off, len)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new InputException(
            Problem.at(source, line, "", "expected a JSON object, found " + describe(t, p)));
      }
      String id = null;
      boolean sawId = false;
      double weight = 1;
      boolean sawWeight = false;
      Map<String, Double> scores = null;
      Map<String, String> attributes = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "id" -> {
            sawId = once(sawId, name, source, line);
            if (t == JsonToken.VALUE_NULL) {
              break;
            }
            if (t != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
              throw new InputException(Problem.at(source, line, "id", "expected a non-empty string"));
            }
            id = p.getText();
          }
          case "weight" -> {
            sawWeight = once(sawWeight, name, source, line);
            weight = weight(t, p, source, line);
          }
          case "scores" -> {
            if (scores != null) {
              throw duplicate(name, source, line);
            }
            scores = scores(t, p, source, line);
          }
          case "attributes" -> {
            if (attributes != null) {
              throw duplicate(name, source, line);
            }
            attributes = attributes(t, p, source, line);
          }
          case "design" ->
              throw new InputException(Problem.at(source, line, "design",
                  "a frame unit must not have a design record (this looks like a sample, not a frame)"));
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new InputException(
            Problem.at(source, line, column(p), "", "invalid JSON: unexpected content after the object"));
      }
      if (id == null) {
        throw new InputException(Problem.at(source, line, "id", "missing"));
      }
      return new FrameUnit(source, line, id, weight,
          scores == null || scores.isEmpty() ? Map.of() : Collections.unmodifiableMap(scores),
          attributes == null || attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(attributes),
          buf, off, len);
    } catch (JsonProcessingException e) {
      throw new InputException(Problem.at(source, line,
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "",
          "invalid JSON: " + clean(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new InputException(Problem.at(source, line, "", "cannot read: " + e.getMessage()), e);
    }
  }

  /**
   * Jackson's message on one line, with its reference to where an unclosed object or array started
   * ({@code [Source: REDACTED (...); line: 1, column: 5]}) shortened to {@code column 5}.
   */
  static String clean(String message) {
    return message.replaceAll("\\[Source: [^\\]]*?; line: \\d+, column: (\\d+)\\]", "column $1")
        .replaceAll("\\s+", " ").strip();
  }

  private static boolean once(boolean seen, String name, String source, int line) {
    if (seen) {
      throw duplicate(name, source, line);
    }
    return true;
  }

  private static InputException duplicate(String name, String source, int line) {
    return new InputException(Problem.at(source, line, name, "duplicate field"));
  }

  private static double weight(JsonToken t, JsonParser p, String source, int line) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double w = p.getDoubleValue();
      if (w >= 0 && w < Double.POSITIVE_INFINITY) {
        return w;
      }
    }
    throw new InputException(Problem.at(source, line, "weight",
        "must be a finite number >= 0, found " + describe(t, p)));
  }

  private static Map<String, Double> scores(JsonToken t, JsonParser p, String source, int line)
      throws IOException {
    Map<String, Double> scores = new HashMap<>(4);
    fields(t, p, source, line, "scores", (policy, value) -> {
      double s = Double.NaN;
      if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
        s = p.getDoubleValue();
      }
      if (!(s >= 0 && s <= 1)) {
        throw new InputException(Problem.at(source, line, "scores." + policy,
            "must be a number in [0, 1], found " + describe(value, p)));
      }
      if (scores.put(policy, s) != null) {
        throw duplicate("scores." + policy, source, line);
      }
    });
    return scores;
  }

  private static Map<String, String> attributes(JsonToken t, JsonParser p, String source, int line)
      throws IOException {
    Map<String, String> attributes = new HashMap<>(8);
    fields(t, p, source, line, "attributes", (name, value) -> {
      if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
        // Scalars other than strings read as their JSON text, as the labeler's unit reader does.
        if (attributes.put(name, p.getText()) != null) {
          throw duplicate("attributes." + name, source, line);
        }
      } else {
        p.skipChildren(); // structured or null: not usable as a stratum; the design says so if needed
      }
    });
    return attributes;
  }

  /** One field of an object, its value at the parser's current token {@code value}. */
  @FunctionalInterface
  private interface Field {
    void read(String name, JsonToken value) throws IOException;
  }

  /** Reads the object that starts at {@code t} field by field; JSON null reads as an empty object. */
  private static void fields(JsonToken t, JsonParser p, String source, int line, String field, Field each)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new InputException(
          Problem.at(source, line, field, "expected an object, found " + describe(t, p)));
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      each.read(name, p.nextToken());
    }
  }

  /** The value at the current token as a user would recognise it in their file. */
  static String describe(JsonToken t, JsonParser p) throws IOException {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(clip(p.getText()))) + "\"";
      case VALUE_NULL -> "null";
      default -> clip(p.getText());
    };
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static int column(JsonParser p) {
    return p.currentTokenLocation() == null ? 0 : Math.max(0, p.currentTokenLocation().getColumnNr());
  }
}
