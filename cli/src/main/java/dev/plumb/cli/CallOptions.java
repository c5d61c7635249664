package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.labeler.batch.LabelingSession;
import picocli.CommandLine.Option;

/**
 * How a command calls the model, as {@code plumb label} and {@code prompt test} take it: images,
 * pacing, the wait for one answer, retries and the response cache (the defaults are the labeling
 * session's).
 */
final class CallOptions {
  @Option(names = "--images", defaultValue = "on", paramLabel = "on|off",
      description = "Send pins' images as image parts (default: ${DEFAULT-VALUE}); off sends their text only.")
  String images;

  @Option(names = "--rpm", defaultValue = "0", paramLabel = "N",
      description = "Requests/minute limit (default: learn it from response headers, starting slowly).")
  double rpm;

  @Option(names = "--tpm", defaultValue = "0", paramLabel = "N",
      description = "Tokens/minute limit (default: learn it from response headers).")
  double tpm;

  @Option(names = "--timeout", defaultValue = "" + LabelingSession.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS",
      description = "Longest wait for one answer before it counts as a timeout (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(names = "--max-attempts", defaultValue = "" + LabelingSession.DEFAULT_MAX_ATTEMPTS, paramLabel = "N",
      description = "Calls per unit before a timeout, reset or 5xx becomes a failed label (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--no-cache", description = "Do not answer from, or store into, the response cache.")
  boolean noCache;

  @Option(names = "--no-prompt-cache",
      description = "Do not ask the provider to cache the prompt's shared prefix (OpenAI prompt_cache_key, Anthropic"
          + " cache_control); on by default, it changes the price, never the answer.")
  boolean noPromptCache;

  /**
   * Sets them on a labeling session.
   *
   * @throws InputException when {@code --images} is neither on nor off
   */
  LabelingSession.Builder applyTo(LabelingSession.Builder session) {
    if (!images.equals("on") && !images.equals("off")) {
      throw new InputException("--images must be on or off, not \"" + images + "\"");
    }
    return session.images(images.equals("on")).rpm(rpm).tpm(tpm).timeoutSeconds(timeoutSeconds)
        .maxAttempts(maxAttempts).cache(!noCache).promptCache(!noPromptCache);
  }
}
