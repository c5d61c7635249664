package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.profile.Profile;
import picocli.CommandLine.Option;

/** Which model an LLM backend calls, as {@code plumb label}, {@code prompt test} (both through {@link LabelerOptions}) and {@code backfill} take it. */
final class ModelOptions {
  @Option(names = "--model", paramLabel = "MODEL", description = "The provider's model name (required but for --backend local).")
  String model;

  @Option(names = "--provider", paramLabel = "NAME", description = "With --backend langchain4j: anthropic or gemini.")
  String provider;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "OpenAI-compatible (or provider) base URL, e.g. http://localhost:8000/v1 for vLLM.")
  String baseUrl;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "The format the model was trained on: plumb (default: the unified prompt), gpt-oss-safeguard[:low|medium|high],"
          + " llama-guard or shieldgemma (docs/labeler.md, \"Model profiles\").")
  String profile;

  @Option(names = "--scores",
      description = "Ask for token log-probabilities and give every ok label a score: the probability of the violating answer.")
  boolean scores;

  /** Whether any of them is given (the local backend takes none). */
  boolean given() {
    return model != null || provider != null || baseUrl != null;
  }

  /**
   * Refuses {@code --profile}/{@code --scores} with the offline classifier, which answers in plumb's
   * own format and has no token probabilities.
   *
   * @throws InputException when either is given with {@code --backend local}
   */
  void checkLocal(boolean local) {
    if (local && (!profile().equals(Profile.Choice.DEFAULT) || scores)) {
      throw new InputException("--profile and --scores are for an LLM backend: --backend local answers in plumb's"
          + " own format and has no token probabilities");
    }
  }

  /**
   * Sets them on a labeling session.
   *
   * @throws InputException when the profile is not one plumb knows
   */
  LabelingSession.Builder applyTo(LabelingSession.Builder session) {
    return session.model(model).provider(provider).baseUrl(baseUrl).profile(profile()).scores(scores);
  }

  /** {@code --profile} parsed, plumb's own format when not given. */
  private Profile.Choice profile() {
    return profile == null ? Profile.Choice.DEFAULT : Format.option("--profile", () -> Profile.parse(profile));
  }
}
