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
 * @param weight the unit's weight in its stratum's prior: its phase-1 contribution weight m·d1 (the
 *     weight the corrected estimators give it within a review stratum), or 1 when not known;
 *     positive and finite, ignored for a honeypot
 */
public record ReviewItem(String item, String stratum, Boolean known, Map<String, Boolean> answers, double weight) {
  public ReviewItem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(stratum, "stratum");
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("item " + item + " has no answer");
    }
    if (!(weight > 0 && weight < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("item " + item + " has weight " + weight + ", not positive and finite");
    }
    answers = java.util.Collections.unmodifiableMap(new TreeMap<>(answers));
  }

  /** An item of weight 1 (all items of a stratum alike: the unweighted prior). */
  public ReviewItem(String item, String stratum, Boolean known, Map<String, Boolean> answers) {
    this(item, stratum, known, answers, 1);
  }

  /** Whether this is a known-answer item. */
  public boolean honeypot() {
    return known != null;
  }
}
