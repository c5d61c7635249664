package dev.plumb.cli;

import dev.plumb.history.Period;
import picocli.CommandLine.Option;

/** {@code --period DAY|WEEK}: which recorded run of a series a command reads, the latest without it ({@code plumb history show}, {@code monitor}). */
final class PeriodOption {
  @Option(names = "--period", paramLabel = "DAY|WEEK", description = "The period (default: the latest).")
  String text;

  /** The period given, or null for the latest; bad input naming {@code --period} when it is neither a day nor a week. */
  Period parsed() {
    return text == null ? null : Format.period(text, "--period");
  }
}
