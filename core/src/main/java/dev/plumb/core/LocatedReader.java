package dev.plumb.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.plumb.core.LocatedYaml.Entry;
import dev.plumb.core.LocatedYaml.Kind;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Position;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds located nodes from the parser's tokens. SnakeYAML's syntax errors arrive wrapped in a
 * JsonProcessingException whose cause is SnakeYAML's MarkedYAMLException, with the problem, the
 * construct it occurred in, and where each is.
 */
final class LocatedReader {
  private final String source;
  private final Kind kind;
  private final List<Problem> problems;
  private final boolean json;
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Position> keys = new HashMap<>();
  private JsonParser parser;

  LocatedReader(String source, Kind kind, List<Problem> problems, boolean json) {
    this.source = source;
    this.kind = kind;
    this.problems = problems;
    this.json = json;
  }

  /** No document, after a problem that stops the reading. */
  LocatedYaml none() {
    return new LocatedYaml(source, null, false, Map.of(), Map.of());
  }

  LocatedYaml empty() {
    return new LocatedYaml(source, null, true, Map.of(), Map.of());
  }

  LocatedYaml document(String text) {
    if (kind.reviewed() && !json && !tabsInIndentation(text)) {
      return none();
    }
    try (JsonParser p = (json ? LocatedYaml.JSON : LocatedYaml.YAML).createParser(text)) {
      parser = p;
      JsonToken t = p.nextToken();
      if (t == null) {
        return empty();
      }
      Node root = node(t, "");
      if (!json && root instanceof Scalar s && (s.isNull() || s.isString()) && s.text().isEmpty()) {
        return empty(); // a document marker and nothing else
      }
      if (p.nextToken() != null) {
        Position at = position(p.currentTokenLocation());
        problems.add(Problem.at(source, at.line(), at.column(), "", json
            ? "unexpected content after the document"
            : "a second YAML document; a " + kind.file() + " holds exactly one (remove the '---')"));
        return none();
      }
      return new LocatedYaml(source, root, false, Map.copyOf(nodes), Map.copyOf(keys));
    } catch (JsonProcessingException e) {
      problems.add(syntax(e));
      return none();
    } catch (IOException e) {
      problems.add(Problem.of(source + ": cannot read: " + e.getMessage()));
      return none();
    }
  }

  private Node node(JsonToken t, String path) throws IOException {
    Node n = build(t, path, position(parser.currentTokenLocation()));
    nodes.putIfAbsent(path, n); // under a repeated key, the first value keeps the path
    return n;
  }

  private Node build(JsonToken t, String path, Position at) throws IOException {
    if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
      String alias = "*" + parser.getText();
      problems.add(Problem.at(source, at.line(), at.column(), path,
          "YAML alias " + alias + " is not allowed in " + kind.file() + "s; write the content out"));
      // a string stand-in, so that the caller's checks do not report the same spot again
      return new Scalar(path, at, JsonToken.VALUE_STRING, alias, LocatedYaml.NODES.textNode(alias));
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          Position keyAt = position(parser.currentTokenLocation());
          String child = path.isEmpty() ? key : path + "." + key;
          Node value = node(parser.nextToken(), child);
          Entry first = entries.get(key);
          if (first != null) {
            problems.add(Problem.at(source, keyAt.line(), keyAt.column(), child,
                String.format(Locale.ROOT, kind.duplicateKey(), first.keyPosition().line())));
          } else {
            entries.put(key, new Entry(key, keyAt, value));
            keys.put(child, keyAt);
          }
        }
        return new MapNode(path, at, entries);
      }
      case START_ARRAY: {
        List<Node> items = new ArrayList<>();
        JsonToken i;
        while ((i = parser.nextToken()) != JsonToken.END_ARRAY) {
          items.add(node(i, path + "[" + items.size() + "]"));
        }
        return new SeqNode(path, at, items);
      }
      case VALUE_STRING:
        return scalar(path, at, t, LocatedYaml.NODES.textNode(parser.getText()));
      case VALUE_TRUE:
      case VALUE_FALSE:
        return scalar(path, at, t, LocatedYaml.NODES.booleanNode(t == JsonToken.VALUE_TRUE));
      case VALUE_NUMBER_INT:
        return scalar(path, at, t, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? LocatedYaml.NODES.numberNode(parser.getBigIntegerValue())
            : LocatedYaml.NODES.numberNode(parser.getLongValue()));
      case VALUE_NUMBER_FLOAT:
        return scalar(path, at, t, LocatedYaml.NODES.numberNode(parser.getDecimalValue()));
      case VALUE_NULL:
        return scalar(path, at, t, LocatedYaml.NODES.nullNode());
      default:
        // !!binary and the like: keep the text, let the caller's checks complain
        return scalar(path, at, JsonToken.VALUE_EMBEDDED_OBJECT, LocatedYaml.NODES.nullNode());
    }
  }

  private Scalar scalar(String path, Position at, JsonToken t, JsonNode value) throws IOException {
    return new Scalar(path, at, t, parser.getText(), value);
  }

  private Problem syntax(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && (kind.reviewed() || m.getProblemMark() != null)) {
      if (kind.reviewed()) {
        return reviewedSyntax(m, e.getOriginalMessage());
      }
      // SnakeYAML's own message quotes the source over several lines; keep the one-line gist
      String what = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
      Mark mark = m.getProblemMark();
      return Problem.at(source, mark.getLine() + 1, mark.getColumn() + 1, "", "invalid YAML: " + oneLine(what));
    }
    Position at = e.getLocation() == null ? Position.UNKNOWN : position(e.getLocation());
    String message = kind.reviewed()
        ? "YAML: " + e.getOriginalMessage()
        : "invalid " + (json ? "JSON" : "YAML") + ": " + oneLine(e.getOriginalMessage());
    return Problem.at(source, at.line(), at.column(), "", message);
  }

  /** {@code YAML syntax: <problem> (<context> at line L, column C)}, at the problem. */
  private Problem reviewedSyntax(MarkedYAMLException m, String fallback) {
    Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
    String message = "YAML syntax: " + (m.getProblem() == null ? fallback : m.getProblem().strip());
    Mark context = m.getContextMark();
    if (m.getContext() != null && context != null && m.getProblemMark() != null
        && (context.getLine() != mark.getLine() || context.getColumn() != mark.getColumn())) {
      message += " (" + m.getContext().strip() + " at line " + (context.getLine() + 1)
          + ", column " + (context.getColumn() + 1) + ")";
    } else if (m.getContext() != null && !m.getContext().isBlank()) {
      message += " (" + m.getContext().strip() + ")";
    }
    return Problem.at(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, "",
        message);
  }

  /** Adds one problem for tabs in the indentation (counting the lines); false when there are any. */
  private boolean tabsInIndentation(String text) {
    int line = 1;
    int column = 1;
    int firstLine = 0;
    int firstColumn = 0;
    int count = 0;
    boolean atIndent = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        column = 1;
        atIndent = true;
        continue;
      }
      if (atIndent && c == '\t') {
        if (count++ == 0) {
          firstLine = line;
          firstColumn = column;
        }
        atIndent = false; // one per line
      } else if (c != ' ') {
        atIndent = false;
      }
      column++;
    }
    if (count == 0) {
      return true;
    }
    String more = count == 1 ? "" : " (and on " + (count - 1) + " more line" + (count == 2 ? "" : "s") + ")";
    problems.add(Problem.at(source, firstLine, firstColumn, "",
        "tab character in indentation" + more + "; YAML indents with spaces"));
    return false;
  }

  private static Position position(JsonLocation l) {
    return new Position(Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
