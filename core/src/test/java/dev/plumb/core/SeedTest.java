package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SeedTest {
  @Test
  void should_prefer_the_given_seed_then_the_files_and_draw_one_only_without_either() {
    assertThat(Seed.of(7L, OptionalLong.of(3))).isEqualTo(new Seed(7, false));
    assertThat(Seed.of(null, OptionalLong.of(3))).isEqualTo(new Seed(3, false));
    assertThat(Seed.of(7L, OptionalLong.of(3)).note()).isEmpty();
    Seed drawn = Seed.of(null, OptionalLong.empty());
    assertThat(drawn.drawn()).isTrue();
    assertThat(drawn.note()).isEqualTo(" (drawn; pass --seed to repeat)");
    // two draws differ (a fixed seed would repeat every "random" review)
    assertThat(Seed.of(null, OptionalLong.empty()).value()).isNotEqualTo(drawn.value());
  }
}
