package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreTest {
  @TempDir Path dir;

  private static float[] vector(float seed) {
    float[] v = new float[MiniLm.DIMENSION];
    for (int k = 0; k < v.length; k++) {
      v[k] = seed + k / 1000f;
    }
    return v;
  }

  @Test
  void vectors_survive_reopening_and_duplicates_are_stored_once() {
    TextKey a = TextKey.of("a");
    TextKey b = TextKey.of("b");
    try (EmbeddingStore store = EmbeddingStore.open(dir, "model/1")) {
      store.putAll(List.of(a, b, a), List.of(vector(1), vector(2), vector(1)));
      store.putAll(List.of(a), List.of(vector(1)));
      assertThat(store.size()).isEqualTo(2);
    }
    try (EmbeddingStore store = EmbeddingStore.open(dir, "model/1")) {
      assertThat(store.size()).isEqualTo(2);
      assertThat(store.get(a)).isEqualTo(vector(1));
      assertThat(store.get(b)).isEqualTo(vector(2));
      assertThat(store.get(TextKey.of("c"))).isNull();
    }
    try (EmbeddingStore other = EmbeddingStore.open(dir, "model/2")) {
      assertThat(other.get(a)).as("another model has its own file").isNull();
    }
  }

  @Test
  void a_torn_last_record_is_cut_off_and_appending_continues() throws IOException {
    TextKey a = TextKey.of("a");
    try (EmbeddingStore store = EmbeddingStore.open(dir, "m")) {
      store.putAll(List.of(a), List.of(vector(1)));
    }
    Path file = dir.resolve("m.f32");
    Files.write(file, new byte[100], StandardOpenOption.APPEND); // a crash mid-append
    TextKey b = TextKey.of("b");
    try (EmbeddingStore store = EmbeddingStore.open(dir, "m")) {
      assertThat(store.size()).isEqualTo(1);
      store.putAll(List.of(b), List.of(vector(2)));
    }
    try (EmbeddingStore store = EmbeddingStore.open(dir, "m")) {
      assertThat(store.get(a)).isEqualTo(vector(1));
      assertThat(store.get(b)).isEqualTo(vector(2));
    }
  }
}
