package dev.plumb.labeler.policy;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean ...?" suggestions for misspelt field names, ids and references. */
final class Spelling {
  private Spelling() {}

  /**
   * The candidate closest to {@code word} by Levenshtein distance, when it is close enough to be a
   * plausible typo: only a difference in case for words of up to 2 characters, at most 1 edit up to
   * 5 characters, 2 up to 9, 3 beyond. Ties go to the earlier candidate. Comparison ignores case.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(java.util.Locale.ROOT);
    int limit = w.length() <= 2 ? 0 : w.length() <= 5 ? 1 : w.length() <= 9 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** {@code " (did you mean \"x\"?)"} or the empty string. */
  static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
  }

  static int distance(String a, String b) {
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
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
