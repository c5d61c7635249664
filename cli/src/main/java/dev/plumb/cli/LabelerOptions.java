package dev.plumb.cli;

import dev.plumb.labeler.batch.LabelingSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The backend, model and call options of a command that labels through a labeling session ({@code
 * plumb label}, {@code prompt test}); {@code backfill} takes the model options with its own backend
 * default (local).
 */
final class LabelerOptions {
  @Option(names = "--backend", defaultValue = LabelingSession.DEFAULT_BACKEND, paramLabel = "NAME",
      description = "openai (any OpenAI-compatible server), langchain4j, or local (the offline classifier; no"
          + " network, no key) (default: ${DEFAULT-VALUE}).")
  String backend;

  @Mixin ModelOptions model;

  @Mixin CallOptions calls;

  /**
   * A labeling session builder with the backend, model and call options set.
   *
   * @throws dev.plumb.core.InputException when the profile or {@code --images} is not one plumb knows
   */
  LabelingSession.Builder session() {
    return calls.applyTo(model.applyTo(LabelingSession.builder().backend(backend)));
  }
}
