package dev.plumb.cli;

import picocli.CommandLine.Option;

/** {@code --seed N}: the seed of a synthetic data generator, 1 unless given ({@code plumb units generate}, {@code history generate}). */
final class GeneratorSeedOption {
  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long value;
}
