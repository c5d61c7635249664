package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.unit.Unit;
import java.util.List;

/**
 * What the batch labeler needs from a compiled prompt: one unified prompt per unit that labels
 * every selected policy at once, the schema of its answer, and the check of an answer. The prompt
 * compiler's bundle provides it; tests provide small fakes.
 *
 * <p>Implementations are thread-safe: many workers render and check at once.
 */
public interface LabelingPrompt {

  /** {@code sha256:...} over everything that can change an answer; every label carries it. */
  String fingerprint();

  /** The JSON Schema of one answer object (sent as the response format). */
  JsonNode schema();

  /** The policy keys ({@code self_harm@3}) one answer covers, in a stable order; never empty. */
  List<String> policies();

  /**
   * The conversation for one unit.
   *
   * @param images whether images go to the model as image parts; when false their text stands in
   */
  List<ChatMessage> render(Unit unit, boolean images);

  /** Validates a raw answer for {@code unit}: one {@link dev.plumb.labeler.prompt.PolicyAnswer} per policy, or the errors. */
  AnswerCheck check(String raw, Unit unit);
}
