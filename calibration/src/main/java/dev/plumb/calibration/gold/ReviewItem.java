package dev.plumb.calibration.gold;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One review item of one policy as the rater-error model sees it: who answered, and whether each
 * answer was positive (a decision that counts toward prevalence).
 *
 * @param item the queue's item id
 * @param stratum the review (phase-2) stratum it was drawn from; ignored for a honeypot
 * @param known the honeypot's true polarity, or {@code null} for a reviewed unit
 * @param answers rater → positive, over the raters whose answers count; at least one
 */
public record ReviewItem(String item, String stratum, Boolean known, Map<String, Boolean> answers) {
  public ReviewItem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(stratum, "stratum");
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("item " + item + " has no answer");
    }
    answers = java.util.Collections.unmodifiableMap(new TreeMap<>(answers));
  }

  /** Whether this is a known-answer item. */
  public boolean honeypot() {
    return known != null;
  }
}
