package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The official OpenAI Java SDK against api.openai.com or any OpenAI-compatible base URL. */
final class OpenAiBackend extends RemoteBackend {
  static final String SCHEMA_NAME = "plumb_labels";

  private final OpenAIClient client;
  private final java.util.concurrent.atomic.AtomicBoolean temperature = new java.util.concurrent.atomic.AtomicBoolean(true);
  /** Cleared for the rest of the run when the server refuses {@code prompt_cache_key}. */
  private final java.util.concurrent.atomic.AtomicBoolean cacheKey = new java.util.concurrent.atomic.AtomicBoolean(true);
  /** Cleared for the rest of the run when the server refuses {@code prompt_cache_retention}. */
  private final java.util.concurrent.atomic.AtomicBoolean retention;
  /** Cleared for the rest of the run when the server refuses {@code logprobs} (many reasoning models do). */
  private final java.util.concurrent.atomic.AtomicBoolean logprobs = new java.util.concurrent.atomic.AtomicBoolean(true);
  /** The service_tier asked for, or null; dropped (once, with a notice) when the model refuses it. */
  private final java.util.concurrent.atomic.AtomicReference<String> serviceTier = new java.util.concurrent.atomic.AtomicReference<>();

  OpenAiBackend(String model, String baseUrl, Secret key, Duration timeout, int connections, Consumer<String> notices) {
    super("openai", model, key, timeout, notices);
    this.retention = new java.util.concurrent.atomic.AtomicBoolean(acceptsExtendedRetention(model));
    OpenAIOkHttpClient.Builder b =
        OpenAIOkHttpClient.builder()
            .apiKey(key.reveal())
            .maxRetries(0) // plumb's scheduler is the only retry loop
            .timeout(timeout)
            .maxIdleConnections(Math.max(5, connections))
            .keepAliveDuration(Duration.ofMinutes(2));
    if (baseUrl != null && !baseUrl.isBlank()) {
      b.baseUrl(baseUrl);
    }
    this.client = b.build();
  }

  /** Asks for {@code tier} ({@code flex}: cheaper, slower, where the model offers it); null for the default. */
  OpenAiBackend serviceTier(String tier) {
    serviceTier.set(tier);
    return this;
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ModelReply call(ModelRequest request) {
    while (true) {
      Format f = format.get();
      try {
        return send(request, f);
      } catch (OpenAIServiceException e) {
        String body = body(e);
        if (request.temperature() != null && temperature.get() && refusesTemperature(e.statusCode(), body)) {
          if (temperature.compareAndSet(true, false)) {
            notices.accept("the model refused the temperature setting; sending none for the rest of the run"
                + " (its default applies)");
          }
          continue;
        }
        if (request.promptCacheKey() != null && retention.get() && refuses(e.statusCode(), body, "prompt_cache_retention")) {
          if (retention.compareAndSet(true, false)) {
            notices.accept("the server refused prompt_cache_retention \"" + EXTENDED_RETENTION + "\"; sending none for"
                + " the rest of the run (its default retention applies)");
          }
          continue;
        }
        if (request.promptCacheKey() != null && cacheKey.get() && refuses(e.statusCode(), body, "prompt_cache_key")) {
          if (cacheKey.compareAndSet(true, false)) {
            notices.accept("the server refused prompt_cache_key; sending none for the rest of the run"
                + " (its automatic prefix caching, if any, still applies)");
          }
          continue;
        }
        if (request.topLogprobs() > 0 && logprobs.get() && refuses(e.statusCode(), body, "logprobs")) {
          if (logprobs.compareAndSet(true, false)) {
            notices.accept("the server refused logprobs; asking for none for the rest of the run (labels get no score)");
          }
          continue;
        }
        String tier = serviceTier.get();
        if (tier != null && refusesServiceTier(e.statusCode(), body)) {
          if (serviceTier.compareAndSet(tier, null)) {
            notices.accept("the model refused service_tier " + tier + "; sending none for the rest of the run"
                + " (the default tier applies)");
          }
          continue;
        }
        if (f != Format.TEXT && Failures.refusesFormat(e.statusCode(), body + " " + e.getMessage(), f.wire)) {
          Format.stepDown(format, f, "the server", notices);
          continue;
        }
        RateLimits limits = RateLimits.parse(headers(e.headers()), Instant.now());
        throw Failures.http(e.statusCode(), limits, body, null, "openai", model, key);
      } catch (OpenAIIoException e) {
        throw Failures.io(e, timeout, key);
      } catch (OpenAIException e) {
        // an answer the SDK could not read (malformed JSON, missing fields): the server misbehaved
        throw new BackendException(
            BackendException.Kind.TRANSIENT, 0,
            "unreadable response: " + key.redact(String.valueOf(e.getMessage())), RateLimits.NONE, e);
      }
    }
  }

  private ModelReply send(ModelRequest request, Format f) {
    try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params(request, f))) {
      return reply(raw.parse(), RateLimits.parse(headers(raw.headers()), Instant.now()), f);
    }
  }

  /** The chat completion request for {@code request} in format {@code f}: what a call sends, and a batch line's body. */
  ChatCompletionCreateParams params(ModelRequest request, Format f) {
    ChatCompletionCreateParams.Builder p =
        ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(request.maxOutputTokens());
    if (request.temperature() != null && temperature.get()) {
      p.temperature(request.temperature());
    }
    if (request.promptCacheKey() != null && cacheKey.get()) {
      p.promptCacheKey(request.promptCacheKey());
      if (retention.get()) {
        p.promptCacheRetention(ChatCompletionCreateParams.PromptCacheRetention.of(EXTENDED_RETENTION));
      }
    }
    String tier = serviceTier.get();
    if (tier != null) {
      p.serviceTier(ChatCompletionCreateParams.ServiceTier.of(tier));
    }
    for (ChatMessage m : f.messages(request.messages(), request.schema())) {
      switch (m.role()) {
        case SYSTEM -> p.addSystemMessage(m.text());
        case ASSISTANT -> p.addMessage(ChatCompletionAssistantMessageParam.builder().content(m.text()).build());
        case USER -> {
          if (m.parts().stream().allMatch(ContentPart.Text.class::isInstance)) {
            p.addUserMessage(m.text());
          } else {
            p.addUserMessageOfArrayOfContentParts(parts(m.parts()));
          }
        }
      }
    }
    if (request.schema() != null) { // none: a free-text answer (a safety model's own format)
      switch (f) {
        case JSON_SCHEMA -> p.responseFormat(jsonSchema(request.schema()));
        case JSON_OBJECT -> p.responseFormat(ResponseFormatJsonObject.builder().build());
        case TEXT -> {}
      }
    }
    if (request.topLogprobs() > 0 && logprobs.get()) {
      p.logprobs(true).topLogprobs(request.topLogprobs());
    }
    return p.build();
  }

  /** A completion (from a call or a batch's output line) as a reply. */
  static ModelReply reply(ChatCompletion completion, RateLimits limits, Format f) {
    long in = -1;
    long out = -1;
    long cached = 0;
    if (completion.usage().isPresent()) {
      in = completion.usage().get().promptTokens();
      out = completion.usage().get().completionTokens();
      // cached_tokens are part of prompt_tokens, billed at the cached-input rate
      cached = completion.usage().get().promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L);
    }
    if (completion.choices().isEmpty()) {
      return new ModelReply("", null, false, in, out, limits, f.wire, cached, 0);
    }
    ChatCompletion.Choice choice = completion.choices().get(0);
    String text = choice.message().content().orElse("");
    String refusal = choice.message().refusal().orElse(null);
    boolean truncated = ChatCompletion.Choice.FinishReason.LENGTH.equals(choice.finishReason());
    if (refusal == null && ChatCompletion.Choice.FinishReason.CONTENT_FILTER.equals(choice.finishReason())) {
      refusal = "the provider's content filter stopped the answer";
    }
    return new ModelReply(text, refusal, truncated, in, out, limits, f.wire, cached, 0, logprobs(choice));
  }

  /** The answer's token log-probabilities ({@code choices[0].logprobs.content}), or empty when the server sent none. */
  static List<TokenLogprob> logprobs(ChatCompletion.Choice choice) {
    List<ChatCompletionTokenLogprob> content = choice.logprobs().flatMap(l -> l.content()).orElse(List.of());
    List<TokenLogprob> out = new ArrayList<>(content.size());
    for (ChatCompletionTokenLogprob t : content) {
      List<TokenLogprob.Alternative> top = new ArrayList<>(t.topLogprobs().size());
      for (ChatCompletionTokenLogprob.TopLogprob a : t.topLogprobs()) {
        top.add(new TokenLogprob.Alternative(a.token(), a.logprob()));
      }
      out.add(new TokenLogprob(t.token(), t.logprob(), top));
    }
    return out;
  }

  /** The OpenAI Batch API on the same client (files and batches endpoints of the same base URL and key). */
  @Override
  public java.util.Optional<BatchApi> batchApi() {
    return java.util.Optional.of(new OpenAiBatchApi(client, this, key));
  }

  /** The response format requests go out in now. */
  Format currentFormat() {
    return format.get();
  }

  /** A model without the asked-for tier (flex is offered for some models only) says so with a 400 naming it. */
  static boolean refusesServiceTier(int status, String body) {
    return (status == 400 || status == 422) && body != null && body.contains("service_tier");
  }

  /** OpenAI's extended prompt-cache retention: cached prefixes kept up to a day instead of minutes. */
  static final String EXTENDED_RETENTION = "24h";

  /**
   * Models OpenAI documents as accepting {@code prompt_cache_retention: "24h"} (the gpt-5 and gpt-4.1
   * families); others get the default in-memory retention. A server that refuses it anyway is
   * asked again without it.
   */
  static boolean acceptsExtendedRetention(String model) {
    String m = model.toLowerCase(java.util.Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    return m.startsWith("gpt-5") || m.startsWith("gpt-4.1");
  }

  /** A 400 naming a request field: the server does not take that field (or that value of it). */
  static boolean refuses(int status, String body, String field) {
    return status == 400 && body != null && body.contains(field);
  }

  /** Reasoning models accept only their default temperature and say so with a 400 naming it. */
  static boolean refusesTemperature(int status, String body) {
    return status == 400 && body != null && body.contains("temperature")
        && (body.contains("nsupported") || body.contains("not support") || body.contains("does not support")
            || body.contains("Only the default"));
  }

  private static List<ChatCompletionContentPart> parts(List<ContentPart> parts) {
    List<ChatCompletionContentPart> out = new ArrayList<>(parts.size());
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        out.add(ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(t.text()).build()));
      } else if (part instanceof ContentPart.Image i) {
        out.add(
            ChatCompletionContentPart.ofImageUrl(
                ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(i.url()).build())
                    .build()));
      }
    }
    return out;
  }

  private static ResponseFormatJsonSchema jsonSchema(JsonNode schema) {
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder s = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    schema.fields().forEachRemaining(e -> s.putAdditionalProperty(e.getKey(), JsonValue.fromJsonNode(e.getValue())));
    return ResponseFormatJsonSchema.builder()
        .jsonSchema(
            ResponseFormatJsonSchema.JsonSchema.builder().name(SCHEMA_NAME).strict(true).schema(s.build()).build())
        .build();
  }

  static Map<String, List<String>> headers(Headers h) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : h.names()) {
      out.put(name, h.values(name));
    }
    return out;
  }

  static String body(OpenAIServiceException e) {
    try {
      JsonValue b = e.body();
      return b == null ? "" : Json.line(b.convert(JsonNode.class));
    } catch (RuntimeException ex) {
      return String.valueOf(e.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
