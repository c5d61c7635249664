package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The history database a command reads ({@code plumb dashboard}, {@code monitor}, {@code history list/show}, {@code backfill}). */
final class HistoryOption {
  @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database.")
  Path file;
}
