package dev.plumb.labeler.evaluation;

import java.util.Objects;

/**
 * The answer a test case expects for one policy.
 *
 * @param decision a decision id of the policy
 * @param category the category expected with a positive decision, or {@code null}
 * @param categoryChecked whether the answer's category must equal {@code category}: always for a
 *     policy example; for a golden unit only when it names a category or expects a negative decision
 */
public record Expected(String decision, String category, boolean categoryChecked) {
  public Expected {
    Objects.requireNonNull(decision, "decision");
  }

  /** Whether {@code answer} is an {@code ok} answer with this decision (and category, when checked). */
  public boolean matches(CaseAnswer answer) {
    return answer != null && answer.ok() && decision.equals(answer.decision())
        && (!categoryChecked || Objects.equals(category, answer.category()));
  }

  /** {@code violating/promotion}, {@code safe}. */
  @Override
  public String toString() {
    return category == null ? decision : decision + "/" + category;
  }
}
