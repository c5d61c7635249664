package dev.plumb.labeler.batch;

import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.List;

/** How a model's reply is judged, and how an invalid one is asked again: the same for synchronous and batch labeling. */
final class ReplyCheck {
  private ReplyCheck() {}

  /** The answer check every reply goes through, synchronous or from a batch: refusal, truncation, the prompt's checks. */
  static AnswerCheck check(LabelingPrompt prompt, ModelReply reply, Unit unit, int maxOutputTokens) {
    return check(prompt, reply, unit, prompt.policies(), maxOutputTokens);
  }

  /** The same for the request answering {@code group} (one of the prompt's {@link LabelingPrompt#requests()}). */
  static AnswerCheck check(LabelingPrompt prompt, ModelReply reply, Unit unit, List<String> group, int maxOutputTokens) {
    if (reply.refusal() != null) {
      return new AnswerCheck.Invalid(
          List.of("the model refused to answer: " + reply.refusal()),
          reply.text().isEmpty() ? reply.refusal() : reply.text());
    }
    AnswerCheck check = prompt.check(reply, unit, group);
    if (reply.truncated() && check instanceof AnswerCheck.Invalid bad) {
      List<String> errors = new ArrayList<>();
      errors.add("the answer was cut off at " + maxOutputTokens + " output tokens (raise --max-output-tokens)");
      errors.addAll(bad.errors());
      return new AnswerCheck.Invalid(errors, bad.raw());
    }
    return check;
  }

  /** The validation retry: the invalid answer and its errors appended to the conversation (synchronous and batch). */
  static ModelRequest corrected(ModelRequest request, AnswerCheck.Invalid bad) {
    return request.plus(
        List.of(
            ChatMessage.assistant(bad.raw()),
            ChatMessage.user(
                "Your answer was not valid: " + String.join("; ", bad.errors())
                    + (request.schema() == null ? ". Answer again, exactly in the format the instructions give."
                    : ". Answer again with one JSON object that follows the schema exactly."))));
  }
}
