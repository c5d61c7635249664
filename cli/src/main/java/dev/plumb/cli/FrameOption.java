package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --frame FILE}: the units a command reads whole ({@code plumb sample} draws from them, {@code score} scores them). */
final class FrameOption {
  @Option(names = "--frame", required = true, paramLabel = "FILE", description = "The frame: units, JSON Lines (.gz accepted).")
  Path file;
}
