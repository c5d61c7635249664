package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnitRandomTest {

  private static long xxh(String s, long seed) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Xxh64.hash(b, 0, b.length, seed);
  }

  /**
   * Reference values from the reference implementation (Debian python3-xxhash 3.2.0):
   * {@code /usr/bin/python3 -c "import xxhash; print(hex(xxhash.xxh64_intdigest(b'abc', 0)))"}.
   * The inputs cover the short path, the 8/4/1-byte tails and the 32-byte stripes.
   */
  @Test
  void should_match_the_xxh64_reference_implementation() {
    assertThat(xxh("", 0)).isEqualTo(0xef46db3751d8e999L);
    assertThat(xxh("abc", 0)).isEqualTo(0x44bc2cf5ad770999L);
    assertThat(xxh("u-1", 42)).isEqualTo(0x8e8ee66d2ba1530aL);
    assertThat(xxh("abcdefghijklm", 0)).isEqualTo(0x934adbc0ebc51325L);
    assertThat(xxh("0123456789abcdef0123456789abcdefXYZ", 7)).isEqualTo(0x3f5b235a482b9e16L);
    assertThat(xxh("abcdefghijklmnopqrstuvwxyz0123456789", 12345)).isEqualTo(0x1f903ac69608d409L);
    assertThat(xxh("x".repeat(64), 1)).isEqualTo(0xc658f18393255486L);
    // seed 2**64-1 is -1 as a Java long
    assertThat(xxh("ünit-é", -1)).isEqualTo(0x33e5f2746bcd36f2L);
  }

  /** python: h = xxh64_intdigest(b'u-1', 42); ((h >> 12) + 0.5) / 2**52 = 0.556867982533395 */
  @Test
  void should_map_the_hash_to_the_documented_uniform() {
    assertThat(UnitRandom.uniform(42, "u-1")).isEqualTo(0.556867982533395);
    assertThat(UnitRandom.toUniform(0)).isEqualTo(0x1.0p-53);
    assertThat(UnitRandom.toUniform(-1)).isLessThan(1.0).isEqualTo(1 - 0x1.0p-53);
  }

  @Test
  void should_give_each_unit_its_own_reproducible_stream() {
    UnitRandom.Stream a = new UnitRandom.Stream(UnitRandom.hash(1, "u-7"));
    UnitRandom.Stream b = new UnitRandom.Stream(UnitRandom.hash(1, "u-7"));
    for (int i = 0; i < 10; i++) {
      double x = a.next();
      assertThat(x).isEqualTo(b.next()).isStrictlyBetween(0.0, 1.0);
    }
  }

  @Test
  void should_produce_uniforms_with_the_right_mean_and_variance() {
    int n = 200_000;
    double sum = 0;
    double sum2 = 0;
    for (int i = 0; i < n; i++) {
      double u = UnitRandom.uniform(99, "unit-" + i);
      sum += u;
      sum2 += u * u;
    }
    double mean = sum / n;
    double var = sum2 / n - mean * mean;
    // SE of the mean sqrt(1/12/n) = 0.00065; of the variance ~ 0.0002
    assertThat(mean).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.003));
    assertThat(var).isCloseTo(1.0 / 12, org.assertj.core.data.Offset.offset(0.001));
  }
}
