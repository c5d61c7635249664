package dev.plumb.labeler.backend;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Anthropic and Gemini through LangChain4j, with the same behaviour and output as the OpenAI backend. */
final class LangChainBackend extends RemoteBackend {
  private final ChatModel chat;
  /** Anthropic with {@code cache_control} on the system block; {@code chat} itself for Gemini (its caching is implicit). */
  private final ChatModel cachingChat;
  /** Cleared for the rest of the run when the server refuses {@code cache_control}. */
  private final java.util.concurrent.atomic.AtomicBoolean promptCache = new java.util.concurrent.atomic.AtomicBoolean(true);

  private final String baseUrl;

  LangChainBackend(String provider, String model, String baseUrl, Secret key, Duration timeout, Consumer<String> notices) {
    super(provider, model, key, timeout, notices);
    this.baseUrl = baseUrl;
    CapturingHttpClient.Builder http = new CapturingHttpClient.Builder();
    switch (provider) {
      case "anthropic" -> {
        this.chat = anthropic(http, model, baseUrl, false);
        this.cachingChat = anthropic(http, model, baseUrl, true);
      }
      case "gemini" -> {
        GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder b =
            GoogleAiGeminiChatModel.builder()
                .httpClientBuilder(http)
                .apiKey(key.reveal())
                .modelName(model)
                .maxRetries(0)
                .timeout(timeout);
        if (baseUrl != null && !baseUrl.isBlank()) {
          b.baseUrl(baseUrl);
        }
        // Gemini 2.5 caches repeated prefixes implicitly; LangChain4j 1.19 exposes no explicit cache
        this.chat = b.build();
        this.cachingChat = chat;
      }
      default -> throw new IllegalArgumentException("unknown langchain4j provider: " + provider);
    }
  }

  private ChatModel anthropic(CapturingHttpClient.Builder http, String model, String baseUrl, boolean cacheSystem) {
    AnthropicChatModel.AnthropicChatModelBuilder b =
        AnthropicChatModel.builder()
            .httpClientBuilder(http)
            .apiKey(key.reveal())
            .modelName(model)
            .maxRetries(0) // plumb's scheduler is the only retry loop
            .timeout(timeout)
            // cache_control {"type":"ephemeral"} on the system block: the unified prompt's static part
            .cacheSystemMessages(cacheSystem);
    if (baseUrl != null && !baseUrl.isBlank()) {
      b.baseUrl(baseUrl);
    }
    return b.build();
  }

  @Override
  public String name() {
    return "langchain4j";
  }

  /** LangChain4j's Message Batches (Anthropic) or batch mode (Gemini), made once and shared. */
  private LangChainBatchApi batchApi;

  @Override
  public synchronized java.util.Optional<BatchApi> batchApi() {
    if (batchApi == null) {
      batchApi = new LangChainBatchApi(this, baseUrl);
    }
    return java.util.Optional.of(batchApi);
  }

  /** Whether {@code request} goes with {@code cache_control} on its system block (Anthropic, caching asked for and not refused). */
  boolean cachesSystemBlock(ModelRequest request) {
    return provider.equals("anthropic") && request.promptCacheKey() != null && promptCache.get();
  }

  @Override
  public ModelReply call(ModelRequest request) {
    while (true) {
      Format f = format.get();
      CapturingHttpClient.reset();
      ChatResponse response;
      boolean caching = request.promptCacheKey() != null && promptCache.get();
      try {
        response = (caching ? cachingChat : chat).chat(chatRequest(request, f));
      } catch (RuntimeException e) {
        CapturingHttpClient.Exchange x = CapturingHttpClient.last();
        if (x != null && caching && cachingChat != chat && x.status() == 400 && x.body() != null
            && x.body().contains("cache_control")) {
          if (promptCache.compareAndSet(true, false)) {
            notices.accept(provider + " refused cache_control on the system message; sending none for the rest of the run");
          }
          continue;
        }
        if (x != null && x.status() >= 400) {
          if (f != Format.TEXT && Failures.refusesFormat(x.status(), x.body(), f.wire)) {
            Format.stepDown(format, f, provider, notices);
            continue;
          }
          RateLimits limits = RateLimits.parse(x.headers(), Instant.now());
          throw Failures.http(x.status(), limits, x.body(), null, provider, model, key);
        }
        if (x != null) {
          // a 2xx the provider module could not read: the server misbehaved, a retry may help
          throw new BackendException(
              BackendException.Kind.TRANSIENT, x.status(),
              "unreadable response: " + key.redact(e.getClass().getSimpleName() + ": " + e.getMessage()), RateLimits.NONE, e);
        }
        if (f == Format.JSON_SCHEMA && isSchemaMappingFailure(e)) {
          // the provider module could not express the schema: same remedy as a server refusal
          Format.stepDown(format, f, provider, notices);
          continue;
        }
        throw Failures.io(e, timeout, key);
      }
      CapturingHttpClient.Exchange x = CapturingHttpClient.last();
      RateLimits limits = x == null ? RateLimits.NONE : RateLimits.parse(x.headers(), Instant.now());
      return reply(response, limits, f);
    }
  }

  /** A LangChain4j answer as plumb's reply: text, refusal, truncation and every prompt token (see {@link #inputTokens}). */
  static ModelReply reply(ChatResponse response, RateLimits limits, Format f) {
    String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    TokenUsage usage = response.tokenUsage();
    long[] in = inputTokens(usage);
    long out = usage == null || usage.outputTokenCount() == null ? -1 : usage.outputTokenCount();
    FinishReason reason = response.finishReason();
    String refusal = reason == FinishReason.CONTENT_FILTER ? "the provider's safety filter stopped the answer" : null;
    return new ModelReply(text, refusal, reason == FinishReason.LENGTH, in[0], out, limits, f.wire, in[1], in[2]);
  }

  /**
   * All prompt tokens, those read from the cache, those written to it. Anthropic's
   * {@code input_tokens} (LangChain4j's input count) leaves out both cache reads and cache writes,
   * so they are added back; Gemini's {@code promptTokenCount} already includes its cached tokens.
   */
  static long[] inputTokens(TokenUsage usage) {
    if (usage == null || usage.inputTokenCount() == null) {
      return new long[] {-1, 0, 0};
    }
    long in = usage.inputTokenCount();
    if (usage instanceof AnthropicTokenUsage a) {
      long read = a.cacheReadInputTokens() == null ? 0 : a.cacheReadInputTokens();
      long write = a.cacheCreationInputTokens() == null ? 0 : a.cacheCreationInputTokens();
      return new long[] {in + read + write, read, write};
    }
    if (usage instanceof GoogleAiGeminiTokenUsage g) {
      return new long[] {in, g.cachedContentTokenCount() == null ? 0 : g.cachedContentTokenCount(), 0};
    }
    return new long[] {in, 0, 0};
  }

  private static boolean isSchemaMappingFailure(RuntimeException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException
            || e.getClass().getSimpleName().contains("Unsupported"))
        && (m.contains("schema") || m.contains("response format") || m.contains("responseformat"));
  }

  /** The LangChain4j request for {@code request} in response format {@code f} (shared with batch mode). */
  ChatRequest chatRequest(ModelRequest request, Format f) {
    List<dev.langchain4j.data.message.ChatMessage> messages = new ArrayList<>();
    for (ChatMessage m : f.messages(request.messages(), request.schema())) {
      switch (m.role()) {
        case SYSTEM -> messages.add(SystemMessage.from(m.text()));
        case ASSISTANT -> messages.add(AiMessage.from(m.text()));
        case USER -> messages.add(UserMessage.from(contents(m.parts())));
      }
    }
    ChatRequest.Builder b = ChatRequest.builder().messages(messages).maxOutputTokens(request.maxOutputTokens());
    if (request.temperature() != null) {
      b.temperature(request.temperature());
    }
    switch (request.schema() == null ? Format.TEXT : f) { // no schema: a free-text answer
      case JSON_SCHEMA -> b.responseFormat(
          ResponseFormat.builder()
              .type(ResponseFormatType.JSON)
              .jsonSchema(
                  JsonSchema.builder()
                      .name(OpenAiBackend.SCHEMA_NAME)
                      .rootElement(JsonRawSchema.from(Json.line(request.schema())))
                      .build())
              .build());
      case JSON_OBJECT -> b.responseFormat(ResponseFormat.JSON);
      case TEXT -> {}
    }
    return b.build();
  }

  private static List<Content> contents(List<ContentPart> parts) {
    List<Content> out = new ArrayList<>(parts.size());
    for (ContentPart p : parts) {
      if (p instanceof ContentPart.Text t) {
        out.add(TextContent.from(t.text()));
      } else if (p instanceof ContentPart.Image i) {
        out.add(image(i.url()));
      }
    }
    return out;
  }

  /** A {@code data:} URL becomes inline base64 (what Anthropic and Gemini take); anything else a URL. */
  static ImageContent image(String url) {
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = url.substring(5, comma < 0 ? url.length() : comma);
      String mime = meta.contains(";") ? meta.substring(0, meta.indexOf(';')) : meta;
      return ImageContent.from(url.substring(comma + 1), mime.isEmpty() ? "image/png" : mime);
    }
    return ImageContent.from(url);
  }

  @Override
  public void close() {
    // java.net.http clients release their resources when unreachable
  }
}
