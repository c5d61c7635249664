package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --units FILE}: the units a command sends to the model or renders ({@code plumb label}, {@code prompt render}). */
final class UnitsOption {
  @Option(names = "--units", required = true, paramLabel = "FILE", description = "The units (JSON Lines, .gz accepted).")
  Path file;
}
