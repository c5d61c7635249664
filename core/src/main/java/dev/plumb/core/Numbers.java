package dev.plumb.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How plumb prints numbers in text, tables, reports and files: one place for every module, always
 * in {@link Locale#ROOT} (a decimal point, never a comma). Where a method prints NaN as "–" (an en
 * dash) it says so.
 */
public final class Numbers {
  private Numbers() {}

  /**
   * A whole number (|x| &lt; 10^15) without a decimal point, anything else as {@link
   * Double#toString(double)}: 3 → "3", 0.25 → "0.25", 1e-7 → "1.0E-7".
   */
  public static String plain(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  /**
   * Shortest round-trip digits in plain notation, no trailing zeros: 37 → "37", 0.5 → "0.5", 1e-4 →
   * "0.0001".
   *
   * @throws NumberFormatException for NaN and infinities
   */
  public static String shortest(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
  }

  /**
   * {@code digits} significant digits, no trailing zeros, plain notation between 10^-6 and 10^12
   * (scientific outside): significant(1234.5678, 4) → "1235", significant(0.000123456, 4) →
   * "0.0001235". 0 → "0"; NaN and infinities as {@link Double#toString(double)}.
   */
  public static String significant(double x, int digits) {
    if (x == 0 || !Double.isFinite(x)) {
      return x == 0 ? "0" : Double.toString(x);
    }
    BigDecimal d = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros();
    double a = Math.abs(x);
    return a >= 1e-6 && a < 1e12 ? d.toPlainString() : d.toString();
  }

  /**
   * {@code decimals} decimals: fixed(0.12345, 3) → "0.123"; a value that rounds to zero has no sign
   * (fixed(-0.00002, 3) → "0.000"); NaN → "–", ±∞ → "∞" / "−∞".
   */
  public static String fixed(double x, int decimals) {
    return fixed(x, decimals, "–");
  }

  /**
   * As {@link #fixed(double, int)} with NaN printed as {@code nan} (the cli's plain-text tables print
   * "-", an ASCII hyphen).
   */
  public static String fixed(double x, int decimals, String nan) {
    if (Double.isNaN(x)) {
      return nan;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "∞" : "−∞";
    }
    String s = String.format(Locale.ROOT, "%." + decimals + "f", x);
    // a small negative value (a kappa of -0.00002) rounds to zero: print "0.000", not "-0.000"
    return s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9') ? s.substring(1) : s;
  }

  /**
   * A proportion as a percentage with enough decimals to show {@code digits} significant digits (at
   * least 1 decimal, at most 4): percent(0.0123, 3) → "1.23%", percent(0.25, 3) → "25.0%"; NaN → "–".
   */
  public static String percent(double p, int digits) {
    if (Double.isNaN(p)) {
      return "–";
    }
    double v = Math.abs(p * 100);
    int decimals = 1;
    if (v > 0) {
      decimals = Math.max(1, Math.min(4, digits - 1 - (int) Math.floor(Math.log10(v))));
    }
    return percentFixed(p, decimals);
  }

  /** A proportion as a percentage with {@code decimals} decimals: percentFixed(0.0123, 3) → "1.230%"; NaN → "–". */
  public static String percentFixed(double p, int decimals) {
    return percentFixed(p, decimals, "–");
  }

  /** As {@link #percentFixed(double, int)} with NaN printed as {@code nan} (the cli's tables: "-"). */
  public static String percentFixed(double p, int decimals, String nan) {
    return Double.isNaN(p) ? nan : String.format(Locale.ROOT, "%." + decimals + "f%%", p * 100);
  }

  /**
   * A confidence level as a percentage for a heading, to at most two decimals: 0.95 → "95%", 0.995 →
   * "99.5%", 0.99444… (a sequential round's 1 − α_k) → "99.44%"; more decimals only where two would
   * round it to 100%.
   */
  public static String level(double confidence) {
    BigDecimal pct = BigDecimal.valueOf(confidence).movePointRight(2);
    int scale = 2;
    BigDecimal shown = pct.setScale(scale, java.math.RoundingMode.HALF_UP);
    while (confidence < 1 && shown.compareTo(BigDecimal.valueOf(100)) >= 0 && scale < 12) {
      shown = pct.setScale(++scale, java.math.RoundingMode.DOWN);
    }
    return shown.stripTrailingZeros().toPlainString() + "%";
  }

  /** A count with thousands separators ("12,345"); a value that is not whole keeps one decimal ("1,234.5"); NaN → "–". */
  public static String count(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
    }
    return String.format(Locale.ROOT, "%,.1f", v);
  }
}
