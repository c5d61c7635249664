package dev.plumb.labeler.prompt;

import java.util.List;
import java.util.Objects;

/**
 * A model's validated answer for one policy: the decision is one of the policy's decisions, the
 * category one of its categories (or null), evidence only ids of the unit's components.
 *
 * @param confidence the model's stated confidence in [0, 1], or {@code NaN} when its output format
 *     has none (a safety model's profile, docs/labeler.md "Model profiles")
 * @param score the probability of the violating answer read from the model's token log-probabilities
 *     (docs/labeler.md "Scores from log-probabilities"), in [0, 1]; {@code null} when there were none
 */
public record PolicyAnswer(
    String policy, String decision, boolean positive, String category, double confidence, String rationale, List<String> evidence,
    Double score) {
  public PolicyAnswer {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(decision, "decision");
    rationale = rationale == null ? "" : rationale;
    evidence = List.copyOf(evidence);
    if (!(confidence >= 0 && confidence <= 1) && !Double.isNaN(confidence)) {
      throw new IllegalArgumentException("confidence must be in [0,1]: " + confidence);
    }
    if (score != null && !(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0,1]: " + score);
    }
  }

  /** An answer without a score. */
  public PolicyAnswer(
      String policy, String decision, boolean positive, String category, double confidence, String rationale,
      List<String> evidence) {
    this(policy, decision, positive, category, confidence, rationale, evidence, null);
  }

  /** The same answer with {@code score} (null for none). */
  public PolicyAnswer withScore(Double score) {
    return new PolicyAnswer(policy, decision, positive, category, confidence, rationale, evidence, score);
  }
}
