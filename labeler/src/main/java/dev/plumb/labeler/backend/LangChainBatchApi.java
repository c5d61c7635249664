package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.anthropic.AnthropicBatchChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.batch.BatchError;
import dev.langchain4j.model.batch.BatchItemResult;
import dev.langchain4j.model.batch.BatchPagination;
import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.chat.BatchChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GeminiBatchRequest;
import dev.langchain4j.model.googleai.GoogleAiGeminiBatchChatModel;
import dev.plumb.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Anthropic's Message Batches and Gemini's batch mode through LangChain4j 1.19
 * ({@link AnthropicBatchChatModel}, {@link GoogleAiGeminiBatchChatModel}): each request is the one
 * {@link LangChainBackend#chatRequest} builds for a synchronous call, which both models map exactly
 * as their synchronous models do; answers become replies through {@link LangChainBackend#reply}.
 *
 * <p>What differs from the OpenAI Batch API, and how plumb copes:
 *
 * <ul>
 *   <li>Requests go inline with the create call (there is no file upload): {@link #upload} only holds
 *       them in memory under a local id ({@code inline:<name>}) until {@link #create}.
 *   <li>LangChain4j numbers the requests itself ({@code custom_id} {@code request-0, request-1, ...}
 *       at Anthropic, the order of {@code inlinedResponses} at Gemini) and returns the results in
 *       submission order without the ids, so {@link #results(String, List)} maps them back by
 *       position. When the count differs from the submitted one the positions mean nothing, and every
 *       unit of the batch is reported unanswered (asked again) rather than given another's answer.
 *   <li>A Gemini batch is created with {@code displayName} = plumb's submission id, which
 *       {@link #find} looks for in the list of batches (read from the raw response: LangChain4j's
 *       list leaves the display name out). Anthropic's Message Batches carry no metadata at all, so
 *       an Anthropic batch whose id a crash hid cannot be recognised: {@link #find} says so by
 *       returning empty, and its units are submitted again (docs/labeler.md, "Batch mode").
 *   <li>Results exist only once the whole batch has ended; {@link #status} downloads them then (one
 *       call), and {@link #results} hands them out.
 * </ul>
 */
final class LangChainBatchApi implements BatchApi {
  /** Anthropic: 100,000 requests or 256 MB per batch. */
  private static final int ANTHROPIC_MAX_REQUESTS = 100_000;
  private static final long ANTHROPIC_MAX_BYTES = 200L << 20;
  /** Gemini: inline requests up to 20 MB in all (larger batches need a file, whose output LangChain4j 1.19 does not read). */
  private static final int GEMINI_MAX_REQUESTS = 50_000;
  private static final long GEMINI_MAX_BYTES = 16L << 20;
  private static final String INLINE = "inline:";

  /** Anthropic error types for which asking again cannot help. */
  private static final Set<String> ANTHROPIC_REJECTED = Set.of("invalid_request_error", "authentication_error",
      "permission_error", "not_found_error", "request_too_large");
  /** google.rpc.Code values for which asking again cannot help: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION, UNAUTHENTICATED. */
  private static final Set<Integer> GEMINI_REJECTED = Set.of(3, 5, 7, 9, 16);

  private final LangChainBackend backend;
  private final BatchChatModel model;
  private final Map<String, Map<String, ModelRequest>> inline = new ConcurrentHashMap<>();
  /** Ended batches' responses from {@link #status}, until {@link #results} takes them. */
  private final Map<String, BatchResponse<ChatResponse>> ended = new ConcurrentHashMap<>();

  LangChainBatchApi(LangChainBackend backend, String baseUrl) {
    this.backend = backend;
    CapturingHttpClient.Builder http = new CapturingHttpClient.Builder();
    boolean custom = baseUrl != null && !baseUrl.isBlank();
    this.model = switch (backend.provider) {
      case "anthropic" -> {
        AnthropicBatchChatModel.Builder b = AnthropicBatchChatModel.builder().httpClientBuilder(http)
            .apiKey(backend.key.reveal()).modelName(backend.model).maxRetries(0).timeout(backend.timeout);
        yield (custom ? b.baseUrl(baseUrl) : b).build();
      }
      case "gemini" -> {
        GoogleAiGeminiBatchChatModel.Builder b = GoogleAiGeminiBatchChatModel.builder();
        b.httpClientBuilder(http).apiKey(backend.key.reveal()).modelName(backend.model).timeout(backend.timeout);
        if (custom) {
          b.baseUrl(baseUrl);
        }
        yield b.build();
      }
      default -> throw new IllegalArgumentException("unknown langchain4j provider: " + backend.provider);
    };
  }

  private boolean anthropic() {
    return backend.provider.equals("anthropic");
  }

  @Override
  public int maxRequests() {
    return anthropic() ? ANTHROPIC_MAX_REQUESTS : GEMINI_MAX_REQUESTS;
  }

  @Override
  public long maxBytes() {
    return anthropic() ? ANTHROPIC_MAX_BYTES : GEMINI_MAX_BYTES;
  }

  @Override
  public String upload(String fileName, Map<String, ModelRequest> requests) {
    String id = INLINE + fileName;
    inline.put(id, new LinkedHashMap<>(requests));
    return id;
  }

  @Override
  public String create(String inputFileId, String submission) {
    Map<String, ModelRequest> requests = inline.remove(inputFileId);
    if (requests == null) {
      throw new IllegalStateException("no requests held for " + inputFileId);
    }
    Format f = backend.format.get();
    List<ChatRequest> chats = new ArrayList<>(requests.size());
    for (ModelRequest r : requests.values()) {
      ChatRequest c = backend.chatRequest(r, f);
      if (backend.cachesSystemBlock(r)) {
        // cache_control on the system block, as the synchronous call sends it
        c = ChatRequest.builder().messages(c.messages())
            .parameters(AnthropicChatRequestParameters.builder().overrideWith(c.parameters()).cacheSystemMessages(true).build())
            .build();
      }
      chats.add(c);
    }
    BatchResponse<ChatResponse> created = call(() -> model instanceof GoogleAiGeminiBatchChatModel g
        ? g.submit(GeminiBatchRequest.from(chats, submission))
        : model.submit(new BatchRequest<>(chats)));
    return created.batchId();
  }

  @Override
  public Optional<String> find(String submission) {
    if (anthropic()) {
      return Optional.empty(); // Message Batches carry no metadata to recognise a submission by
    }
    return call(() -> {
      model.list(new BatchPagination(100, null));
      CapturingHttpClient.Exchange x = CapturingHttpClient.last();
      JsonNode root;
      try {
        root = Json.mapper().readTree(x == null ? "{}" : x.body());
      } catch (IOException e) {
        return Optional.empty();
      }
      for (JsonNode op : root.path("operations")) {
        if (submission.equals(op.path("metadata").path("displayName").asText(null))) {
          return Optional.of(op.path("name").asText());
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public Status status(String batchId) {
    BatchResponse<ChatResponse> r = call(() -> model.retrieve(batchId));
    String state = switch (r.state()) {
      case PENDING -> "validating";
      case RUNNING -> "in_progress";
      case SUCCEEDED -> "completed";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
      case EXPIRED -> "expired";
      case UNSPECIFIED -> "unspecified";
    };
    List<String> errors = new ArrayList<>();
    long completed = 0;
    long failed = 0;
    List<BatchItemResult<ChatResponse>> results = r.results() == null ? List.of() : r.results();
    if (r.state() == dev.langchain4j.model.batch.BatchState.FAILED) {
      // a whole-batch failure comes as one error, not one per request
      for (BatchItemResult<ChatResponse> item : results) {
        if (!item.isSuccess()) {
          errors.add(message(item.error()));
        }
      }
    } else {
      for (BatchItemResult<ChatResponse> item : results) {
        if (item.isSuccess()) {
          completed++;
        } else {
          failed++;
        }
      }
    }
    boolean terminal = r.state().isTerminal();
    if (terminal) {
      ended.put(batchId, r);
    }
    return new Status(batchId, state, terminal ? completed + failed : 0, completed, failed,
        terminal && !results.isEmpty() && r.state() != dev.langchain4j.model.batch.BatchState.FAILED ? batchId : null,
        null, errors);
  }

  @Override
  public void cancel(String batchId) {
    call(() -> {
      model.cancel(batchId);
      return null;
    });
  }

  @Override
  public Map<String, Result> results(String batchId, List<String> customIds) {
    BatchResponse<ChatResponse> r = ended.remove(batchId);
    if (r == null) {
      r = call(() -> model.retrieve(batchId));
    }
    List<BatchItemResult<ChatResponse>> results = r.results() == null ? List.of() : r.results();
    Map<String, Result> out = new HashMap<>();
    if (results.size() != customIds.size()) {
      String why = "batch " + batchId + " returned " + results.size() + " results for " + customIds.size()
          + " requests, so which answer is whose is unknown";
      customIds.forEach(id -> out.put(id, new Result.Failed(true, why)));
      return out;
    }
    Format f = backend.format.get();
    for (int i = 0; i < results.size(); i++) {
      BatchItemResult<ChatResponse> item = results.get(i);
      out.put(customIds.get(i), item.isSuccess()
          ? new Result.Answered(LangChainBackend.reply(item.response(), RateLimits.NONE, f))
          : new Result.Failed(retryable(item.error()), message(item.error())));
    }
    return out;
  }

  /** Whether asking again may help: not for a request the provider rejected as such. */
  private boolean retryable(BatchError e) {
    if (e == null) {
      return true;
    }
    if (anthropic()) {
      return !ANTHROPIC_REJECTED.contains(anthropicType(e));
    }
    int code = e.code();
    boolean httpRejected = code >= 400 && code < 500 && code != 408 && code != 429;
    return !GEMINI_REJECTED.contains(code) && !httpRejected;
  }

  /** Anthropic's error type (LangChain4j puts it under {@code details[0].type}), else the result type ({@code canceled}, {@code expired}). */
  private static String anthropicType(BatchError e) {
    if (e.details() != null) {
      for (Map<String, Object> d : e.details()) {
        Object t = d.get("type");
        if (t != null) {
          return t.toString();
        }
      }
    }
    return String.valueOf(e.message());
  }

  private String message(BatchError e) {
    if (e == null) {
      return backend.provider + ": no answer and no error";
    }
    String text = anthropic()
        ? (anthropicType(e).equals(e.message()) ? e.message() : anthropicType(e) + ": " + e.message())
        : "code " + e.code() + ": " + e.message();
    return backend.key.redact(backend.provider + " " + text);
  }

  /** One exchange, its failure classified as the synchronous path classifies it, never carrying the key. */
  private <T> T call(Supplier<T> request) {
    CapturingHttpClient.reset();
    try {
      return request.get();
    } catch (RuntimeException e) {
      CapturingHttpClient.Exchange x = CapturingHttpClient.last();
      if (x != null && x.status() >= 400) {
        throw Failures.http(x.status(), RateLimits.parse(x.headers(), Instant.now()), x.body(), null, backend.provider,
            backend.model, backend.key);
      }
      if (x != null) {
        throw new BackendException(BackendException.Kind.TRANSIENT, x.status(),
            "unreadable response: " + backend.key.redact(e.getClass().getSimpleName() + ": " + e.getMessage()),
            RateLimits.NONE, e);
      }
      throw Failures.io(e, backend.timeout, backend.key);
    }
  }
}
