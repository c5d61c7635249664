package dev.plumb.cli;

import dev.plumb.labeler.batch.LabelingSession;
import picocli.CommandLine.Option;

/** Which model an LLM backend calls, as {@code plumb label}, {@code prompt test} and {@code backfill} take it. */
final class ModelOptions {
  @Option(names = "--model", paramLabel = "MODEL", description = "The provider's model name (required but for --backend local).")
  String model;

  @Option(names = "--provider", paramLabel = "NAME", description = "With --backend langchain4j: anthropic or gemini.")
  String provider;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "OpenAI-compatible (or provider) base URL, e.g. http://localhost:8000/v1 for vLLM.")
  String baseUrl;

  /** Whether any of them is given (the local backend takes none). */
  boolean given() {
    return model != null || provider != null || baseUrl != null;
  }

  /** Sets them on a labeling session. */
  LabelingSession.Builder applyTo(LabelingSession.Builder session) {
    return session.model(model).provider(provider).baseUrl(baseUrl);
  }
}
