package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyHeapTest {

  /** A candidate with the given id, u and size. */
  private static Candidate c(String id, double u, double size) {
    return new Candidate(Frames.unit("{\"id\":\"" + id + "\"}"), u, size, "all");
  }

  private static List<String> ids(KeyHeap h) {
    return h.contents().stream().sorted(Comparator.comparingDouble((Candidate x) -> x.u).thenComparing(x -> x.id))
        .map(x -> x.id).toList();
  }

  @Test
  void keeps_the_candidates_with_the_smallest_u() {
    KeyHeap h = new KeyHeap(KeyHeap.Key.U, 2);
    for (Candidate x : List.of(c("a", 0.5, 1), c("b", 0.1, 1), c("c", 0.9, 1), c("d", 0.3, 1))) {
      h.offer(x);
    }
    assertThat(ids(h)).containsExactly("b", "d");
    assertThat(h.worst().id).isEqualTo("d");
    assertThat(h.accepts(0.3, "a")).isTrue(); // same key, smaller id
    assertThat(h.accepts(0.3, "e")).isFalse();
    assertThat(h.accepts(0.31, "a")).isFalse();
  }

  @Test
  void breaks_ties_of_the_key_by_the_ids_utf8_bytes() {
    // "\uFF21" (UTF-8 EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8 but after it in UTF-16
    String fullwidth = "\uFF21";
    String emoji = new String(Character.toChars(0x1F600));
    assertThat(fullwidth.compareTo(emoji)).isPositive();
    KeyHeap h = new KeyHeap(KeyHeap.Key.U, 1);
    h.offer(c(emoji, 0.25, 1));
    h.offer(c(fullwidth, 0.25, 1));
    assertThat(ids(h)).containsExactly(fullwidth);
    KeyHeap other = new KeyHeap(KeyHeap.Key.U, 1);
    other.offer(c(fullwidth, 0.25, 1));
    other.offer(c(emoji, 0.25, 1));
    assertThat(ids(other)).containsExactly(fullwidth); // whatever the order of arrival
  }

  @Test
  void capacity_zero_keeps_nothing() {
    KeyHeap h = new KeyHeap(KeyHeap.Key.U, 0);
    assertThat(h.accepts(1e-300, "a")).isFalse();
    h.offer(c("a", 0.1, 1));
    assertThat(h.size()).isZero();
    assertThat(h.worst()).isNull();
  }

  @Test
  void the_priority_key_keeps_the_largest_size_over_u() {
    KeyHeap h = new KeyHeap(KeyHeap.Key.NEG_PRIORITY, 2);
    h.offer(c("a", 0.5, 1)); // priority 2
    h.offer(c("b", 0.5, 10)); // 20
    h.offer(c("c", 0.1, 1)); // 10
    h.offer(c("d", 0.9, 3)); // 3.33
    assertThat(h.contents()).extracting(x -> x.id).containsExactlyInAnyOrder("b", "c");
    assertThat(h.pollWorst().id).isEqualTo("c");
    assertThat(h.size()).isEqualTo(1);
  }

  @Test
  void truncate_keeps_the_best_and_lowers_the_capacity() {
    KeyHeap h = new KeyHeap(KeyHeap.Key.U, 4);
    for (int i = 0; i < 6; i++) {
      h.offer(c("u" + i, (6 - i) / 10.0, 1));
    }
    assertThat(ids(h)).containsExactly("u5", "u4", "u3", "u2");
    h.truncate(2);
    assertThat(ids(h)).containsExactly("u5", "u4");
    h.offer(c("x", 0.25, 1)); // capacity is now 2: x (0.25) is worse than both
    assertThat(ids(h)).containsExactly("u5", "u4");
    h.truncate(5); // never grows back
    h.offer(c("y", 0.05, 1));
    assertThat(ids(h)).containsExactly("y", "u5");
  }

  @Test
  void merging_two_heaps_is_the_heap_of_the_union() {
    KeyHeap a = new KeyHeap(KeyHeap.Key.U, 3);
    KeyHeap b = new KeyHeap(KeyHeap.Key.U, 3);
    KeyHeap all = new KeyHeap(KeyHeap.Key.U, 3);
    double[] u = {0.7, 0.2, 0.2, 0.9, 0.05, 0.4, 0.2, 0.6};
    for (int i = 0; i < u.length; i++) {
      Candidate x = c("u" + i, u[i], 1);
      (i % 2 == 0 ? a : b).offer(x);
      all.offer(x);
    }
    a.mergeFrom(b);
    assertThat(ids(a)).containsExactlyElementsOf(ids(all)).containsExactly("u4", "u1", "u2");
  }
}
