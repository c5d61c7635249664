package dev.plumb.labeler.backend;

import java.util.function.Consumer;

/** Creates backends. */
public final class Backends {
  private Backends() {}

  /**
   * A backend for {@code spec}, with its key from {@code credentials}. An OpenAI-compatible server
   * at a custom base URL (vLLM, Ollama, LiteLLM) may run without a key.
   *
   * @param notices receives one-line notices (e.g. a response-format fallback)
   * @throws dev.plumb.core.InputException when the provider needs a key and none is configured
   */
  public static Backend create(BackendSpec spec, Credentials credentials, Consumer<String> notices) {
    Secret key =
        spec.hostedByProvider()
            ? credentials.require(spec.provider())
            : orPlaceholder(credentials.find(spec.provider()));
    return switch (spec.backend()) {
      case "openai" -> new OpenAiBackend(spec.model(), spec.baseUrl(), key, spec.timeout(), spec.connections(), notices);
      case "langchain4j" -> new LangChainBackend(spec.provider(), spec.model(), spec.baseUrl(), key, spec.timeout(), notices);
      default -> throw new IllegalArgumentException("unknown backend: " + spec.backend());
    };
  }

  /**
   * The offline {@code local} backend over a classifier (which it closes): trains or loads the
   * model of every policy now, so a policy that cannot be trained fails before the first unit.
   */
  public static Backend local(dev.plumb.labeler.local.LocalClassifier classifier, java.util.List<dev.plumb.labeler.policy.Policy> policies) {
    return new LocalBackend(classifier, policies);
  }

  private static Secret orPlaceholder(Secret s) {
    return s != null ? s : Secret.of("no-key");
  }
}
