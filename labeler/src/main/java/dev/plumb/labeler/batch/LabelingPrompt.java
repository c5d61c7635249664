package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.RenderOptions;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.util.List;

/**
 * What the batch labeler needs from a compiled prompt: the requests that label one unit (plumb's
 * unified prompt: one request for every selected policy; a safety model's profile may need one per
 * policy, {@link #requests()}), the schema of the answer, and the check of an answer. The prompt
 * compiler's bundle provides it, wrapped by a model profile ({@code labeler.profile.Profile}); tests
 * provide small fakes.
 *
 * <p>Implementations are thread-safe: many workers render and check at once.
 */
public interface LabelingPrompt {

  /** {@code sha256:...} over everything that can change an answer; every label carries it. */
  String fingerprint();

  /**
   * The JSON Schema of one answer object as sent in the response format (strict-mode compatible),
   * or {@code null} when the model answers in its own text format (no response format is sent).
   */
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

  /**
   * The requests one unit needs, each as the policy keys it answers, in order; together they cover
   * {@link #policies()} once. By default one request answers every policy (the unified prompt).
   */
  default List<List<String>> requests() {
    return List.of(policies());
  }

  /** The conversation of the request answering {@code group} (one of {@link #requests()}). */
  default RenderedPrompt render(Unit unit, boolean images, List<String> group) {
    return render(unit, images);
  }

  /**
   * Checks the reply to the request answering {@code group}: one answer per policy of the group, with
   * a score where the reply carries token log-probabilities and the prompt reads them. By default the
   * reply's text is checked by {@link #check(String, Unit)}.
   */
  default AnswerCheck check(ModelReply reply, Unit unit, List<String> group) {
    return check(reply.text(), unit);
  }

  /** How many alternatives per answer token to ask the server for (0: no log-probabilities). */
  default int topLogprobs() {
    return 0;
  }

  /** The sampling temperature to send, or {@code null} for the provider's default. */
  default Double temperature() {
    return null;
  }

  /**
   * How long an answer is expected to be, for the dry run's expected cost when no previous run says:
   * by default plumb's unified JSON answer ({@link AnswerLength#UNIFIED}).
   */
  default AnswerLength expectedAnswer() {
    return AnswerLength.UNIFIED;
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
