package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplicateIdsTest {
  @TempDir Path dir;

  private static long[] repeated(int chunk, int max, long... hashes) {
    try (DuplicateIds ids = new DuplicateIds(chunk)) {
      for (long h : hashes) {
        ids.add(h);
      }
      return ids.repeated(max);
    }
  }

  @Test
  void finds_repeated_hashes_in_memory_and_across_spilled_runs() {
    long[] h = {5, 1, 3, 9, 1, 7, 3, 3, 2, 8, -4, -4};
    assertThat(repeated(1 << 10, 100, h)).containsExactly(-4, 1, 3);
    assertThat(repeated(4, 100, h)).containsExactly(-4, 1, 3); // three sorted runs on disk + the rest
    assertThat(repeated(4, 2, h)).containsExactly(-4, 1);
    assertThat(repeated(4, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9)).isEmpty();
    assertThat(repeated(4, 100)).isEmpty();
  }

  @Test
  void spilled_and_in_memory_answers_agree_on_random_streams() {
    SplittableRandom r = new SplittableRandom(2);
    for (int trial = 0; trial < 50; trial++) {
      long[] h = r.longs(r.nextInt(0, 300), 0, 400).toArray();
      TreeSet<Long> seen = new TreeSet<>();
      TreeSet<Long> twice = new TreeSet<>();
      for (long x : h) {
        if (!seen.add(x)) {
          twice.add(x);
        }
      }
      long[] expected = twice.stream().mapToLong(Long::longValue).toArray();
      assertThat(repeated(16, 1000, h)).containsExactly(expected);
      assertThat(repeated(1 << 12, 1000, h)).containsExactly(expected);
    }
  }

  @Test
  void confirm_names_the_second_line_of_a_true_duplicate_and_ignores_collisions() {
    Path frame = Frames.write(dir, "units.jsonl", List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"a\"}"));
    assertThatThrownBy(() -> DuplicateIds.confirm(frame, 9, new long[] {UnitRandom.hash(9, "a")}))
        .isInstanceOf(InputException.class)
        .hasMessage(frame + ":3: id: duplicate unit id \"a\" (first on line 1)");
    // a repeated hash whose ids all differ (a collision) is not an error
    Path distinct = Frames.write(dir, "distinct.jsonl", List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}"));
    assertThatCode(() -> DuplicateIds.confirm(distinct, 9, new long[] {UnitRandom.hash(9, "a")}))
        .doesNotThrowAnyException();
  }
}
