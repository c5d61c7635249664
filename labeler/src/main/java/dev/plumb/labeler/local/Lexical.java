package dev.plumb.labeler.local;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of a text as a sparse tf-idf vector: lower-cased word unigrams and bigrams (a word is a
 * run of letters, digits or '_', as scikit-learn's {@code \b\w+\b}), each gram identified by a 64-bit
 * FNV-1a hash of its characters, term frequency 1 + ln(count), smoothed inverse document frequency
 * ln((1 + n) / (1 + df)) + 1, and the row scaled to unit length (scikit-learn's {@code
 * TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)}).
 *
 * <p>Why words besides the embedding: a small sentence encoder places an insult near the rude and
 * hateful texts that do not target anyone, while the words themselves ("you are a …") separate
 * them; on the moderation set the two together rank better than either (docs/benchmarks.md). The
 * vocabulary is the grams found in at least {@link #MIN_DF} training texts, so a model stores
 * hashes, not its training text.
 *
 * @param grams the vocabulary's gram hashes, ascending
 * @param idf each gram's inverse document frequency
 */
record Lexical(long[] grams, double[] idf) {
  /** A gram must occur in this many training texts to be learned: one-off grams are noise. */
  static final int MIN_DF = 2;
  /** The empty vocabulary of a model without the word half. */
  static final Lexical NONE = new Lexical(new long[0], new double[0]);

  /** A sparse row: ascending vocabulary indices and their values. */
  record Row(int[] index, double[] value) {}

  /** The vocabulary and idf of {@code texts}. */
  static Lexical fit(List<String> texts) {
    Map<Long, Integer> df = new HashMap<>();
    for (String t : texts) {
      Arrays.stream(grams(t)).distinct().forEach(g -> df.merge(g, 1, Integer::sum));
    }
    long[] kept = df.entrySet().stream().filter(e -> e.getValue() >= MIN_DF).mapToLong(Map.Entry::getKey).sorted().toArray();
    double[] idf = new double[kept.length];
    int n = texts.size();
    for (int k = 0; k < kept.length; k++) {
      idf[k] = Math.log((1.0 + n) / (1.0 + df.get(kept[k]))) + 1;
    }
    return new Lexical(kept, idf);
  }

  int size() {
    return grams.length;
  }

  /** The text's tf-idf row over this vocabulary (grams outside it are dropped). */
  Row row(String text) {
    long[] gs = grams(text);
    Arrays.sort(gs);
    List<int[]> counts = new ArrayList<>(); // {index, count}
    for (int i = 0; i < gs.length; ) {
      int j = i;
      while (j < gs.length && gs[j] == gs[i]) {
        j++;
      }
      int k = Arrays.binarySearch(grams, gs[i]);
      if (k >= 0) {
        counts.add(new int[] {k, j - i});
      }
      i = j;
    }
    int[] index = new int[counts.size()];
    double[] value = new double[counts.size()];
    double norm = 0;
    for (int r = 0; r < index.length; r++) {
      index[r] = counts.get(r)[0];
      value[r] = (1 + Math.log(counts.get(r)[1])) * idf[index[r]];
      norm += value[r] * value[r];
    }
    norm = Math.sqrt(norm);
    for (int r = 0; r < value.length && norm > 0; r++) {
      value[r] /= norm;
    }
    return new Row(index, value);
  }

  /** w · row + b. */
  static double linear(double[] weights, double bias, Row row) {
    double z = bias;
    for (int r = 0; r < row.index().length; r++) {
      z += weights[row.index()[r]] * row.value()[r];
    }
    return z;
  }

  /** The hashes of the text's unigrams and bigrams, with repeats. */
  static long[] grams(String text) {
    List<String> words = words(text);
    long[] out = new long[words.isEmpty() ? 0 : 2 * words.size() - 1];
    for (int i = 0; i < words.size(); i++) {
      out[i] = fnv(words.get(i));
      if (i > 0) {
        // = fnv(previous + " " + word): FNV runs left to right, so the bigram continues the unigram's state
        out[words.size() + i - 1] = fnv(fnv(out[i - 1], " "), words.get(i));
      }
    }
    return out;
  }

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp) || cp == '_') {
        w.appendCodePoint(Character.toLowerCase(cp));
      } else if (!w.isEmpty()) {
        words.add(w.toString());
        w.setLength(0);
      }
    }
    if (!w.isEmpty()) {
      words.add(w.toString());
    }
    return words;
  }

  /** 64-bit FNV-1a over the UTF-16 code units: stable across JVMs, unlike String.hashCode's 32 bits. */
  static long fnv(String s) {
    return fnv(0xcbf29ce484222325L, s);
  }

  private static long fnv(long state, String s) {
    long h = state;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h ^= c & 0xff;
      h *= 0x100000001b3L;
      h ^= c >>> 8;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
