package dev.plumb.labeler.prompt;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The outcome of checking a model's raw answer against the bundle's schema and policies. */
public sealed interface AnswerCheck {

  /** Every requested policy answered validly; keyed by policy key ({@code self_harm@3}). */
  record Valid(Map<String, PolicyAnswer> answers) implements AnswerCheck {
    public Valid {
      answers = Map.copyOf(answers);
    }
  }

  /**
   * The answer is unusable.
   *
   * @param errors what is wrong, phrased so it can be sent back to the model in a retry
   * @param raw the model's text, kept for the {@code invalid} label record
   */
  record Invalid(List<String> errors, String raw) implements AnswerCheck {
    public Invalid {
      errors = List.copyOf(errors);
      Objects.requireNonNull(raw, "raw");
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid answer needs at least one error");
      }
    }
  }
}
