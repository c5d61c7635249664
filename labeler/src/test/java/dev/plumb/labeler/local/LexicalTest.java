package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LexicalTest {
  static final List<String> DOCS =
      List.of(
          "You are a worthless idiot and everyone knows it.",
          "Everyone knows the recipe: butter, flour, and sugar.",
          "You are a good friend, and I know it!",
          "IDIOT idiot idiot — you are a clown.",
          "The clown at the party was a good friend of everyone.",
          "Café au lait: the café knows you.");

  /**
   * Reference: scikit-learn 1.2.1, {@code TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
   * min_df=2, token_pattern=r"(?u)\b\w+\b").fit_transform(DOCS)}, rows 0, 3 and 5 (script: the
   * DOCS above, then {@code X[d].tocoo()} with {@code get_feature_names_out()}).
   */
  static final Object[][] SKLEARN = {
    {0, "a", 0.250765772020, "and", 0.292634778636, "are", 0.292634778636, "are a", 0.292634778636, "everyone", 0.292634778636,
        "everyone knows", 0.346613316325, "idiot", 0.346613316325, "it", 0.346613316325, "knows", 0.292634778636,
        "you", 0.250765772020, "you are", 0.292634778636},
    {3, "a", 0.246855213147, "are", 0.288071294868, "are a", 0.288071294868, "clown", 0.341208065964, "idiot", 0.716063440224,
        "you", 0.246855213147, "you are", 0.288071294868},
    {5, "knows", 0.604749373520, "the", 0.604749373520, "you", 0.518224266563},
  };

  @Test
  void tfidfRowsMatchScikitLearn() {
    Lexical lex = Lexical.fit(DOCS);
    assertThat(lex.size()).isEqualTo(17); // len(get_feature_names_out())
    for (Object[] ref : SKLEARN) {
      Map<Long, Double> expected = new LinkedHashMap<>();
      for (int k = 1; k < ref.length; k += 2) {
        expected.put(Lexical.fnv((String) ref[k]), (Double) ref[k + 1]);
      }
      Lexical.Row row = lex.row(DOCS.get((Integer) ref[0]));
      assertThat(row.index()).hasSize(expected.size());
      for (int r = 0; r < row.index().length; r++) {
        long gram = lex.grams()[row.index()[r]];
        assertThat(expected).containsKey(gram);
        assertThat(row.value()[r]).isCloseTo(expected.get(gram), within(1e-9));
      }
    }
    // idf of a gram in 3 of 6 texts: ln(7/4) + 1
    int a = Arrays.binarySearch(lex.grams(), Lexical.fnv("a"));
    assertThat(lex.idf()[a]).isCloseTo(1.336472236621, within(1e-9));
  }

  @Test
  void theWordHalfNeedsTenLabeledTextsOfEachClass() {
    List<Sample> few = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      few.add(new Sample("train.jsonl:" + (i + 1), "text " + i, i < 9, null, null, false));
    }
    assertThat(Trainer.readsWords(few)).isFalse(); // 9 positives
    few.add(new Sample("train.jsonl:31", "text 31", true, null, null, false));
    assertThat(Trainer.readsWords(few)).isTrue(); // 10 and 21
    assertThat(Trainer.readsWords(List.of())).isFalse(); // the policy's examples alone

    // the same data with and without the word half: an empty vocabulary and no word members without
    java.util.Random rnd = new java.util.Random(3);
    int n = 40;
    String[] texts = new String[n];
    float[][] x = new float[n][];
    float[][][] windows = new float[n][][];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2 == 0;
      texts[i] = (y[i] ? "you are a worthless idiot number " : "the recipe needs butter number ") + i;
      x[i] = new float[] {(float) (rnd.nextGaussian() + (y[i] ? 1 : 0)), (float) rnd.nextGaussian()};
    }
    Trainer.BinaryFit with = Trainer.fitBinary(texts, x, windows, y, true, Trainer.SEED);
    Trainer.BinaryFit without = Trainer.fitBinary(texts, x, windows, y, false, Trainer.SEED);
    assertThat(with.words()).hasSize(Trainer.LAMBDAS.length);
    assertThat(with.lexicon().size()).isGreaterThan(0);
    assertThat(without.words()).isEmpty();
    assertThat(without.lexicon().size()).isZero();
    // the words separate these texts perfectly; the embedding only partly
    assertThat(with.cvRocAuc()).isGreaterThan(without.cvRocAuc());
  }

  @Test
  void wordsAreLowerCasedUnicodeRuns() {
    assertThat(Lexical.words("Café au LAIT—it's_ok 42x!")).containsExactly("café", "au", "lait", "it", "s_ok", "42x");
    assertThat(Lexical.grams("")).isEmpty();
    assertThat(Lexical.grams("one two three")).hasSize(5);
    // unknown grams drop out; a text with none is the empty row, not an error
    Lexical lex = Lexical.fit(DOCS);
    assertThat(lex.row("zebra quokka").index()).isEmpty();
    assertThat(Lexical.linear(new double[lex.size()], 0.25, lex.row("zebra"))).isEqualTo(0.25);
  }
}
