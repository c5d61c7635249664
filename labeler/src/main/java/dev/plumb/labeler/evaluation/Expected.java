package dev.plumb.labeler.evaluation;

import java.util.Objects;

/**
 * The answer a test case expects for one policy: a decision (and category), or — for golden sets
 * labeled only "violating or not" — just whether the decision counts as a violation.
 *
 * @param decision a decision id of the policy, or {@code null} for a binary expectation
 * @param category the category expected with a positive decision, or {@code null}
 * @param categoryChecked whether the answer's category must equal {@code category}: always for a
 *     policy example; for a golden unit only when it names a category or expects a negative decision
 * @param positive whether the expected decision counts toward prevalence
 */
public record Expected(String decision, String category, boolean categoryChecked, boolean positive) {
  public Expected {
    if (decision == null && (category != null || categoryChecked)) {
      throw new IllegalArgumentException("a binary expectation names no category");
    }
  }

  /** A binary expectation: any decision with this {@code positive} flag is right. */
  public static Expected binary(boolean positive) {
    return new Expected(null, null, false, positive);
  }

  public boolean isBinary() {
    return decision == null;
  }

  /** Whether {@code answer} is an {@code ok} answer with this decision (and category, when checked). */
  public boolean matches(CaseAnswer answer) {
    if (answer == null || !answer.ok()) {
      return false;
    }
    if (decision == null) {
      return answer.positive() == positive;
    }
    return decision.equals(answer.decision()) && (!categoryChecked || Objects.equals(category, answer.category()));
  }

  /** {@code violating/promotion}, {@code safe}, {@code (positive)}, {@code (negative)}. */
  @Override
  public String toString() {
    if (decision == null) {
      return positive ? "(positive)" : "(negative)";
    }
    return category == null ? decision : decision + "/" + category;
  }
}
