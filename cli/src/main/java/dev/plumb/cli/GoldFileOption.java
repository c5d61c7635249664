package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out FILE}: the gold file a command writes, for plumb calibrate ({@code plumb queue import}, {@code queue merge-rounds}). */
final class GoldFileOption {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The gold file to write (gold.jsonl).")
  Path file;
}
