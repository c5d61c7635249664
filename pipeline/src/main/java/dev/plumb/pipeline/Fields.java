package dev.plumb.pipeline;

import com.fasterxml.jackson.core.JsonToken;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.Entry;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.Problem;
import dev.plumb.core.Spelling;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed, located reading of one mapping of the run file. Every problem goes to the shared list and
 * the getter returns {@code null} (or the default), so one pass reports every mistake at once.
 */
final class Fields {
  /** The run file's YAML: a key written twice says where the first one is. */
  static final LocatedYaml.Kind RUN_FILE =
      LocatedYaml.Kind.of("run file").withDuplicateKey("written twice (first at line %d)");

  private final MapNode map;
  private final String source;
  private final List<Problem> problems;

  Fields(MapNode map, String source, List<Problem> problems) {
    this.map = map;
    this.source = source;
    this.problems = problems;
  }

  /** Fields for the mapping at {@code node}, or {@code null} (and a problem) when it is not one. */
  static Fields of(Node node, String source, List<Problem> problems, String expected) {
    if (node instanceof MapNode m) {
      return new Fields(m, source, problems);
    }
    problems.add(at(source, node, "expected " + expected + ", got " + node.describe()));
    return null;
  }

  MapNode map() {
    return map;
  }

  String source() {
    return source;
  }

  List<Problem> problems() {
    return problems;
  }

  /** Reports every key not in {@code allowed}, with the nearest allowed one as a hint. */
  Fields only(String... allowed) {
    List<String> names = List.of(allowed);
    for (Entry e : map.entries().values()) {
      if (!names.contains(e.key())) {
        String path = map.path().isEmpty() ? e.key() : map.path() + "." + e.key();
        problems.add(Problem.at(source, e.keyPosition().line(), e.keyPosition().column(), path,
            "unknown field" + closest(e.key(), names).map(c -> "; did you mean \"" + c + "\"?")
                .orElse("; expected one of " + String.join(", ", names))));
      }
    }
    return this;
  }

  boolean has(String key) {
    Node n = map.get(key);
    return n != null && !(n instanceof Scalar s && s.isNull());
  }

  Node node(String key) {
    return map.get(key);
  }

  void problem(String key, String message) {
    Entry e = map.entries().get(key);
    String path = map.path().isEmpty() ? key : map.path() + "." + key;
    if (e == null) {
      problems.add(Problem.at(source, map.line(), map.column(), path, message));
    } else {
      problems.add(at(source, e.value(), message));
    }
  }

  /** A problem about the mapping itself (a missing field, two fields that exclude each other). */
  void problemHere(String field, String message) {
    String path = map.path().isEmpty() ? field : field.isEmpty() ? map.path() : map.path() + "." + field;
    problems.add(Problem.at(source, map.line(), map.column(), path, message));
  }

  String string(String key, String dflt) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return dflt;
    }
    if (n instanceof Scalar s && s.token() == JsonToken.VALUE_STRING) {
      if (s.text().isBlank()) {
        problems.add(at(source, n, "must not be empty"));
        return dflt;
      }
      return s.text();
    }
    problems.add(at(source, n, "expected a string, got " + n.describe()));
    return dflt;
  }

  String required(String key) {
    if (!has(key)) {
      problemHere(key, "required");
      return null;
    }
    return string(key, null);
  }

  /** One of {@code choices} (case-insensitive, returned in lower case). */
  String choice(String key, String dflt, String... choices) {
    String s = string(key, null);
    if (s == null) {
      return dflt;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    List<String> list = List.of(choices);
    if (!list.contains(lower)) {
      problem(key, "\"" + s + "\" is not one of " + String.join(", ", list)
          + closest(lower, list).map(c -> " (did you mean \"" + c + "\"?)").orElse(""));
      return dflt;
    }
    return lower;
  }

  Long integer(String key, Long dflt, long min, long max) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return dflt;
    }
    if (n instanceof Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT) {
      BigInteger v = s.value().bigIntegerValue();
      if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
        problems.add(at(source, n, "must be " + range(min, max) + ": " + s.text()));
        return dflt;
      }
      return v.longValue();
    }
    problems.add(at(source, n, "expected a whole number, got " + n.describe()));
    return dflt;
  }

  Double number(String key, Double dflt, double min, double max) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return dflt;
    }
    if (n instanceof Scalar s
        && (s.token() == JsonToken.VALUE_NUMBER_INT || s.token() == JsonToken.VALUE_NUMBER_FLOAT)) {
      double v = new BigDecimal(s.value().asText()).doubleValue();
      if (!(v >= min && v <= max)) {
        problems.add(at(source, n, "must be between " + plain(min) + " and " + plain(max) + ": " + s.text()));
        return dflt;
      }
      return v;
    }
    problems.add(at(source, n, "expected a number, got " + n.describe()));
    return dflt;
  }

  Boolean bool(String key, Boolean dflt) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return dflt;
    }
    if (n instanceof Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
      return s.token() == JsonToken.VALUE_TRUE;
    }
    problems.add(at(source, n, "expected true or false, got " + n.describe()));
    return dflt;
  }

  /** A list of strings; a single string counts as a list of one. */
  List<String> strings(String key) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return List.of();
    }
    if (n instanceof Scalar s && s.token() == JsonToken.VALUE_STRING) {
      return List.of(s.text());
    }
    if (!(n instanceof SeqNode seq)) {
      problems.add(at(source, n, "expected a list of strings, got " + n.describe()));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.items()) {
      if (item instanceof Scalar s && s.token() == JsonToken.VALUE_STRING && !s.text().isBlank()) {
        if (out.contains(s.text())) {
          problems.add(at(source, item, "\"" + s.text() + "\" is listed twice"));
        }
        out.add(s.text());
      } else {
        problems.add(at(source, item, "expected a string, got " + item.describe()));
      }
    }
    return out;
  }

  Fields object(String key, String expected) {
    Node n = map.get(key);
    if (n == null || n instanceof Scalar s && s.isNull()) {
      return null;
    }
    return of(n, source, problems, expected);
  }

  static Problem at(String source, Node node, String message) {
    return Problem.at(source, node.line(), node.column(), node.path(), message);
  }

  private static String range(long min, long max) {
    return max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
  }

  private static String plain(double d) {
    return d == Double.MAX_VALUE ? "any" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /**
   * The candidate closest to {@code word} by edit distance (a swap of neighbours counts one) when it is a plausible typo: at most 1
   * edit up to 5 characters, 2 up to 9, 3 beyond; case is ignored.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    int n = word.length();
    return Spelling.closest(word, candidates, n <= 2 ? 0 : n <= 5 ? 1 : n <= 9 ? 2 : 3, true);
  }
}
