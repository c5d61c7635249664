package dev.plumb.core;

import com.fasterxml.jackson.core.JsonToken;
import dev.plumb.core.LocatedYaml.Entry;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Position;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed, located reading of one mapping of a config file ({@link LocatedYaml}): every config reader
 * reads its fields through this class, so a problem always reads {@code file:line:col: field:
 * message} and an unknown key always gets plumb's one suggestion policy ({@link Spelling}).
 *
 * <p>Problems go to a sink chosen by the reader: {@link #collect} adds them to a list, so that one
 * pass reports every mistake of a file (a getter then returns {@code null}, or the default);
 * {@link #failFast} throws the first as an {@link InputException}. A field that is absent or YAML
 * null counts as not given. The typed getters word their problems the same way everywhere:
 * {@code missing}, {@code expected a string, got the number 3 (put it in quotes: "3")}, {@code must
 * not be empty}, {@code expected a whole number from 1 to 999999, got 0}, {@code expected true or
 * false, got the string "yes"}; a reader with a message of its own locates it with {@link #problem},
 * {@link #problemAtKey} or {@link #problemHere}.
 *
 * <pre>{@code
 * YamlFields f = YamlFields.root(doc, "a mapping of options", YamlFields.failFast());
 * f.only(List.of("type", "n"), (key, suggestion) -> "unknown option" + YamlFields.hint(suggestion));
 * String type = f.string("type", true);
 * Long n = f.integer("n", false, 1, Integer.MAX_VALUE);
 * }</pre>
 *
 * Not thread-safe; one per mapping.
 */
public final class YamlFields {
  private final MapNode map;
  private final String source;
  private final Consumer<Problem> sink;

  private YamlFields(MapNode map, String source, Consumer<Problem> sink) {
    this.map = map;
    this.source = source;
    this.sink = sink;
  }

  /** A sink that adds every problem to {@code problems}. */
  public static Consumer<Problem> collect(List<Problem> problems) {
    return problems::add;
  }

  /** A sink that throws the first problem. */
  public static Consumer<Problem> failFast() {
    return p -> {
      throw new InputException(p);
    };
  }

  /**
   * The fields of the mapping {@code node}; {@code null} after a problem ({@code expected <expected>,
   * got <what it is>}) when it is not one.
   */
  public static YamlFields of(Node node, String source, Consumer<Problem> sink, String expected) {
    if (node instanceof MapNode m) {
      return new YamlFields(m, source, sink);
    }
    sink.accept(at(source, node, "expected " + expected + ", got " + node.describe()));
    return null;
  }

  /** The fields of the document's root mapping (see {@link #of}); the document must not be empty. */
  public static YamlFields root(LocatedYaml doc, String expected, Consumer<Problem> sink) {
    return of(doc.root(), doc.source(), sink, expected);
  }

  public MapNode map() {
    return map;
  }

  /** The mapping's field path ({@code ""} for the root). */
  public String path() {
    return map.path();
  }

  public String source() {
    return source;
  }

  /** The field path of {@code key} in this mapping ({@code ""}: the mapping's own). */
  public String field(String key) {
    return key.isEmpty() ? map.path() : join(map.path(), key);
  }

  /** The value of {@code key}, or null when absent. */
  public Node node(String key) {
    return map.get(key);
  }

  /** Whether {@code key} is given (present and not YAML null). */
  public boolean has(String key) {
    Node n = map.get(key);
    return n != null && !isNull(n);
  }

  /** Keys in file order. */
  public List<String> keys() {
    return List.copyOf(map.entries().keySet());
  }

  // ---- problems ------------------------------------------------------------------------------

  /** A problem at the value of {@code key}, or at the mapping when the key is absent. */
  public void problem(String key, String message) {
    sink.accept(error(key, message).problems().get(0));
  }

  /** A problem at where {@code key} is written (an option that should not be there). */
  public void problemAtKey(String key, String message) {
    sink.accept(errorAtKey(key, message).problems().get(0));
  }

  /** A problem about the mapping itself, under {@code field} ({@code ""}: the mapping's own path). */
  public void problemHere(String field, String message) {
    sink.accept(Problem.at(source, map.line(), map.column(), field(field), message));
  }

  /** {@link #problem} as an exception to throw, for readers that stop at the first problem. */
  public InputException error(String key, String message) {
    Node n = map.get(key);
    Position p = n == null ? map.position() : n.position();
    return new InputException(Problem.at(source, p.line(), p.column(), field(key), message));
  }

  /** {@link #problemAtKey} as an exception to throw. */
  public InputException errorAtKey(String key, String message) {
    Entry e = map.entries().get(key);
    Position p = e == null ? map.position() : e.keyPosition();
    return new InputException(Problem.at(source, p.line(), p.column(), field(key), message));
  }

  /** {@link #problemAt} as an exception to throw. */
  public InputException errorAt(Node node, String message) {
    return new InputException(at(source, node, message));
  }

  /** A problem at {@code node}, under its own path. */
  public void problemAt(Node node, String message) {
    sink.accept(at(source, node, message));
  }

  /**
   * Reports, at its key, every key not in {@code allowed}: {@code message} words it from the key and
   * the suggestion among {@code allowed} ({@link Spelling#suggest}; render it with
   * {@link #hint} or {@link #aside}).
   *
   * @return whether every key is allowed
   */
  public boolean only(List<String> allowed, BiFunction<String, Optional<String>, String> message) {
    boolean ok = true;
    for (Entry e : map.entries().values()) {
      if (!allowed.contains(e.key())) {
        problemAtKey(e.key(), message.apply(e.key(), Spelling.suggest(e.key(), allowed)));
        ok = false;
      }
    }
    return ok;
  }

  /** {@code ; did you mean "x"?} for a suggestion, else the empty string. */
  public static String hint(Optional<String> suggestion) {
    return suggestion.map(s -> "; did you mean \"" + s + "\"?").orElse("");
  }

  /** {@code  (did you mean "x"?)} for a suggestion, else the empty string. */
  public static String aside(Optional<String> suggestion) {
    return suggestion.map(s -> " (did you mean \"" + s + "\"?)").orElse("");
  }

  // ---- typed values --------------------------------------------------------------------------

  /** A non-blank string, stripped of surrounding white space; null when not given or wrong. */
  public String string(String key, boolean required) {
    Node n = given(key, required);
    return n == null ? null : nonBlank(n);
  }

  /** A string kept exactly as written (data, not prose to tidy); null when absent, null or wrong. */
  public String rawString(String key) {
    Node n = map.get(key);
    if (n == null || isNull(n)) {
      return null;
    }
    Scalar s = typed(n, Scalar::isString, "a string", YamlFields::quoteHint);
    return s == null ? null : s.text();
  }

  /** A whole number in {@code [min, max]}; null when not given or wrong. */
  public Long integer(String key, boolean required, long min, long max) {
    Node n = given(key, required);
    Scalar s = n == null ? null : typed(n, x -> x.token() == JsonToken.VALUE_NUMBER_INT && x.value().canConvertToLong(),
        "a whole number", YamlFields::unquoteHint);
    if (s == null) {
      return null;
    }
    BigInteger v = s.value().bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      problemAt(n, "expected a whole number " + range(min, max) + ", got " + v);
      return null;
    }
    return v.longValue();
  }

  /**
   * A number (whole or decimal) in {@code [min, max]} ({@code max = Double.MAX_VALUE}: no upper bound,
   * worded {@code must be >= min}); null when not given or wrong.
   */
  public Double number(String key, boolean required, double min, double max) {
    Node n = given(key, required);
    Scalar s = n == null ? null : typed(n, x -> x.value().isNumber(), "a number", YamlFields::unquoteHint);
    if (s == null) {
      return null;
    }
    double v = new BigDecimal(s.value().asText()).doubleValue();
    if (!(v >= min && v <= max)) {
      problemAt(n, (max == Double.MAX_VALUE ? "must be >= " + plain(min) : "must be between " + plain(min) + " and "
          + plain(max)) + ", got " + plain(v));
      return null;
    }
    return v;
  }

  /**
   * One of {@code choices}, ignoring case, returned as written in {@code choices}; null when not
   * given or not one of them ({@code expected one of a, b, got "x"; did you mean "a"?}).
   */
  public String choice(String key, boolean required, List<String> choices) {
    String v = string(key, required);
    if (v == null) {
      return null;
    }
    for (String c : choices) {
      if (c.equalsIgnoreCase(v)) {
        return c;
      }
    }
    problem(key, "expected one of " + String.join(", ", choices) + ", got \"" + v + "\"" + Spelling.hint(v, choices));
    return null;
  }

  /**
   * A name or a non-empty list of names (non-blank strings, each stripped): a single string is a
   * list of one; null when not given or wrong.
   */
  public List<String> names(String key) {
    Node n = map.get(key);
    if (n == null || isNull(n)) {
      return null;
    }
    if (n instanceof Scalar s && s.isString()) {
      String one = string(key, true);
      return one == null ? null : List.of(one);
    }
    if (!(n instanceof SeqNode seq) || seq.items().isEmpty()) {
      problemAt(n, "expected a name or a non-empty list of names, got " + n.describe());
      return null;
    }
    return strings(key);
  }

  /** {@code true} or {@code false}; null when absent or wrong (YAML null is wrong: say which). */
  public Boolean bool(String key, boolean required) {
    Node n = map.get(key);
    if (n == null) {
      if (required) {
        problemHere(key, "missing (true or false)");
      }
      return null;
    }
    Scalar s = typed(n, x -> x.token() == JsonToken.VALUE_TRUE || x.token() == JsonToken.VALUE_FALSE, "true or false",
        YamlFields::unquoteHint);
    return s == null ? null : s.token() == JsonToken.VALUE_TRUE;
  }

  /** A list of non-blank strings, each stripped; absent or null is an empty list; null on a problem. */
  public List<String> strings(String key) {
    Node n = map.get(key);
    if (n == null || isNull(n)) {
      return List.of();
    }
    if (!(n instanceof SeqNode seq)) {
      problemAt(n, "expected a list of strings, got " + n.describe());
      return null;
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (Node item : seq.items()) {
      String v = nonBlank(item);
      if (v == null) {
        ok = false;
      } else {
        out.add(v);
      }
    }
    return ok ? out : null;
  }

  /** The fields of the mapping under {@code key}; null when not given (no problem) or not a mapping. */
  public YamlFields object(String key) {
    return object(key, "a mapping");
  }

  /** {@link #object(String)}, with what the mapping holds for the problem ({@code expected <expected>, got ...}). */
  public YamlFields object(String key, String expected) {
    Node n = map.get(key);
    return n == null || isNull(n) ? null : of(n, source, sink, expected);
  }

  /**
   * A list whose items each become a {@code T} by {@code item} (given the item and its path); items
   * it returns null for (after reporting their problems) are left out. Not given: an empty list,
   * and a problem when {@code required}.
   */
  public <T> List<T> list(String key, boolean required, BiFunction<Node, String, T> item) {
    Node n = map.get(key);
    if (n == null || isNull(n)) {
      if (required) {
        if (n == null) {
          problemHere(key, "missing");
        } else {
          problemAt(n, "expected a non-empty list, got nothing");
        }
      }
      return List.of();
    }
    if (!(n instanceof SeqNode seq)) {
      problemAt(n, "expected a list, got " + n.describe());
      return List.of();
    }
    if (required && seq.items().isEmpty()) {
      problemAt(seq, "expected a non-empty list");
    }
    List<T> out = new ArrayList<>();
    for (Node i : seq.items()) {
      T t = item.apply(i, i.path());
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * The value of {@code key}, or null when it is absent (a {@code missing} problem when
   * {@code required}) or, for an optional field, YAML null; a required field written as null is
   * returned, for the getter to report as the wrong type.
   */
  private Node given(String key, boolean required) {
    Node n = map.get(key);
    if (n == null && required) {
      problemHere(key, "missing");
    }
    return n == null || (!required && isNull(n)) ? null : n;
  }

  /** Whether {@code n} is YAML null. */
  public static boolean isNull(Node n) {
    return n instanceof Scalar s && s.isNull();
  }

  /** {@code path.key}, or {@code key} at the root. */
  public static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A problem at {@code node}, under its path. */
  public static Problem at(String source, Node node, String message) {
    return Problem.at(source, node.line(), node.column(), node.path(), message);
  }

  /**
   * {@code n} when it is a scalar {@code ok} accepts; otherwise null after the problem
   * {@code expected <expected>, got <what n is><hint>} at {@code n} — the one wording of a value of
   * the wrong kind.
   */
  private Scalar typed(Node n, Predicate<Scalar> ok, String expected, Function<Node, String> hint) {
    if (n instanceof Scalar s && ok.test(s)) {
      return s;
    }
    problemAt(n, "expected " + expected + ", got " + n.describe() + hint.apply(n));
    return null;
  }

  /** A string that is not blank, stripped; null after a problem at {@code n} otherwise. */
  private String nonBlank(Node n) {
    Scalar s = typed(n, Scalar::isString, "a string", YamlFields::quoteHint);
    if (s == null) {
      return null;
    }
    if (s.text().isBlank()) {
      problemAt(n, "must not be empty");
      return null;
    }
    return s.text().strip();
  }

  /** For a number or boolean where a string belongs. */
  private static String quoteHint(Node n) {
    if (n instanceof Scalar s && !s.isString() && !s.isNull()) {
      return " (put it in quotes: \"" + s.text() + "\")";
    }
    return "";
  }

  /** For a quoted {@code "true"} or {@code "2"} where a boolean or number belongs. */
  private static String unquoteHint(Node n) {
    if (n instanceof Scalar s && s.isString() && s.text().matches("true|false|[0-9]+")) {
      return " (remove the quotes)";
    }
    return "";
  }

  private static String range(long min, long max) {
    return max == Long.MAX_VALUE ? ">= " + min : "from " + min + " to " + max;
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
