package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One model pass per text or conversation: windows and turns pooled from its token states. */
class FeaturesTest {
  @TempDir static Path cache;

  private static final String LONG =
      "I went to the market this morning to buy apples and pears for a pie. "
          + "The baker next door sold me flour, butter and a little sugar. "
          + "Then I walked home along the river, where children were feeding the ducks. "
          + "In the afternoon I rolled the dough and sliced the fruit very thin. "
          + "The pie baked for forty minutes until the crust was golden and crisp. "
          + "We ate it warm with cream after dinner, and there was none left by nine.";

  @Test
  void windows_are_pooled_from_the_whole_texts_pass() {
    MiniLm m = MiniLm.shared(cache);
    Features f = m.features(List.of(LONG));
    assertThat(f.whole()).isEqualTo(m.embed(LONG)); // the whole text's embedding is unchanged
    assertThat(f.windows().length).isEqualTo(Windows.spans(LONG).size()).isGreaterThan(1);
    assertThat(f.parts()).isEmpty();
    for (float[] w : f.windows()) {
      assertThat(PolicyModel.cosine(w, w)).isCloseTo(1.0, within(1e-5));
      assertThat(PolicyModel.cosine(w, f.whole())).isBetween(0.3, 0.999);
    }
    // a window read in context is close to, but not the same as, the sentence read alone
    String first = LONG.substring(Windows.spans(LONG).get(0)[0], Windows.spans(LONG).get(0)[1]);
    assertThat(PolicyModel.cosine(f.windows()[0], m.embed(first))).isBetween(0.7, 0.9999);
    // deterministic: the same text gives the same numbers
    Features again = m.features(List.of(LONG));
    assertThat(again.windows()).isDeepEqualTo(f.windows());
  }

  @Test
  void a_conversation_is_read_once_and_each_turn_is_pooled_from_that_pass() {
    MiniLm m = MiniLm.shared(cache);
    String query = "how do I bake an apple pie";
    Features f = m.features(List.of(query, LONG));
    assertThat(f.whole()).isEqualTo(m.embed(query + "\n" + LONG));
    assertThat(f.parts()).hasSize(2);
    assertThat(f.parts().get(0).windows().length).isZero();
    assertThat(f.parts().get(1).windows().length).isEqualTo(Windows.spans(LONG).size());
    assertThat(PolicyModel.cosine(f.parts().get(0).whole(), m.embed(query))).isBetween(0.6, 0.9999);
    assertThat(PolicyModel.cosine(f.parts().get(1).whole(), m.embed(LONG))).isGreaterThan(0.8);
  }

  @Test
  void windows_are_ranges_of_whole_sentences_and_offsets_survive_astral_characters() {
    String text = "😀 " + LONG;
    List<int[]> spans = Windows.spans(text);
    assertThat(spans).hasSizeGreaterThan(1);
    for (int[] s : spans) {
      assertThat(s[1] - s[0]).isLessThanOrEqualTo(Windows.SIZE);
      assertThat(text.charAt(s[1] - 1)).isIn('.', '!', '?');
    }
    MiniLm m = MiniLm.shared(cache);
    Features withEmoji = m.features(List.of(text));
    Features plain = m.features(List.of(LONG));
    // the last window covers the same sentences either way: the emoji must not shift token offsets
    assertThat(PolicyModel.cosine(withEmoji.windows()[withEmoji.windows().length - 1], plain.windows()[plain.windows().length - 1]))
        .isGreaterThan(0.97);
  }

  @Test
  void features_come_back_whole_from_the_disk_store() {
    MiniLm m = MiniLm.shared(cache);
    List<List<String>> requests = List.of(List.of(LONG), List.of("hello there", LONG));
    Features[] first;
    try (Embedder e = new Embedder(m, EmbeddingStore.open(cache.resolve("store"), m.id()), 2, 0)) {
      first = e.featuresAll(requests);
      assertThat(e.stats().computed()).isEqualTo(2);
    }
    try (Embedder e = new Embedder(m, EmbeddingStore.open(cache.resolve("store"), m.id()), 2, 0)) {
      Features[] again = e.featuresAll(requests);
      assertThat(e.stats().computed()).isZero();
      assertThat(e.stats().storeHits()).isEqualTo(2);
      for (int i = 0; i < 2; i++) {
        assertThat(again[i].whole()).isEqualTo(first[i].whole());
        assertThat(again[i].windows()).isDeepEqualTo(first[i].windows());
        assertThat(again[i].parts()).hasSameSizeAs(first[i].parts());
      }
      assertThat(again[1].parts().get(1).windows()).isDeepEqualTo(first[1].parts().get(1).windows());
    }
  }
}
