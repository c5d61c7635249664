package dev.plumb.labeler.backend;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Which model to call and how; holds no secret (keys come from {@link Credentials}).
 *
 * @param backend {@code openai} or {@code langchain4j}
 * @param provider for langchain4j: {@code anthropic} or {@code gemini}; for openai: {@code openai}
 * @param model the provider's model name
 * @param baseUrl an OpenAI-compatible (or provider) base URL, or {@code null} for the provider's own
 * @param timeout how long one call may take before it counts as a timeout
 * @param connections how many connections to keep open (about the maximum concurrency)
 * @param serviceTier with openai: the {@code service_tier} to ask for ({@code auto}, {@code default},
 *     {@code flex}, {@code priority}), or {@code null} for the provider's default
 */
public record BackendSpec(String backend, String provider, String model, String baseUrl, Duration timeout, int connections,
    String serviceTier) {
  public static final Set<String> BACKENDS = Set.of("openai", "langchain4j");
  public static final Set<String> PROVIDERS = Set.of("anthropic", "gemini");
  public static final java.util.List<String> SERVICE_TIERS = java.util.List.of("auto", "default", "flex", "priority");

  /** Without a service tier. */
  public BackendSpec(String backend, String provider, String model, String baseUrl, Duration timeout, int connections) {
    this(backend, provider, model, baseUrl, timeout, connections, null);
  }

  public BackendSpec {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    if (!BACKENDS.contains(backend)) {
      throw new IllegalArgumentException("unknown backend \"" + backend + "\": expected openai or langchain4j");
    }
    if (backend.equals("openai")) {
      if (provider != null && !provider.equals("openai")) {
        throw new IllegalArgumentException("--provider " + provider + " needs --backend langchain4j");
      }
      provider = "openai";
    } else if (provider == null || !PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException("--backend langchain4j needs --provider anthropic or --provider gemini");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("--model must not be empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (baseUrl != null && !baseUrl.isBlank()) {
      URI u;
      try {
        u = URI.create(baseUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--base-url is not a URL: " + safeUrl(baseUrl));
      }
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("--base-url must be an http(s) URL: " + safeUrl(baseUrl));
      }
    }
    connections = Math.max(1, connections);
    if (serviceTier != null) {
      if (!backend.equals("openai")) {
        throw new IllegalArgumentException("--service-tier is for --backend openai (OpenAI's service_tier)");
      }
      if (!SERVICE_TIERS.contains(serviceTier)) {
        throw new IllegalArgumentException("--service-tier must be one of " + String.join(", ", SERVICE_TIERS)
            + ", not \"" + serviceTier + "\"");
      }
    }
  }

  /** The base URL without user info or query (where credentials sometimes hide), for records and logs. */
  public String displayBaseUrl() {
    return baseUrl == null || baseUrl.isBlank() ? null : safeUrl(baseUrl);
  }

  static String safeUrl(String url) {
    try {
      URI u = URI.create(url);
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (Exception e) {
      return "(unparseable URL)";
    }
  }

  /** Whether the base URL points at the provider itself (where a key is certainly needed). */
  boolean hostedByProvider() {
    return baseUrl == null || baseUrl.isBlank()
        || baseUrl.contains("api.openai.com") || baseUrl.contains("anthropic.com") || baseUrl.contains("googleapis.com");
  }
}
