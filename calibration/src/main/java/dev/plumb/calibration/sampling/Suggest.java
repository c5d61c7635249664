package dev.plumb.calibration.sampling;

import dev.plumb.core.Spelling;
import java.util.Collection;
import java.util.Optional;

/** "Did you mean": the closest known word by edit distance, if it is close enough to be a typo. */
final class Suggest {
  private Suggest() {}

  static Optional<String> closest(String word, Collection<String> known) {
    return Spelling.closest(word, known, Math.max(1, Math.min(3, word.length() / 3)), true);
  }

  /** {@code ; did you mean "x"?} or nothing. */
  static String hint(String word, Collection<String> known) {
    return closest(word, known).map(s -> "; did you mean \"" + s + "\"?").orElse("");
  }
}
