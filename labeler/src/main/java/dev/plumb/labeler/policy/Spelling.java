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
    int n = word.length();
    return dev.plumb.core.Spelling.closest(word, candidates, n <= 2 ? 0 : n <= 5 ? 1 : n <= 9 ? 2 : 3, false);
  }

  /** {@code " (did you mean \"x\"?)"} or the empty string. */
  static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
  }

  static int distance(String a, String b) {
    return dev.plumb.core.Spelling.distance(a, b, false);
  }
}
