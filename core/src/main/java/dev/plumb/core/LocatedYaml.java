package dev.plumb.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A YAML (or JSON) document read into a tree that remembers where every key and value starts, so
 * that a problem found while interpreting it reads {@code file:line:col: field: message}, e.g.
 * {@code design.yaml:3:1: n: written twice}.
 *
 * <p>Every node has a field path as problems print it: {@code ""} for the root, {@code tables.pins.path},
 * {@code decisions[1].id}. Two views of the same document: located {@link Node}s for readers that
 * walk the document and report as they go, and a plain Jackson {@link #tree()} with lookups by path
 * ({@link #problem}, {@link #problemAtKey}) for readers that interpret the tree and locate afterwards.
 *
 * <p>Stricter than YAML, because a silently misread config is worse than an error: a key written
 * twice (YAML keeps the last one), an alias ({@code *name}: Jackson reads it as the string
 * "name"), a second document and invalid UTF-8 are problems, each with its position. A {@link Kind}
 * names the kind of file in these messages and may add the checks for files people review (a byte
 * order mark, tabs in the indentation).
 *
 * <p>Numbers keep what was written: whole numbers are longs (big integers beyond), decimals are
 * exact {@link java.math.BigDecimal}s ({@code .inf} and {@code .nan}, which have none, are syntax
 * errors, as Jackson reports them). A scalar of any other
 * tag (e.g. {@code !!binary}) keeps its text with the token {@link JsonToken#VALUE_EMBEDDED_OBJECT}
 * and is null in the JSON view. Instances are immutable and thread-safe.
 */
public final class LocatedYaml {
  static final YAMLFactory YAML = YAMLFactory.builder().build();
  static final JsonFactory JSON = JsonFactory.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** A 1-based line and column; {@link #UNKNOWN} (0, 0) when there is none. */
  public record Position(int line, int column) implements Serializable {
    public static final Position UNKNOWN = new Position(0, 0);

    public Position {
      if (line < 0 || column < 0) {
        throw new IllegalArgumentException("line and column must be >= 0: " + line + ":" + column);
      }
    }
  }

  /** A located node: a scalar, a mapping or a sequence. */
  public sealed interface Node permits Scalar, MapNode, SeqNode {
    /** The field path: {@code ""} for the root, {@code a.b[2].c} below it. */
    String path();

    /** Where the node starts. */
    Position position();

    /** How the node reads in "expected X, got Y" messages: "a mapping", "the number 3"... */
    String describe();

    /** The node as plain JSON, without positions (a new tree on every call). */
    JsonNode json();

    default int line() {
      return position().line();
    }

    default int column() {
      return position().column();
    }
  }

  /**
   * A scalar as YAML resolved it.
   *
   * @param token {@code VALUE_STRING}, {@code VALUE_TRUE}/{@code FALSE}, {@code VALUE_NUMBER_INT}/{@code FLOAT},
   *     {@code VALUE_NULL}, or {@code VALUE_EMBEDDED_OBJECT} for any other tag
   * @param text the scalar as written (for a number or boolean) or its string value
   * @param value the resolved value as JSON
   */
  public record Scalar(String path, Position position, JsonToken token, String text, JsonNode value)
      implements Node {
    public boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }

    public boolean isNull() {
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
      return value.deepCopy();
    }
  }

  /** A mapping's key, where the key is written, and its value. */
  public record Entry(String key, Position keyPosition, Node value) {}

  /** A mapping in file order; a repeated key keeps its first value. */
  public record MapNode(String path, Position position, Map<String, Entry> entries) implements Node {
    public MapNode {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The value of {@code key}, or null when the mapping has no such key. */
    public Node get(String key) {
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
  public record SeqNode(String path, Position position, List<Node> items) implements Node {
    public SeqNode {
      items = List.copyOf(items);
    }

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
   * What kind of file is read, for the wording of its YAML-level problems.
   *
   * @param file what one such file is called: "run file" gives "YAML alias *x is not allowed in run
   *     files; write the content out" and "a second YAML document; a run file holds exactly one
   *     (remove the '---')"
   * @param duplicateKey the message for a key written twice; {@code %d}, when present, stands for
   *     the line of the first
   * @param reviewed for files people review line by line (and hash): a byte order mark and tabs in
   *     the indentation are problems too, and a syntax error reads {@code YAML syntax: <problem>
   *     (<context> at line L, column C)} instead of {@code invalid YAML: <context>: <problem>}
   */
  public record Kind(String file, String duplicateKey, boolean reviewed) {
    public Kind {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(duplicateKey, "duplicateKey");
    }

    /** A config file: a repeated key is "written twice". */
    public static Kind of(String file) {
      return new Kind(file, "written twice", false);
    }

    /** A file people review: see {@link Kind#reviewed()}. */
    public static Kind reviewed(String file) {
      return new Kind(file, "written twice (first at line %d)", true);
    }

    /** The same kind with another message for a repeated key ({@code %d}: the first one's line). */
    public Kind withDuplicateKey(String message) {
      return new Kind(file, message, reviewed);
    }
  }

  private final String source;
  private final Node root;
  private final boolean empty;
  private final Map<String, Node> nodes;
  private final Map<String, Position> keys;

  LocatedYaml(String source, Node root, boolean empty, Map<String, Node> nodes, Map<String, Position> keys) {
    this.source = source;
    this.root = root;
    this.empty = empty;
    this.nodes = nodes;
    this.keys = keys;
  }

  /**
   * Reads a file, strictly as UTF-8.
   *
   * @throws InputException {@code FILE: file not found}, {@code FILE: cannot read: ...}, or every
   *     problem of the document (see {@link #parse(byte[], String, Kind, List)})
   */
  public static LocatedYaml read(Path file, Kind kind) {
    List<Problem> problems = new ArrayList<>();
    return orThrow(parse(bytes(file), file.toString(), kind, problems), problems);
  }

  /**
   * Parses a document given as text.
   *
   * @throws InputException with every problem of the document, in file order
   */
  public static LocatedYaml parse(String text, String source, Kind kind) {
    List<Problem> problems = new ArrayList<>();
    String body = text;
    if (body.startsWith("\uFEFF")) {
      byteOrderMark(source, kind, problems);
      body = body.substring(1);
    }
    return orThrow(new LocatedReader(source, kind, problems, false).document(body), problems);
  }

  /**
   * Parses a document's bytes, adding every problem to {@code problems} instead of throwing, for
   * readers that report all problems of many files at once. A key written twice and an alias are
   * reported and the rest is still read (a repeated key keeps its first value, an alias becomes the
   * string {@code *name}); after any other problem {@link #root()} is null.
   */
  public static LocatedYaml parse(byte[] bytes, String source, Kind kind, List<Problem> problems) {
    int start = byteOrderMark(bytes);
    if (start > 0) {
      byteOrderMark(source, kind, problems);
    }
    LocatedReader reader = new LocatedReader(source, kind, problems, false);
    String text = decode(bytes, start, source, problems);
    return text == null ? reader.none() : reader.document(text);
  }

  /**
   * Reads a JSON file the same way (JSON's parser and messages: {@code invalid JSON: ...}); for
   * JSON documents too large to go through the YAML parser.
   */
  public static LocatedYaml readJson(Path file) {
    String source = file.toString();
    List<Problem> problems = new ArrayList<>();
    byte[] bytes = bytes(file);
    String text = decode(bytes, byteOrderMark(bytes), source, problems);
    LocatedReader reader = new LocatedReader(source, Kind.of("JSON file"), problems, true);
    return orThrow(text == null ? reader.none() : reader.document(text), problems);
  }

  /** The file as the user named it. */
  public String source() {
    return source;
  }

  /**
   * The root node; null when the document {@link #isEmpty() is empty} or, after
   * {@link #parse(byte[], String, Kind, List)}, could not be read.
   */
  public Node root() {
    return root;
  }

  /** Whether the file was read and holds no document: nothing, comments, or a bare {@code ---}. */
  public boolean isEmpty() {
    return empty;
  }

  /** The document as plain JSON, a new tree on each call; a {@link MissingNode} when it is empty. */
  public JsonNode tree() {
    return root == null ? MissingNode.getInstance() : root.json();
  }

  /** The node at {@code path}, or null when there is none. */
  public Node node(String path) {
    return nodes.get(path);
  }

  /**
   * Where the value at {@code path} starts; for a path that is not in the document, where its
   * nearest enclosing field starts (the root is used only for {@code ""} itself); else
   * {@link Position#UNKNOWN}.
   */
  public Position position(String path) {
    for (String p = path; ; ) {
      Node n = nodes.get(p);
      if (n != null) {
        return n.position();
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return Position.UNKNOWN;
      }
      p = p.substring(0, cut);
    }
  }

  /** Where the key of {@code path} is written; for a list item or a missing key, {@link #position}. */
  public Position keyPosition(String path) {
    Position k = keys.get(path);
    return k != null ? k : position(path);
  }

  /** Every value's position by path (the root's under {@code ""}). */
  public Map<String, Position> positions() {
    Map<String, Position> out = new HashMap<>();
    nodes.forEach((path, node) -> out.put(path, node.position()));
    return out;
  }

  /** A problem located at the value of {@code path} (see {@link #position}). */
  public Problem problem(String path, String message) {
    return at(position(path), path, message);
  }

  /** A problem located at the key of {@code path}: for an option that should not be there. */
  public Problem problemAtKey(String path, String message) {
    return at(keyPosition(path), path, message);
  }

  /** {@link #problem} as an exception to throw. */
  public InputException error(String path, String message) {
    return new InputException(problem(path, message));
  }

  /** {@link #problemAtKey} as an exception to throw. */
  public InputException errorAtKey(String path, String message) {
    return new InputException(problemAtKey(path, message));
  }

  private Problem at(Position p, String path, String message) {
    return Problem.at(source, p.line(), p.column(), path, message);
  }

  private static LocatedYaml orThrow(LocatedYaml doc, List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return doc;
  }

  /** The length of the UTF-8 byte order mark that {@code bytes} start with: 3 or 0. */
  private static int byteOrderMark(byte[] bytes) {
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
    return bom ? 3 : 0;
  }

  /** A BOM is skipped; in a reviewed file it is a problem too (it changes the file's hash). */
  private static void byteOrderMark(String source, Kind kind, List<Problem> problems) {
    if (kind.reviewed()) {
      problems.add(Problem.at(source, 1, 1, "", "file starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM"));
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(file + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": cannot read: " + e.getMessage()), e);
    }
  }

  /** Strict UTF-8; on a bad byte adds its line and column and returns null. */
  private static String decode(byte[] bytes, int start, String source, List<Problem> problems) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
    } catch (CharacterCodingException e) {
      // decode up to the first bad byte, then count lines and code points
      CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
      CharBuffer out = CharBuffer.allocate(bytes.length + 1);
      d.decode(in, out, true);
      int bad = in.position();
      out.flip();
      int line = 1;
      int column = 1;
      for (int i = 0; i < out.length(); i++) {
        char c = out.charAt(i);
        if (c == '\n') {
          line++;
          column = 1;
        } else if (!Character.isLowSurrogate(c)) {
          column++;
        }
      }
      problems.add(Problem.at(source, line, column, "",
          String.format(Locale.ROOT, "invalid UTF-8 (byte 0x%02x); save the file as UTF-8", bytes[bad] & 0xff)));
      return null;
    }
  }
}
