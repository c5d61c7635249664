package dev.plumb.cli;

import dev.plumb.history.Period;
import picocli.CommandLine.Option;

/** {@code --period DAY|WEEK}: which recorded run of a series a command reads, the latest without it ({@code plumb history show}, {@code monitor}). */
final class PeriodOption {
  @Option(names = "--period", paramLabel = "DAY|WEEK", description = "The period (default: the latest).")
  String text;

  /** The period given, or null for the latest; bad input naming {@code --period} when it is neither a day nor a week. */
  Period parsed() {
    return parse(text);
  }

  /**
   * {@code --period DAY|WEEK}: the period a report is recorded as in a history ({@code plumb history
   * record}, {@code calibrate --history}); without it, {@code ReportIngest} infers it.
   */
  static final class Measured {
    @Option(names = "--period", paramLabel = "DAY|WEEK",
        description = "The period the run is recorded as in --history: 2026-11-25 or 2026-W48 (default: the report's"
            + " single --by day value, else the UTC day it was made).")
    String text;

    /** The period given, or null to infer it; bad input naming {@code --period} when it is neither a day nor a week. */
    Period parsed() {
      return parse(text);
    }
  }

  private static Period parse(String text) {
    return text == null ? null : Format.period(text, "--period");
  }
}
