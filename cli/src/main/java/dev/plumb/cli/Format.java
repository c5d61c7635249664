package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.history.Period;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the commands print numbers and read the values several commands share: one place, not one per command. */
final class Format {
  private Format() {}

  /** Four significant digits, plain notation between 1e-6 and 1e12: 0.0125, 1.235e-7. */
  static String sig(double x) {
    if (x == 0 || !Double.isFinite(x)) {
      return x == 0 ? "0" : Double.toString(x);
    }
    BigDecimal d = new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros();
    double a = Math.abs(x);
    return a >= 1e-6 && a < 1e12 ? d.toPlainString() : d.toString();
  }

  /** A confidence level as a percentage: 0.95 → "95%", 0.995 → "99.5%". */
  static String level(double confidence) {
    return BigDecimal.valueOf(confidence).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  /** A proportion as a percentage with {@code decimals} decimals: 0.01234, 3 → "1.234%". */
  static String percent(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f%%", v * 100);
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

  /** As {@link #percent}, or "-" for NaN (not estimable). */
  static String percentOrDash(double v, int decimals) {
    return Double.isNaN(v) ? "-" : percent(v, decimals);
  }
}
