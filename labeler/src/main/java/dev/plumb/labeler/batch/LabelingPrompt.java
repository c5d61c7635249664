package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.RenderOptions;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
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

  /** The JSON Schema of one answer object as sent in the response format (strict-mode compatible). */
  JsonNode schema();

  /** The policy keys ({@code self_harm@3}) one answer covers, in a stable order; never empty. */
  List<String> policies();

  /**
   * The conversation for one unit, and which images were left out of it.
   *
   * @param images whether images go to the model as image parts; when false their text stands in
   * @throws dev.plumb.core.InputException when the unit cannot be rendered (a missing image file):
   *     the unit's labels become {@code failed} with the message
   */
  RenderedPrompt render(Unit unit, boolean images);

  /** Validates a raw answer for {@code unit}: one {@link dev.plumb.labeler.prompt.PolicyAnswer} per policy, or the errors. */
  AnswerCheck check(String raw, Unit unit);

  /** The sampling temperature to send, or {@code null} for the provider's default. */
  default Double temperature() {
    return null;
  }

  /** The answer's token cap the prompt was compiled for, or 0 when it does not say. */
  default int maxOutputTokens() {
    return 0;
  }

  /**
   * A compiled bundle as a labeling prompt: policies by key ({@code self_harm@3}), the strict
   * schema, the bundle's temperature and output cap; relative image paths resolve against
   * {@code unitsDir}.
   */
  static LabelingPrompt of(PromptBundle bundle, Path unitsDir) {
    List<String> keys = bundle.policies().stream().map(Policy::key).toList();
    JsonNode schema = bundle.strictSchema();
    return new LabelingPrompt() {
      @Override
      public String fingerprint() {
        return bundle.fingerprint();
      }

      @Override
      public JsonNode schema() {
        return schema;
      }

      @Override
      public List<String> policies() {
        return keys;
      }

      @Override
      public RenderedPrompt render(Unit unit, boolean images) {
        return bundle.render(unit, images ? RenderOptions.withImages(unitsDir) : RenderOptions.textOnly());
      }

      @Override
      public AnswerCheck check(String raw, Unit unit) {
        return bundle.check(raw, unit);
      }

      @Override
      public Double temperature() {
        return bundle.modelParams().temperature();
      }

      @Override
      public int maxOutputTokens() {
        return bundle.modelParams().maxOutputTokens();
      }
    };
  }
}
