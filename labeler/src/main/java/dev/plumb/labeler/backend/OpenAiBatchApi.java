package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.batches.BatchListParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import dev.plumb.core.Json;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The OpenAI Batch API ({@code /v1/files}, {@code /v1/batches}) through the official SDK's client
 * of an {@link OpenAiBackend}: the same base URL, key, timeout and request builder, so a batch
 * line's {@code body} is byte for byte the request a synchronous call would send. Any
 * OpenAI-compatible server that implements both endpoints works.
 *
 * <p>Reference: OpenAI, "Batch API" guide and API reference (input line {@code {custom_id, method,
 * url, body}}, output line {@code {id, custom_id, response: {status_code, body}, error}}).
 */
final class OpenAiBatchApi implements BatchApi {
  static final String ENDPOINT = "/v1/chat/completions";
  /** The metadata key that tags a batch with plumb's submission id. */
  static final String TAG = "plumb_submission";

  private final OpenAIClient client;
  private final OpenAiBackend backend;
  private final Secret key;

  OpenAiBatchApi(OpenAIClient client, OpenAiBackend backend, Secret key) {
    this.client = client;
    this.backend = backend;
    this.key = key;
  }

  @Override
  public String upload(String fileName, Map<String, ModelRequest> requests) {
    Format f = backend.currentFormat();
    StringBuilder jsonl = new StringBuilder();
    requests.forEach((customId, request) -> {
      ObjectNode line = Json.object();
      line.put("custom_id", customId);
      line.put("method", "POST");
      line.put("url", ENDPOINT);
      line.set("body", ObjectMappers.jsonMapper().valueToTree(backend.params(request, f)._body()));
      jsonl.append(Json.line(line)).append('\n');
    });
    byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    FileCreateParams params = FileCreateParams.builder()
        .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(bytes)).filename(fileName)
            .contentType("application/jsonl").build())
        .purpose(FilePurpose.BATCH)
        .build();
    return call(() -> client.files().create(params).id());
  }

  @Override
  public String create(String inputFileId, String submission) {
    BatchCreateParams params = BatchCreateParams.builder()
        .inputFileId(inputFileId)
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H)
        .metadata(BatchCreateParams.Metadata.builder().putAdditionalProperty(TAG, JsonValue.from(submission)).build())
        .build();
    return call(() -> client.batches().create(params).id());
  }

  @Override
  public Optional<String> find(String submission) {
    // the newest batches come first; a submission is looked for only right after a crash
    return call(() -> {
      for (Batch b : client.batches().list(BatchListParams.builder().limit(100).build()).data()) {
        JsonValue tag = b.metadata().map(m -> m._additionalProperties().get(TAG)).orElse(null);
        if (tag != null && submission.equals(tag.asString().orElse(null))) {
          return Optional.of(b.id());
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public Status status(String batchId) {
    Batch b = call(() -> client.batches().retrieve(batchId));
    List<String> errors = new ArrayList<>();
    b.errors().flatMap(Batch.Errors::data).ifPresent(list -> {
      for (BatchError e : list) {
        errors.add(key.redact(e.code().orElse("error") + ": " + e.message().orElse("")
            + e.line().map(l -> " (line " + l + ")").orElse("")));
      }
    });
    long total = b.requestCounts().map(c -> c.total()).orElse(0L);
    long completed = b.requestCounts().map(c -> c.completed()).orElse(0L);
    long failed = b.requestCounts().map(c -> c.failed()).orElse(0L);
    return new Status(b.id(), b.status().asString(), total, completed, failed, b.outputFileId().orElse(null),
        b.errorFileId().orElse(null), errors);
  }

  @Override
  public void cancel(String batchId) {
    call(() -> client.batches().cancel(batchId));
  }

  /** Every line carries its {@code custom_id}, so {@code customIds} is not needed. */
  @Override
  public Map<String, Result> results(String fileId, List<String> customIds) {
    Format f = backend.currentFormat();
    Map<String, Result> out = new LinkedHashMap<>();
    call(() -> {
      try (HttpResponse r = client.files().content(fileId);
          BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        int n = 0;
        for (String text; (text = in.readLine()) != null; ) {
          n++;
          if (text.isBlank()) {
            continue;
          }
          JsonNode line;
          try {
            line = Json.mapper().readTree(text);
          } catch (IOException e) {
            throw new BackendException(BackendException.Kind.TRANSIENT, 0,
                "file " + fileId + " line " + n + ": not JSON", RateLimits.NONE);
          }
          String customId = line.path("custom_id").asText(null);
          if (customId == null) {
            continue; // a line that names no request cannot be given to any unit
          }
          out.put(customId, result(line, f));
        }
        return null;
      } catch (IOException e) {
        throw new OpenAIIoException("reading file " + fileId + ": " + e.getMessage(), e);
      }
    });
    return out;
  }

  private Result result(JsonNode line, Format f) {
    JsonNode error = line.path("error");
    JsonNode response = line.path("response");
    if (error.isObject()) {
      // batch_expired, batch_cancelled and the like: the request never ran, asking again may help
      return new Result.Failed(true,
          key.redact(error.path("code").asText("error") + ": " + error.path("message").asText("")));
    }
    int status = response.path("status_code").asInt(0);
    JsonNode body = response.path("body");
    if (status == 200) {
      try {
        ChatCompletion completion = ObjectMappers.jsonMapper().treeToValue(body, ChatCompletion.class);
        return new Result.Answered(OpenAiBackend.reply(completion, RateLimits.NONE, f));
      } catch (IOException | OpenAIException e) {
        return new Result.Failed(true, "unreadable response in the batch output");
      }
    }
    BackendException e = Failures.http(status, RateLimits.NONE, Json.line(body), null, "openai", backend.model(), key);
    return new Result.Failed(e.kind() != BackendException.Kind.BAD_REQUEST, e.getMessage());
  }

  private <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (OpenAIServiceException e) {
      RateLimits limits = RateLimits.parse(OpenAiBackend.headers(e.headers()), Instant.now());
      throw Failures.http(e.statusCode(), limits, OpenAiBackend.body(e), null, "openai", backend.model(), key);
    } catch (OpenAIIoException e) {
      throw Failures.io(e, backend.timeout, key);
    } catch (OpenAIException e) {
      throw new BackendException(BackendException.Kind.TRANSIENT, 0,
          "unreadable response: " + key.redact(String.valueOf(e.getMessage())), RateLimits.NONE, e);
    }
  }
}
