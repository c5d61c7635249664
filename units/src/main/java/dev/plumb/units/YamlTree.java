package dev.plumb.units;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus where every key and value starts, so that a problem can
 * name {@code file:line:col: field.path}. Paths look like {@code tables.pins.columns.id} and
 * {@code units.scores.policies[2]}.
 */
final class YamlTree {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  record Position(int line, int column) {}

  private final String source;
  private final JsonNode root;
  private final Map<String, Position> values = new HashMap<>();
  private final Map<String, Position> keys = new HashMap<>();

  private YamlTree(String source, String text) {
    this.source = source;
    JsonNode r;
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      r = t == null ? JsonNodeFactory.instance.objectNode() : read(p, "");
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
        String what = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
        throw new InputException(Problem.at(source, m.getProblemMark().getLine() + 1,
            m.getProblemMark().getColumn() + 1, "", "invalid YAML: " + what.replaceAll("\\s+", " ").strip()));
      }
      JsonLocation l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : l.getLineNr(),
          l == null ? 0 : Math.max(0, l.getColumnNr()), "",
          "invalid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    this.root = r;
  }

  static YamlTree parse(String text, String source) {
    return new YamlTree(source, text);
  }

  JsonNode root() {
    return root;
  }

  /** A problem located at the value of {@code path} (or at its key, or the file, when unknown). */
  InputException at(String path, String message) {
    Position p = values.getOrDefault(path, keys.get(path));
    return new InputException(p == null ? Problem.at(source, 0, path, message)
        : Problem.at(source, p.line(), p.column(), path, message));
  }

  /** A problem located at the key of {@code path}. */
  InputException atKey(String path, String message) {
    Position p = keys.getOrDefault(path, values.get(path));
    return new InputException(p == null ? Problem.at(source, 0, path, message)
        : Problem.at(source, p.line(), p.column(), path, message));
  }

  private JsonNode read(JsonParser p, String path) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonLocation start = p.currentTokenLocation();
    values.putIfAbsent(path, new Position(start.getLineNr(), start.getColumnNr()));
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          JsonLocation at = p.currentTokenLocation();
          if (o.has(name)) {
            throw new InputException(Problem.at(source, at.getLineNr(), at.getColumnNr(), child, "written twice"));
          }
          keys.put(child, new Position(at.getLineNr(), at.getColumnNr()));
          p.nextToken();
          JsonLocation v = p.currentTokenLocation();
          values.put(child, new Position(v.getLineNr(), v.getColumnNr()));
          o.set(name, read(p, child));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String child = path + "[" + i++ + "]";
          JsonLocation at = p.currentTokenLocation();
          values.put(child, new Position(at.getLineNr(), at.getColumnNr()));
          a.add(read(p, child));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      default -> {
        return f.nullNode();
      }
    }
  }
}
