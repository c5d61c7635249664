package dev.plumb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.history.Period;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** How the commands print numbers and read the values several commands share: one place, not one per command. */
final class Format {
  private Format() {}

  /** Four significant digits ({@link Numbers#significant}): 0.0125, 1.235E-7. */
  static String sig(double x) {
    return Numbers.significant(x, 4);
  }

  /** A proportion as a percentage to four significant digits: 0.0125 → "1.25%". */
  static String sigPercent(double x) {
    return sig(x * 100) + "%";
  }

  /** A confidence level as a percentage: 0.95 → "95%", 0.995 → "99.5%". */
  static String level(double confidence) {
    return Numbers.level(confidence);
  }

  /** A day (2026-11-25) or ISO week (2026-W48) given to {@code option}. */
  static Period period(String text, String option) {
    return option(option, () -> Period.parse(text));
  }

  /**
   * What {@code parse} makes of an option's value; its {@link IllegalArgumentException} becomes bad
   * input (exit 2) naming the option: {@code --interval: unknown interval method "exact" ...}.
   */
  static <T> T option(String option, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
  }

  /** Prints the result as pretty JSON ({@code --json}) or as text, then flushes. */
  static void jsonOrText(PrintWriter out, boolean json, Supplier<JsonNode> asJson, Consumer<PrintWriter> asText) {
    if (json) {
      out.print(Json.pretty(asJson.get()));
    } else {
      asText.accept(out);
    }
    out.flush();
  }

  /** "3 policies", "1 policy". */
  static String plural(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** {@code s} cut to {@code max} characters with an ellipsis ("…") as the last when longer, for a table column. */
  static String ellipsis(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** The first ten hex digits of a digest (without {@code sha256:}), or "-" when there is none. */
  static String shortHash(String h) {
    if (h == null || h.isEmpty()) {
      return "-";
    }
    String bare = h.startsWith("sha256:") ? h.substring(7) : h;
    return bare.substring(0, Math.min(10, bare.length()));
  }

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** A proportion as a percentage with {@code decimals} decimals (0.01234, 3 → "1.234%"), or "-" for NaN (not estimable). */
  static String percent(double v, int decimals) {
    return Numbers.percentFixed(v, decimals, "-");
  }

  /** {@code decimals} decimals, or "-" for NaN (not estimable). */
  static String fixed(double v, int decimals) {
    return Numbers.fixed(v, decimals, "-");
  }
}
