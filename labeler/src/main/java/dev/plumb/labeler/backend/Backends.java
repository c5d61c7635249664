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
      case "openai" -> new OpenAiBackend(spec.model(), spec.baseUrl(), key, spec.timeout(), spec.connections(), notices)
          .serviceTier(spec.serviceTier());
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

  /**
   * The {@code local} backend answering each unit with the model of {@code trainedOn.apply(unit,
   * policy)} — the policy itself, or a copy that leaves out the examples the unit must not be
   * trained on — while its answers stay keyed by the policy's id. Models are trained when first
   * needed. Because the answer depends on more than the request, do not combine this backend with
   * the response cache.
   */
  public static Backend localHeldOut(dev.plumb.labeler.local.LocalClassifier classifier, java.util.List<dev.plumb.labeler.policy.Policy> policies,
      java.util.function.BiFunction<dev.plumb.labeler.unit.Unit, dev.plumb.labeler.policy.Policy, dev.plumb.labeler.policy.Policy> trainedOn) {
    return new LocalBackend(classifier, policies, trainedOn);
  }

  private static Secret orPlaceholder(Secret s) {
    return s != null ? s : Secret.of("no-key");
  }
}
