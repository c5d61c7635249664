package dev.plumb.units;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One assembled unit (docs/formats.md, "Unit") and its exact JSON line. Every engine that builds
 * units (the embedded DuckDB path and the Spark job) writes them through {@link #writeTo}, so the
 * same unit is the same bytes: keys in the order id, weight, attributes, scores, components;
 * attributes in units.yaml order; scores by policy id; numbers in plain notation with the fewest
 * digits that read back as the same double ({@code 37}, {@code 0.0319}, {@code 0.0001}).
 *
 * @param weight exposure (impressions), ≥ 0
 * @param attributes attribute name → value, in output order (null values are left out)
 * @param scores policy id → score in [0, 1], in output order
 * @param components in display order, non-empty
 */
public record BuiltUnit(String id, double weight, Map<String, String> attributes, Map<String, Double> scores,
    List<Component> components) {

  /** A component: {@code image} may be null (left out of the JSON). */
  public record Component(String id, String kind, String text, String image) {
    public Component {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(text, "text");
    }
  }

  public BuiltUnit {
    Objects.requireNonNull(id, "id");
    if (components.isEmpty()) {
      throw new IllegalArgumentException("a unit needs at least one component: " + id);
    }
  }

  /** Writes the unit as one JSON line (with the trailing newline). */
  public void writeTo(JsonGenerator g, Writer w) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeFieldName("weight");
    g.writeNumber(number(weight));
    g.writeObjectFieldStart("attributes");
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      if (a.getValue() != null) {
        g.writeStringField(a.getKey(), a.getValue());
      }
    }
    g.writeEndObject();
    if (!scores.isEmpty()) {
      g.writeObjectFieldStart("scores");
      for (Map.Entry<String, Double> s : scores.entrySet()) {
        g.writeFieldName(s.getKey());
        g.writeNumber(number(s.getValue()));
      }
      g.writeEndObject();
    }
    g.writeArrayFieldStart("components");
    for (Component c : components) {
      g.writeStartObject();
      g.writeStringField("id", c.id());
      g.writeStringField("kind", c.kind());
      g.writeStringField("text", c.text());
      if (c.image() != null) {
        g.writeStringField("image", c.image());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    w.write('\n');
  }

  /** The JSON line, without the newline. */
  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(w)) {
      writeTo(g, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String s = w.toString();
    return s.substring(0, s.length() - 1);
  }

  /** {@link Numbers#shortest}: plain notation, shortest round-trip digits, no trailing zeros (37, 0.5, 0.0001). */
  public static String number(double x) {
    return Numbers.shortest(x);
  }
}
