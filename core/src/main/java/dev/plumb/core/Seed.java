package dev.plumb.core;

import java.security.SecureRandom;
import java.util.OptionalLong;

/**
 * The random seed a drawing step uses ({@code plumb sample}, {@code queue export}, {@code queue
 * simulate}, their {@code plumb run} stages and the Spark sampler): the one given on the command
 * line (or in the run file), else the one in the design or panel file, else a fresh one from
 * {@link SecureRandom} — which is then {@link #drawn()} and printed so the draw can be repeated.
 *
 * @param value the seed
 * @param drawn whether neither the command nor the file gave one
 */
public record Seed(long value, boolean drawn) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * {@code given} when not null, else {@code file}'s seed when present, else a drawn one.
   *
   * @param given the seed of the command line or run file, or null
   * @param file the seed of the design or panel file
   */
  public static Seed of(Long given, OptionalLong file) {
    if (given != null) {
      return new Seed(given, false);
    }
    return file.isPresent() ? new Seed(file.getAsLong(), false) : new Seed(RANDOM.nextLong(), true);
  }

  /** {@code " (drawn; pass --seed to repeat)"} for a drawn seed, else empty: what follows the seed where it is printed. */
  public String note() {
    return drawn ? " (drawn; pass --seed to repeat)" : "";
  }
}
