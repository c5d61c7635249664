package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import dev.plumb.core.Problem;
import dev.plumb.core.Spelling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The size measure of the PPS designs: a small formula of a unit's {@code weight} and its risk
 * scores, e.g. {@code weight}, {@code weight * score(self_harm)} or
 * {@code weight * max(score(self_harm), score(hate))}.
 *
 * <p>Grammar: numbers, {@code weight}, {@code score(<policy>)}, {@code + - * /}, unary minus,
 * parentheses, {@code max(a, b, ...)}, {@code min(a, b, ...)}, {@code sqrt(a)}.
 *
 * <p><b>Floor.</b> Every {@code score(p)} reads as {@code max(score(p), floor)}, so a unit the model
 * scores 0 still has size {@code floor * weight} under {@code weight * score(p)}: no unit with
 * exposure has zero probability, and among units of equal weight the most-lensed one is at most
 * {@code 1/floor} times as likely to be drawn as the least — which bounds the spread of the design
 * weights. docs/sampling.md explains how to choose it.
 *
 * <p>A unit's size must be finite and >= 0, and > 0 when its weight is > 0. Immutable, thread-safe.
 */
public final class SizeMeasure implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The floor used when a design does not set one: at most 20x oversampling. */
  public static final double DEFAULT_FLOOR = 0.05;

  /** Names the grammar knows, for "did you mean". */
  private static final List<String> NAMES = List.of("weight", "score", "max", "min", "sqrt");

  private final String text;
  private final double floor;
  private final Expr expr;
  private final List<String> policies;

  private SizeMeasure(String text, double floor, Expr expr, List<String> policies) {
    this.text = text;
    this.floor = floor;
    this.expr = expr;
    this.policies = policies;
  }

  /** {@code weight}: plain PPS by exposure. */
  public static SizeMeasure weight() {
    return parse("weight", DEFAULT_FLOOR);
  }

  /**
   * Parses {@code text}.
   *
   * @param floor in (0, 1]; ignored when the formula uses no score
   * @throws IllegalArgumentException with a message naming the position of a syntax error
   */
  public static SizeMeasure parse(String text, double floor) {
    if (!(floor > 0 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be in (0, 1], found " + floor);
    }
    Parser p = new Parser(text);
    Expr e = p.parse();
    return new SizeMeasure(text.strip(), floor, e, List.copyOf(p.policies));
  }

  /** The formula as written (trimmed). */
  public String text() {
    return text;
  }

  public double floor() {
    return floor;
  }

  /** Policies whose scores the formula reads, in order of first use. */
  public List<String> policies() {
    return policies;
  }

  public boolean usesScores() {
    return !policies.isEmpty();
  }

  /**
   * The unit's size.
   *
   * @throws InputException when a score the formula needs is missing, or the size is negative,
   *     not finite, or 0 for a unit with positive weight
   */
  public double of(FrameUnit unit) {
    Map<String, Double> scores = unit.scores();
    for (String policy : policies) {
      if (!scores.containsKey(policy)) {
        throw new InputException(Problem.at(unit.source(), unit.line(), "scores." + policy,
            "missing; the design's size measure uses score(" + policy + ")"));
      }
    }
    double size = expr.eval(unit.weight(), scores, floor);
    if (!(size >= 0 && size < Double.POSITIVE_INFINITY)) {
      throw new InputException(Problem.at(unit.source(), unit.line(), "size",
          "the size measure " + text + " is " + Numbers.plain(size) + "; sizes must be finite and >= 0"));
    }
    if (size == 0 && unit.weight() > 0) {
      throw new InputException(Problem.at(unit.source(), unit.line(), "size",
          "the size measure " + text + " is 0 for a unit with weight " + Numbers.plain(unit.weight())
              + "; a unit with exposure must have a positive size (raise the floor or change the formula)"));
    }
    return size;
  }

  /**
   * Whether the floor changed the unit's size: its size with every score read as max(score, floor)
   * differs from its size with the scores as they are. A score below the floor that the formula
   * does not end up using — {@code max(score(a), score(b))} with a below the floor and b above it —
   * changes nothing and does not count (counting it made a four-policy maximum report nearly every
   * unit as raised).
   */
  public boolean floored(FrameUnit unit) {
    Map<String, Double> scores = unit.scores();
    for (String policy : policies) {
      if (!scores.containsKey(policy)) {
        return false;
      }
    }
    return Double.compare(expr.eval(unit.weight(), scores, floor), expr.eval(unit.weight(), scores, 0)) != 0;
  }

  /** Equal formulas (as written, trimmed) with equal floors measure the same size. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SizeMeasure m && m.text.equals(text) && Double.compare(m.floor, floor) == 0;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + Double.hashCode(floor);
  }

  @Override
  public String toString() {
    return usesScores() ? text + " (floor " + floor + ")" : text;
  }

  /** The formula's syntax tree. */
  private sealed interface Expr extends Serializable {
    double eval(double weight, Map<String, Double> scores, double floor);
  }

  private record Num(double value) implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      return value;
    }
  }

  private record Weight() implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      return weight;
    }
  }

  private record Score(String policy) implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      return Math.max(scores.get(policy), floor);
    }
  }

  private record Neg(Expr a) implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      return -a.eval(weight, scores, floor);
    }
  }

  private record Bin(char op, Expr a, Expr b) implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      double x = a.eval(weight, scores, floor);
      double y = b.eval(weight, scores, floor);
      return switch (op) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        default -> x / y;
      };
    }
  }

  private record Call(String fn, List<Expr> args) implements Expr {
    public double eval(double weight, Map<String, Double> scores, double floor) {
      if (fn.equals("sqrt")) {
        return Math.sqrt(args.get(0).eval(weight, scores, floor));
      }
      double r = args.get(0).eval(weight, scores, floor);
      for (int i = 1; i < args.size(); i++) {
        double v = args.get(i).eval(weight, scores, floor);
        r = fn.equals("max") ? Math.max(r, v) : Math.min(r, v);
      }
      return r;
    }
  }

  /** Recursive descent over the formula's characters; positions in messages are 1-based. */
  private static final class Parser {
    private final String s;
    private int i;
    final Set<String> policies = new LinkedHashSet<>();

    Parser(String s) {
      this.s = s;
    }

    Expr parse() {
      skip();
      if (i == s.length()) {
        throw error("empty formula");
      }
      Expr e = sum();
      skip();
      if (i < s.length()) {
        throw error("unexpected \"" + s.charAt(i) + "\" at position " + (i + 1));
      }
      return e;
    }

    private Expr sum() {
      return chain('+', '-', this::product);
    }

    private Expr product() {
      return chain('*', '/', this::unary);
    }

    /** Operands joined by {@code a} or {@code b}, left-associative: {@code x - y - z} is {@code (x - y) - z}. */
    private Expr chain(char a, char b, java.util.function.Supplier<Expr> operand) {
      Expr e = operand.get();
      while (true) {
        skip();
        if (peek(a) || peek(b)) {
          char op = s.charAt(i++);
          e = new Bin(op, e, operand.get());
        } else {
          return e;
        }
      }
    }

    private Expr unary() {
      skip();
      if (peek('-')) {
        i++;
        return new Neg(unary());
      }
      return atom();
    }

    private Expr atom() {
      skip();
      if (i == s.length()) {
        throw error("the formula ends where a value was expected");
      }
      char c = s.charAt(i);
      if (c == '(') {
        i++;
        Expr e = sum();
        expect(')');
        return e;
      }
      if (Character.isDigit(c) || c == '.') {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'
            || s.charAt(i) == 'e' || s.charAt(i) == 'E'
            || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          i++;
        }
        try {
          return new Num(Double.parseDouble(s.substring(start, i)));
        } catch (NumberFormatException e) {
          i = start;
          throw error("not a number: \"" + s.substring(start, Math.min(s.length(), start + 20)) + "\" at position " + (start + 1));
        }
      }
      if (Character.isLetter(c) || c == '_') {
        int start = i;
        String name = word();
        return switch (name) {
          case "weight" -> new Weight();
          case "score" -> {
            expect('(');
            skip();
            int at = i;
            String policy = policyName();
            if (policy.isEmpty()) {
              i = at;
              throw error("score( needs a policy id, e.g. score(self_harm), at position " + (at + 1));
            }
            expect(')');
            policies.add(policy);
            yield new Score(policy);
          }
          case "max", "min", "sqrt" -> call(name, start);
          default -> {
            i = start;
            throw error("unknown name \"" + name + "\" at position " + (start + 1) + Spelling.hint(name, NAMES)
                + (Spelling.suggest(name, NAMES).isEmpty() ? " (known: weight, score(policy), max, min, sqrt)" : ""));
          }
        };
      }
      throw error("unexpected \"" + c + "\" at position " + (i + 1));
    }

    private Expr call(String fn, int start) {
      expect('(');
      List<Expr> args = new ArrayList<>();
      args.add(sum());
      skip();
      while (peek(',')) {
        i++;
        args.add(sum());
        skip();
      }
      expect(')');
      if (fn.equals("sqrt") && args.size() != 1) {
        throw error("sqrt takes 1 argument, found " + args.size() + " (at position " + (start + 1) + ")");
      }
      if (!fn.equals("sqrt") && args.size() < 2) {
        throw error(fn + " takes 2 or more arguments, found 1 (at position " + (start + 1) + ")");
      }
      return new Call(fn, List.copyOf(args));
    }

    private String word() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(start, i);
    }

    private String policyName() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_-.@".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      return s.substring(start, i);
    }

    private void expect(char c) {
      skip();
      if (!peek(c)) {
        throw error("expected \"" + c + "\" at position " + (i + 1)
            + (i < s.length() ? ", found \"" + s.charAt(i) + "\"" : ", found the end"));
      }
      i++;
    }

    private boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message);
    }
  }
}
