package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import picocli.CommandLine.Option;

/** {@code --confidence LEVEL}: the level of the intervals a command prints ({@code plumb estimate}, {@code calibrate}, {@code plan}). */
final class ConfidenceOption {
  @Option(names = "--confidence", paramLabel = "LEVEL", defaultValue = "0.95", description = "Confidence level (default: ${DEFAULT-VALUE}).")
  double confidence;

  /**
   * The level given, checked.
   *
   * @throws InputException unless it lies strictly between 0 and 1
   */
  double level() {
    if (!(confidence > 0 && confidence < 1)) {
      throw new InputException("--confidence: must be between 0 and 1 (exclusive), found " + Numbers.plain(confidence));
    }
    return confidence;
  }
}
