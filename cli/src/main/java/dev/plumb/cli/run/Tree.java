package dev.plumb.cli.run;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into nodes that remember their line and column, so that a problem found
 * while interpreting the run file names its place. A duplicate key, an alias and a second document
 * are errors.
 */
final class Tree {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Tree() {}

  /** A node, its path in the document ({@code labeler.rpm}) and where it starts. */
  sealed interface Node permits Scalar, MapNode, SeqNode {
    String path();

    int line();

    int column();

    /** "a mapping", "a list", "the number 3"... for "expected X, got Y" messages. */
    String describe();

    /** The node as plain JSON, without positions. */
    JsonNode json();
  }

  record Scalar(String path, int line, int column, JsonToken token, String text, JsonNode value) implements Node {
    @Override
    public String describe() {
      return switch (token) {
        case VALUE_STRING -> text.length() <= 40 && !text.contains("\n") ? "the string \"" + text + "\"" : "a string";
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
        default -> "nothing (null)";
      };
    }

    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    @Override
    public JsonNode json() {
      return value;
    }
  }

  /** A key, where the key is written, and its value. */
  record Entry(String key, int line, int column, Node value) {}

  record MapNode(String path, int line, int column, Map<String, Entry> entries) implements Node {
    Node get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }

    @Override
    public String describe() {
      return "a mapping";
    }

    @Override
    public JsonNode json() {
      ObjectNode o = NODES.objectNode();
      entries.values().forEach(e -> o.set(e.key(), e.value().json()));
      return o;
    }
  }

  record SeqNode(String path, int line, int column, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }

    @Override
    public JsonNode json() {
      ArrayNode a = NODES.arrayNode();
      items.forEach(i -> a.add(i.json()));
      return a;
    }
  }

  /**
   * Parses {@code text}; {@code source} names it in problems.
   *
   * @return the root node, or {@code null} for an empty document
   * @throws InputException on a syntax error, a duplicate key, an alias or a second document
   */
  static Node parse(String text, String source) {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      Node root = new Reader(p, source).node(t, "");
      JsonToken next = p.nextToken();
      if (next != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new InputException(Problem.at(source, at.getLineNr(), at.getColumnNr(), "",
            "a second YAML document; a run file holds exactly one (remove the '---')"));
      }
      return root;
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
        String what = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
        throw new InputException(Problem.at(source, m.getProblemMark().getLine() + 1,
            m.getProblemMark().getColumn() + 1, "", "invalid YAML: " + what.replaceAll("\\s+", " ").strip()));
      }
      JsonLocation l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : Math.max(0, l.getLineNr()),
          l == null ? 0 : Math.max(0, l.getColumnNr()), "",
          "invalid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  private static final class Reader {
    private final JsonParser p;
    private final String source;

    Reader(JsonParser p, String source) {
      this.p = p;
      this.source = source;
    }

    Node node(JsonToken t, String path) throws IOException {
      JsonLocation at = p.currentTokenLocation();
      int line = at.getLineNr();
      int column = at.getColumnNr();
      if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
        throw new InputException(Problem.at(source, line, column, path,
            "YAML alias *" + p.getText() + " is not allowed in a run file; write the value out"));
      }
      switch (t) {
        case START_OBJECT -> {
          Map<String, Entry> entries = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation k = p.currentTokenLocation();
            String child = path.isEmpty() ? key : path + "." + key;
            Entry first = entries.get(key);
            if (first != null) {
              throw new InputException(Problem.at(source, k.getLineNr(), k.getColumnNr(), child,
                  "written twice (first at line " + first.line() + ")"));
            }
            Node value = node(p.nextToken(), child);
            entries.put(key, new Entry(key, k.getLineNr(), k.getColumnNr(), value));
          }
          return new MapNode(path, line, column, entries);
        }
        case START_ARRAY -> {
          List<Node> items = new ArrayList<>();
          JsonToken i;
          while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(i, path + "[" + items.size() + "]"));
          }
          return new SeqNode(path, line, column, items);
        }
        case VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_NULL -> {
          JsonNode value = switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NUMBER_INT -> NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            default -> NODES.nullNode();
          };
          return new Scalar(path, line, column, t, p.getText(), value);
        }
        default -> throw new InputException(Problem.at(source, line, column, path,
            "unsupported YAML value (" + p.getText() + ")"));
      }
    }
  }
}
