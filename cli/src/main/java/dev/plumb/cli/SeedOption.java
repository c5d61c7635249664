package dev.plumb.cli;

import dev.plumb.core.Seed;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** {@code --seed N}: the seed a drawing command uses before its design or panel file's ({@code plumb sample}, {@code queue export}, {@code queue simulate}). */
final class SeedOption {
  @Option(names = "--seed", paramLabel = "N", description = "Random seed (overrides seed: in the design or panel file).")
  Long value;

  /** The seed given, else {@code file}'s, else a drawn one ({@link Seed#of}). */
  Seed or(OptionalLong file) {
    return Seed.of(value, file);
  }
}
