package dev.plumb.calibration.review;

import java.util.Objects;

/**
 * One human decision (docs/formats.md "Answer").
 *
 * @param unit the unit id
 * @param policy the policy reference, e.g. {@code self_harm@3}
 * @param rater the rater id
 * @param decision the rater's decision
 * @param category the rater's category, or {@code null}
 * @param at when the answer was given (ISO-8601 text), or {@code null}
 * @param honeypot whether the unit was a known-answer check
 * @param excluded whether the answer did not count for the gold (a rater flagged by the honeypots;
 *     {@code plumb queue import} marks them)
 */
public record Answer(
    String unit, String policy, String rater, String decision, String category, String at, boolean honeypot,
    boolean excluded) {
  public Answer {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(rater, "rater");
    Objects.requireNonNull(decision, "decision");
  }

  /** An answer that counts. */
  public Answer(String unit, String policy, String rater, String decision, String category, String at, boolean honeypot) {
    this(unit, policy, rater, decision, category, at, honeypot, false);
  }
}
