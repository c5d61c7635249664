package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out FILE}: the units file (the frame) a command writes ({@code plumb units build}, {@code units from-texts}). */
final class UnitsFileOption {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The units file to write (JSON Lines).")
  Path file;
}
