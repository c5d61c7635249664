package dev.plumb.cli;

import dev.plumb.calibration.report.SignOffRules;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --signoff FILE}: the thresholds a calibrated report is signed off by ({@code plumb calibrate}, {@code backfill}). */
final class SignOffOption {
  @Option(names = "--signoff", paramLabel = "FILE", description = "Sign-off thresholds (YAML; default thresholds in docs/report.md).")
  Path file;

  /** The thresholds of {@code --signoff}, or the defaults without it. */
  SignOffRules rules() {
    return file == null ? SignOffRules.defaults() : SignOffRules.read(file);
  }
}
