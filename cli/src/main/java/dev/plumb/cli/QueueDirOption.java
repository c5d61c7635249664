package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --queue DIR}: the review queue a command reads, as {@code plumb queue export} wrote it ({@code queue import}, {@code queue simulate}). */
final class QueueDirOption {
  @Option(names = "--queue", required = true, paramLabel = "DIR", description = "The queue directory (from plumb queue export).")
  Path dir;
}
