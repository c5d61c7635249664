package dev.plumb.labeler.prompt;

import java.util.List;
import java.util.Objects;

/**
 * A model's validated answer for one policy: the decision is one of the policy's decisions, the
 * category one of its categories (or null), evidence only ids of the unit's components.
 */
public record PolicyAnswer(
    String policy, String decision, boolean positive, String category, double confidence, String rationale, List<String> evidence) {
  public PolicyAnswer {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(decision, "decision");
    rationale = rationale == null ? "" : rationale;
    evidence = List.copyOf(evidence);
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0,1]: " + confidence);
    }
  }
}
