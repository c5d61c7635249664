package dev.plumb.pipeline;

import dev.plumb.core.AtomicOutput;
import dev.plumb.labeler.prompt.PromptBundle;
import java.nio.file.Path;

/** {@code prompt}: compiles the selected policies and the templates into one prompt bundle ({@code prompt.json}). */
final class PromptStage extends RunStage {
  private final Path prompt;

  PromptStage(RunState state, Path prompt) {
    super("prompt", state, prompt);
    this.prompt = prompt;
  }

  @Override
  void describe(Key key) {
    state.policies().forEach(p -> key.input("policy " + p.key(), p.sha256()));
    key.file("templates", state.run.policies().prompts()).config("max_output_tokens", state.modelParams().maxOutputTokens());
  }

  @Override
  String run(Context context) {
    PromptBundle b = state.bundle();
    AtomicOutput.write(prompt, b.json());
    return "prompt " + b.fingerprint().substring(0, 19) + "… for " + b.policies().size() + " policies";
  }
}
