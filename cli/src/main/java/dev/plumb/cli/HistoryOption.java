package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The history database a command reads ({@code plumb dashboard}, {@code monitor}, {@code history list/show}). */
final class HistoryOption {
  @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database.")
  Path file;

  /** The history database a command records into, created when missing ({@code plumb history record/generate}, {@code backfill}). */
  static final class Recorded {
    @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database (created when missing).")
    Path file;
  }
}
