package dev.plumb.calibration.sampling;

import java.nio.charset.StandardCharsets;

/**
 * The random numbers of a sample, derived from the seed and each unit's id alone, so that a sample
 * depends on neither the order of the frame nor how it is split into partitions.
 *
 * <ul>
 *   <li>{@link #hash}: {@code h = XXH64(utf8(id), seed)} (xxHash, 64-bit, little-endian).
 *   <li>{@link #uniform}: {@code u = ((h >>> 12) + 0.5) / 2^52}, uniform on the open interval (0,1)
 *       — the unit's permanent random number. SRS and stratified designs keep the smallest
 *       {@code u}; Poisson keeps {@code u < pi}; priority sampling ranks {@code size / u}.
 *   <li>{@link Stream}: further uniforms for the same unit (PPS with replacement needs several):
 *       SplitMix64 (Steele, Lea, Flood 2014) started at state {@code h}; the k-th number is
 *       {@code mix(h + k * 0x9E3779B97F4A7C15)}, mapped to (0,1) like {@code u}.
 * </ul>
 *
 * The same seed draws the same permanent random numbers in every design: samples drawn with one seed
 * from overlapping frames overlap as much as possible (coordinated samples). Use a new seed for an
 * independent sample (e.g. each day).
 */
public final class UnitRandom {
  private static final double TO_UNIT = 0x1.0p-52;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private UnitRandom() {}

  /** XXH64 of the id's UTF-8 bytes with {@code seed} as the xxHash seed. */
  public static long hash(long seed, String id) {
    byte[] b = id.getBytes(StandardCharsets.UTF_8);
    return Xxh64.hash(b, 0, b.length, seed);
  }

  /** The unit's permanent random number in (0,1). */
  public static double uniform(long seed, String id) {
    return toUniform(hash(seed, id));
  }

  /** Maps 64 random bits to (0,1): the top 52 bits, centred, so that neither 0 nor 1 can occur (all values exact in a double). */
  public static double toUniform(long bits) {
    return ((bits >>> 12) + 0.5) * TO_UNIT;
  }

  /** SplitMix64's output function. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A unit's own stream of uniforms (SplitMix64 from state {@code h}). Not thread-safe. */
  public static final class Stream {
    private long state;

    public Stream(long h) {
      this.state = h;
    }

    public double next() {
      state += GOLDEN;
      return toUniform(mix(state));
    }
  }
}
