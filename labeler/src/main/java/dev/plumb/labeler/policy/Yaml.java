package dev.plumb.labeler.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a tree that remembers where every key and value is, so that problems
 * found later (a wrong type, an unknown id) can name their exact line and column.
 *
 * <p>Stricter than YAML itself, because policy files are reviewed by people: a duplicate key is an
 * error (YAML parsers silently keep the last one), and so are a byte order mark, tabs in the
 * indentation, invalid UTF-8, aliases, and more than one document in a file.
 */
final class Yaml {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Yaml() {}

  /** A 1-based position in the file. */
  record Loc(int line, int column) {}

  /** A located node: a scalar, a mapping or a sequence. */
  sealed interface Node permits Scalar, MapNode, SeqNode {
    Loc loc();

    /** How the node is described in "expected X, got Y" messages. */
    String describe();

    /** The node as plain JSON, without locations (for hashing and schema checks). */
    JsonNode json();
  }

  /**
   * A scalar as YAML resolved it.
   *
   * @param token the JSON token YAML resolution gave it ({@code VALUE_STRING}, {@code VALUE_TRUE}...)
   * @param text the scalar exactly as written
   * @param value the resolved value: a String, Boolean, Long/BigInteger, BigDecimal, or null
   */
  record Scalar(JsonToken token, String text, Object value, Loc loc) implements Node {
    boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }

    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    @Override
    public String describe() {
      return switch (token) {
        case VALUE_STRING -> text.length() <= 40 && !text.contains("\n") ? "the string \"" + text + "\"" : "a string";
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
        case VALUE_NULL -> "nothing (null)";
        default -> "a tagged value (" + text + ")";
      };
    }

    @Override
    public JsonNode json() {
      return switch (token) {
        case VALUE_STRING -> NODES.textNode((String) value);
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NUMBER_INT -> value instanceof Long l
            ? NODES.numberNode(l)
            : NODES.numberNode((java.math.BigInteger) value);
        case VALUE_NUMBER_FLOAT -> NODES.numberNode((java.math.BigDecimal) value);
        default -> NODES.nullNode();
      };
    }
  }

  /** A key and its value; {@code keyLoc} is where the key is written. */
  record Entry(String key, Loc keyLoc, Node value) {}

  /** A mapping in file order. */
  record MapNode(Map<String, Entry> entries, Loc loc) implements Node {
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

  /** A sequence in file order. */
  record SeqNode(List<Node> items, Loc loc) implements Node {
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
   * Parses one file's bytes. Every problem goes to {@code problems}; the result is {@code null}
   * when the file holds no usable document.
   */
  static Node parse(byte[] bytes, String source, List<Problem> problems) {
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      problems.add(Problem.at(source, 1, 1, "", "file starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM"));
      start = 3;
    }
    String text = decode(bytes, start, source, problems);
    if (text == null) {
      return null;
    }
    if (!tabsInIndentation(text, source, problems)) {
      return null;
    }
    return new Reader(text, source, problems).document();
  }

  /** Strict UTF-8; on a bad byte reports its line and column and returns null. */
  private static String decode(byte[] bytes, int start, String source, List<Problem> problems) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
    } catch (CharacterCodingException e) {
      // find the first bad byte by decoding prefixes line by line
      CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
      CharBuffer out = CharBuffer.allocate(bytes.length + 1);
      d.decode(in, out, true);
      int bad = in.position();
      out.flip();
      String good = out.toString();
      int line = 1;
      int column = 1;
      for (int i = 0; i < good.length(); i++) {
        if (good.charAt(i) == '\n') {
          line++;
          column = 1;
        } else if (!Character.isLowSurrogate(good.charAt(i))) {
          column++;
        }
      }
      problems.add(
          Problem.at(source, line, column, "",
              String.format("invalid UTF-8 (byte 0x%02x); save the file as UTF-8", bytes[bad] & 0xff)));
      return null;
    }
  }

  /** Reports tab characters in indentation (one problem per file); false when there are any. */
  private static boolean tabsInIndentation(String text, String source, List<Problem> problems) {
    int line = 1;
    int firstLine = 0;
    int firstColumn = 0;
    int count = 0;
    boolean atIndent = true;
    int column = 1;
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
        atIndent = false; // one report per line
      } else if (c != ' ') {
        atIndent = false;
      }
      column++;
    }
    if (count == 0) {
      return true;
    }
    String more = count == 1 ? "" : " (and on " + (count - 1) + " more line" + (count == 2 ? "" : "s") + ")";
    problems.add(
        Problem.at(source, firstLine, firstColumn, "", "tab character in indentation" + more + "; YAML indents with spaces"));
    return false;
  }

  /**
   * Reads a token stream into located nodes. Syntax errors arrive as Jackson's wrapper of
   * SnakeYAML's MarkedYAMLException, deprecated but the only way to the problem and its mark
   * without depending on SnakeYAML directly; Jackson 3 needs a rewrite of this class anyway.
   */
  @SuppressWarnings("deprecation")
  private static final class Reader {
    private final String text;
    private final String source;
    private final List<Problem> problems;
    private YAMLParser parser;

    Reader(String text, String source, List<Problem> problems) {
      this.text = text;
      this.source = source;
      this.problems = problems;
    }

    Node document() {
      try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
        parser = p;
        JsonToken t = p.nextToken();
        if (t == null) {
          problems.add(Problem.at(source, 0, 0, "", "empty file; expected a policy (policy, version, title, ...)"));
          return null;
        }
        Node root = node(t, "");
        if (root instanceof Scalar s && (s.isNull() || s.isString()) && s.text().isEmpty()) {
          // a document marker and nothing else
          problems.add(Problem.at(source, 0, 0, "", "empty file; expected a policy (policy, version, title, ...)"));
          return null;
        }
        JsonToken next = p.nextToken();
        if (next != null) {
          Loc at = loc(p.currentTokenLocation());
          problems.add(
              Problem.at(source, at.line(), at.column(), "",
                  "a second YAML document; a policy file holds exactly one (remove the '---')"));
          return null;
        }
        return root;
      } catch (MarkedYAMLException e) {
        syntax(e);
        return null;
      } catch (JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        problems.add(
            Problem.at(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "",
                "YAML: " + e.getOriginalMessage()));
        return null;
      } catch (IOException e) {
        problems.add(Problem.at(source, 0, 0, "", "cannot read: " + e.getMessage()));
        return null;
      }
    }

    private void syntax(MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() == null ? e.getOriginalMessage() : e.getProblem().strip();
      String message = "YAML syntax: " + problem;
      Mark context = e.getContextMark();
      if (e.getContext() != null && context != null && e.getProblemMark() != null
          && (context.getLine() != mark.getLine() || context.getColumn() != mark.getColumn())) {
        message += " (" + e.getContext().strip() + " at line " + (context.getLine() + 1)
            + ", column " + (context.getColumn() + 1) + ")";
      } else if (e.getContext() != null && !e.getContext().isBlank()) {
        message += " (" + e.getContext().strip() + ")";
      }
      problems.add(
          Problem.at(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, "", message));
    }

    private Node node(JsonToken t, String path) throws IOException {
      Loc at = loc(parser.currentTokenLocation());
      if (parser.isCurrentAlias()) {
        problems.add(
            Problem.at(source, at.line(), at.column(), path,
                "YAML alias *" + parser.getText() + " is not allowed in policy files; write the content out"));
        // a string stand-in, so that the field checks do not report the same spot again
        return new Scalar(JsonToken.VALUE_STRING, "*" + parser.getText(), "*" + parser.getText(), at);
      }
      switch (t) {
        case START_OBJECT: {
          Map<String, Entry> entries = new LinkedHashMap<>();
          JsonToken k;
          while ((k = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Loc keyLoc = loc(parser.currentTokenLocation());
            String childPath = path.isEmpty() ? key : path + "." + key;
            Node value = node(parser.nextToken(), childPath);
            Entry first = entries.get(key);
            if (first != null) {
              problems.add(
                  Problem.at(source, keyLoc.line(), keyLoc.column(), childPath,
                      "duplicate key (first at line " + first.keyLoc().line() + "); YAML would silently keep only the last one"));
            } else {
              entries.put(key, new Entry(key, keyLoc, value));
            }
          }
          return new MapNode(entries, at);
        }
        case START_ARRAY: {
          List<Node> items = new ArrayList<>();
          JsonToken i;
          while ((i = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(i, path + "[" + items.size() + "]"));
          }
          return new SeqNode(items, at);
        }
        case VALUE_STRING:
          return new Scalar(t, parser.getText(), parser.getText(), at);
        case VALUE_TRUE:
        case VALUE_FALSE:
          return new Scalar(t, parser.getText(), t == JsonToken.VALUE_TRUE, at);
        case VALUE_NUMBER_INT: {
          Object v = parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? parser.getBigIntegerValue()
              : (Object) parser.getLongValue();
          return new Scalar(t, parser.getText(), v, at);
        }
        case VALUE_NUMBER_FLOAT:
          return new Scalar(t, parser.getText(), parser.getDecimalValue(), at);
        case VALUE_NULL:
          return new Scalar(t, parser.getText(), null, at);
        default:
          // embedded binary (!!binary) and the like: keep the text, let the field checks complain
          return new Scalar(JsonToken.VALUE_EMBEDDED_OBJECT, parser.getText(), parser.getText(), at);
      }
    }

    private static Loc loc(JsonLocation l) {
      return new Loc(l.getLineNr(), l.getColumnNr());
    }
  }
}
