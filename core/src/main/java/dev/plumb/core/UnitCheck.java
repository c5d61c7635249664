package dev.plumb.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one check of a unit's fields (docs/formats.md, "Unit"), shared by every reader of a units or
 * frame file — the labeler's ({@code label}, {@code score}, prompt tests) and the sampler's
 * ({@code sample}, {@code plan}) — so that a bad unit gets the same {@code file:line: field: message}
 * whichever command reads it first. Each method reads one field's value from a Jackson streaming
 * parser positioned on the value's first token (a tree is read through {@code node.traverse()}), so
 * the sampler's fast path and the labeler's tree reader run the same code.
 *
 * <p>Two profiles ({@link Profile}): a file of units for labeling needs {@code components}; a
 * sampling frame does not (sampling reads id, weight, scores and attributes and copies each line
 * unchanged), but components it has are checked all the same.
 *
 * <p>Stateless and thread-safe.
 */
public final class UnitCheck {
  private UnitCheck() {}

  /** What a reader needs of a unit. */
  public enum Profile {
    /** Units to label or score: {@code components} is required. */
    UNITS,
    /**
     * A sampling frame ({@code plumb sample}, {@code plumb plan}): {@code components} may be absent —
     * a frame of ids, weights, scores and attributes can be sampled, its content joined later —
     * and is checked as for {@link #UNITS} when present.
     */
    SAMPLING_FRAME
  }

  /** A component as read: text is never null (empty when absent), kind defaults to {@code text}. */
  public record Component(String id, String kind, String text, String image) {}

  /** The unit's {@code id}: a non-empty string; JSON null counts as missing (returns null). */
  public static String id(JsonToken t, JsonParser p, String source, int line) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
      throw new InputException(Problem.at(source, line, "id", "expected a non-empty string"));
    }
    return p.getText();
  }

  /** The problem of a unit without an id. */
  public static InputException missingId(String source, int line) {
    return new InputException(Problem.at(source, line, "id", "missing"));
  }

  /** The problem of a unit whose id an earlier line already has. */
  public static InputException duplicateId(String source, int line, String id, int firstLine) {
    return new InputException(Problem.at(source, line, "id",
        "duplicate unit id " + quote(id) + " (first on line " + firstLine + ")"));
  }

  /** The problem of a field given twice in one unit. */
  public static InputException duplicateField(String field, String source, int line) {
    return new InputException(Problem.at(source, line, field, "duplicate field"));
  }

  /** The unit's {@code weight}: a finite number ≥ 0. */
  public static double weight(JsonToken t, JsonParser p, String source, int line) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double w = p.getDoubleValue();
      if (w >= 0 && w < Double.POSITIVE_INFINITY) {
        return w;
      }
    }
    throw new InputException(Problem.at(source, line, "weight", "must be a finite number >= 0, found " + describe(t, p)));
  }

  /** The unit's {@code scores}: policy id → number in [0, 1]; null reads as none. */
  public static Map<String, Double> scores(JsonToken t, JsonParser p, String source, int line) throws IOException {
    Map<String, Double> scores = new HashMap<>(4);
    fields(t, p, source, line, "scores", (policy, value) -> {
      double s = Double.NaN;
      if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
        s = p.getDoubleValue();
      }
      if (!(s >= 0 && s <= 1)) {
        throw new InputException(Problem.at(source, line, "scores." + policy, "must be a number in [0, 1], found " + describe(value, p)));
      }
      if (scores.put(policy, s) != null) {
        throw duplicateField("scores." + policy, source, line);
      }
    });
    return scores;
  }

  /**
   * The unit's {@code attributes}: name → text. A scalar reads as its JSON text (so {@code 7} and
   * {@code "7"} are the same stratum); a null or structured value is skipped (it cannot name a
   * stratum or a breakdown).
   */
  public static Map<String, String> attributes(JsonToken t, JsonParser p, String source, int line) throws IOException {
    Map<String, String> attributes = new LinkedHashMap<>(8);
    fields(t, p, source, line, "attributes", (name, value) -> {
      if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
        if (attributes.put(name, p.getText()) != null) {
          throw duplicateField("attributes." + name, source, line);
        }
      } else {
        p.skipChildren();
      }
    });
    return attributes;
  }

  /**
   * The unit's {@code components}: a non-empty array of objects, each with a non-empty string
   * {@code id} unique in the unit, optional strings {@code kind}, {@code text} and {@code image}, and
   * text or an image. With {@code keep} false only checks (no component text is copied: the
   * sampler's fast path) and returns an empty list.
   */
  public static List<Component> components(JsonToken t, JsonParser p, String source, int line, boolean keep)
      throws IOException {
    if (t != JsonToken.START_ARRAY) {
      if (t != JsonToken.VALUE_NULL) {
        p.skipChildren();
      }
      throw missingComponents(source, line);
    }
    List<Component> components = keep ? new ArrayList<>() : List.of();
    // a unit has a handful of components: a list scanned for duplicates costs less than a hash set
    List<String> ids = new ArrayList<>(8);
    int i = 0;
    // field names ("components[2].id") are built only for a message: this runs for every line of a
    // frame the sampler reads
    for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken(), i++) {
      if (c != JsonToken.START_OBJECT) {
        throw new InputException(Problem.at(source, line, "components[" + i + "]", "expected an object"));
      }
      String id = null;
      String kind = null;
      String text = null;
      boolean hasText = false;
      String image = null;
      boolean hasImage = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> {
            if (v == JsonToken.VALUE_NULL) {
              break;
            }
            if (v != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
              throw new InputException(Problem.at(source, line, "components[" + i + "].id", "expected a non-empty string"));
            }
            id = p.getText();
          }
          case "kind", "text", "image" -> {
            if (v == JsonToken.VALUE_NULL) {
              break;
            }
            if (v != JsonToken.VALUE_STRING) {
              throw new InputException(Problem.at(source, line, "components[" + i + "]." + name, "expected a string"));
            }
            if (name.equals("text")) {
              hasText = p.getTextLength() > 0;
              text = keep ? p.getText() : null;
            } else if (name.equals("image")) {
              hasImage = true;
              image = keep ? p.getText() : null;
            } else if (keep) {
              kind = p.getText();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (id == null) {
        throw new InputException(Problem.at(source, line, "components[" + i + "].id", "missing"));
      }
      if (ids.contains(id)) {
        throw new InputException(Problem.at(source, line, "components[" + i + "].id", "duplicate component id " + quote(id)));
      }
      ids.add(id);
      if (!hasText && !hasImage) {
        throw new InputException(Problem.at(source, line, "components[" + i + "]", "needs text or an image"));
      }
      if (keep) {
        components.add(new Component(id, kind == null ? "text" : kind, text == null ? "" : text, image));
      }
    }
    if (i == 0) {
      throw missingComponents(source, line);
    }
    return components;
  }

  /**
   * The checks of a whole unit once its fields are read: the id is required; so are components
   * under {@link Profile#UNITS}.
   *
   * @param id the id read, or null when the unit has none
   * @param components whether the unit has a {@code components} field (checked when read)
   */
  public static void complete(Profile profile, String id, boolean components, String source, int line) {
    if (id == null) {
      throw missingId(source, line);
    }
    if (!components && profile == Profile.UNITS) {
      throw missingComponents(source, line);
    }
  }

  /** The problem of a unit without components (or with an empty or non-array value). */
  public static InputException missingComponents(String source, int line) {
    return new InputException(Problem.at(source, line, "components", "expected a non-empty array"));
  }

  /** One field of an object, its value at the parser's current token {@code value}. */
  @FunctionalInterface
  private interface Field {
    void read(String name, JsonToken value) throws IOException;
  }

  /** Reads the object that starts at {@code t} field by field; JSON null reads as an empty object. */
  private static void fields(JsonToken t, JsonParser p, String source, int line, String field, Field each) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new InputException(Problem.at(source, line, field, "expected an object, found " + describe(t, p)));
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      each.read(name, p.nextToken());
    }
  }

  /** The value at the current token as a user would recognise it in their file. */
  public static String describe(JsonToken t, JsonParser p) throws IOException {
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

  /** A value as JSON text, clipped to 80 characters (an id can be long). */
  private static String quote(String s) {
    return Json.line(s.length() > 80 ? s.substring(0, 80) + "..." : s);
  }
}
