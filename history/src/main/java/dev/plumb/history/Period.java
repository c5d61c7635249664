package dev.plumb.history;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a run measures: a day ({@code 2026-11-25}) or an ISO week ({@code 2026-W48}, Monday to
 * Sunday). Periods order by their first day, days before weeks starting on the same day.
 *
 * @param key the canonical text, as stored and shown
 * @param start the first day of the period
 * @param granularity day or week
 */
public record Period(String key, LocalDate start, Granularity granularity) implements Comparable<Period> {
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  /** How long a period lasts. */
  public enum Granularity {
    DAY,
    WEEK;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Period {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(granularity, "granularity");
  }

  public static Period day(LocalDate day) {
    return new Period(day.toString(), day, Granularity.DAY);
  }

  /** The ISO week containing {@code day}. */
  public static Period weekOf(LocalDate day) {
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    String key = String.format(Locale.ROOT, "%04d-W%02d",
        monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    return new Period(key, monday, Granularity.WEEK);
  }

  /**
   * Parses {@code 2026-11-25} or {@code 2026-W48}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static Period parse(String text) {
    String t = text.strip();
    Matcher m = WEEK.matcher(t);
    if (m.matches()) {
      int year = Integer.parseInt(m.group(1));
      int week = Integer.parseInt(m.group(2));
      LocalDate jan4 = LocalDate.of(year, 1, 4);
      long weeks = jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
      if (week < 1 || week > weeks) {
        throw new IllegalArgumentException("\"" + text + "\" is not a week of " + year + " (W01..W" + weeks + ")");
      }
      LocalDate monday = jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
      return new Period(t, monday, Granularity.WEEK);
    }
    try {
      return day(LocalDate.parse(t));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a period: expected a day (2026-11-25) or an ISO week (2026-W48)");
    }
  }

  /** The last day of the period. */
  public LocalDate end() {
    return granularity == Granularity.DAY ? start : start.plusDays(6);
  }

  @Override
  public int compareTo(Period o) {
    int c = start.compareTo(o.start);
    return c != 0 ? c : granularity.compareTo(o.granularity);
  }

  @Override
  public String toString() {
    return key;
  }
}
