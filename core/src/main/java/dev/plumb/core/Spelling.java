package dev.plumb.core;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean …?": plumb's one suggestion policy, used by every reader's error messages. The
 * suggestion is the known word closest to a misspelt one by optimal string alignment distance
 * (Levenshtein, with a swap of two neighbouring characters counting as one edit), ignoring case,
 * when it is close enough to be a plausible typo: only a difference in case for words of up to 2
 * characters, at most 1 edit up to 5 characters, 2 up to 9, 3 beyond. Ties go to the earlier
 * candidate.
 */
public final class Spelling {
  private Spelling() {}

  /** The suggestion for {@code word} among {@code known}, if any (see the class comment). */
  public static Optional<String> suggest(String word, Collection<String> known) {
    int n = word.length();
    return closest(word, known, n <= 2 ? 0 : n <= 5 ? 1 : n <= 9 ? 2 : 3);
  }

  /** {@code ; did you mean "x"?} to end a message, or the empty string. */
  public static String hint(String word, Collection<String> known) {
    return YamlFields.hint(suggest(word, known));
  }

  /** {@code  (did you mean "x"?)} inside a sentence, or the empty string. */
  public static String aside(String word, Collection<String> known) {
    return YamlFields.aside(suggest(word, known));
  }

  /** The candidate closest to {@code word}, ignoring case, within {@code limit} edits; ties go to the earlier. */
  private static Optional<String> closest(String word, Collection<String> candidates, int limit) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /**
   * Optimal string alignment distance: Levenshtein's insertions, deletions and substitutions, plus
   * a swap of two neighbouring characters as one edit (Damerau 1964).
   */
  public static int distance(String a, String b) {
    int[] prevPrev = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1);
        }
      }
      int[] t = prevPrev;
      prevPrev = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
