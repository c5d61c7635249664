package dev.plumb.cli;

import dev.plumb.core.Numbers;
import dev.plumb.core.InputException;
import dev.plumb.history.Period;
import java.math.BigDecimal;

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
    return BigDecimal.valueOf(confidence).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  /** A day (2026-11-25) or ISO week (2026-W48) given to {@code option}. */
  static Period period(String text, String option) {
    try {
      return Period.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
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
