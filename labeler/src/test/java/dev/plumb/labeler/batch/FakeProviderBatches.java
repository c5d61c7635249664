package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-process server on localhost, port 0, speaking the batch endpoints of Anthropic's Message
 * Batches API ({@code POST /v1/messages/batches}, {@code GET /v1/messages/batches/{id}},
 * {@code GET .../{id}/results} as JSON Lines in shuffled order, {@code POST .../{id}/cancel},
 * {@code GET /v1/messages/batches}) or Gemini's batch mode ({@code POST
 * /v1beta/models/{model}:batchGenerateContent} with inlined requests, {@code GET /v1beta/batches/{n}}
 * as a long-running operation, {@code POST /v1beta/batches/{n}:cancel}, {@code GET /v1beta/batches}),
 * as each provider documents them. Every request is answered by a {@link Answers} function of the
 * request's JSON; a {@link Plan} per created batch scripts how it ends.
 *
 * <p>Anthropic prompt caching is modelled: a request with {@code cache_control} on its system block
 * writes the system text's tokens (characters / 4) the first time this server sees that text and
 * reads them afterwards, reported as {@code cache_creation_input_tokens} / {@code
 * cache_read_input_tokens} beside {@code input_tokens} (which leaves both out, as Anthropic's does).
 */
final class FakeProviderBatches implements AutoCloseable {

  /** A request's answer: text, or a per-line error ({@code type} for Anthropic, {@code code} for Gemini). */
  record Line(String text, String errorType, int errorCode) {
    static Line answer(String text) {
      return new Line(text, null, 0);
    }
  }

  interface Answers {
    Line answer(JsonNode request);
  }

  /**
   * How the n-th created batch ends.
   *
   * @param end {@code completed}; {@code expired} (the second half of its requests expire);
   *     {@code cancelled} (cancelled by the provider: the second half never ran); {@code failed} (Gemini:
   *     the whole batch fails); {@code short} (a result line is missing)
   * @param dropCreateResponse the batch is created but the create call fails (a crash before its id is known)
   */
  record Plan(int pollsBeforeEnd, String end, boolean dropCreateResponse) {
    static Plan completed(int polls) {
      return new Plan(polls, "completed", false);
    }
  }

  private static final class Batch {
    final String id;
    final String displayName;
    final List<String> customIds = new ArrayList<>();
    final List<JsonNode> requests = new ArrayList<>();
    final Plan plan;
    int polls;
    boolean ended;
    boolean cancelled;

    Batch(String id, String displayName, Plan plan) {
      this.id = id;
      this.displayName = displayName;
      this.plan = plan;
    }
  }

  final String provider;
  private final HttpServer server;
  private final Answers answers;
  private final IntFunction<Plan> plans;
  private final Map<String, Batch> batches = new LinkedHashMap<>();
  private final java.util.Set<String> cachedSystems = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final AtomicInteger creates = new AtomicInteger();
  /** Every request submitted in a batch, in order (Anthropic: {@code params}; Gemini: {@code request}). */
  final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
  final List<String> keys = new CopyOnWriteArrayList<>();
  /** Bodies of synchronous calls ({@code POST /v1/messages}, {@code :generateContent}), answered by the same {@link Answers}. */
  final List<JsonNode> syncRequests = new CopyOnWriteArrayList<>();

  FakeProviderBatches(String provider, Answers answers, IntFunction<Plan> plans) throws IOException {
    this.provider = provider;
    this.answers = answers;
    this.plans = plans;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + (provider.equals("anthropic") ? "/v1" : "/v1beta");
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    try {
      String key = x.getRequestHeaders().getFirst(provider.equals("anthropic") ? "x-api-key" : "x-goog-api-key");
      keys.add(String.valueOf(key));
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      byte[] in = x.getRequestBody().readAllBytes();
      JsonNode body = in.length == 0 ? Json.object() : Json.mapper().readTree(in);
      if (provider.equals("anthropic")) {
        anthropic(x, method, path, body);
      } else {
        gemini(x, method, path, body);
      }
    } catch (RuntimeException e) {
      send(x, 500, "{\"error\":\"" + e + "\"}");
    }
  }

  // ---- Anthropic ------------------------------------------------------------------------------

  private void anthropic(HttpExchange x, String method, String path, JsonNode body) throws IOException {
    String prefix = "/v1/messages/batches";
    if (method.equals("POST") && path.equals("/v1/messages")) {
      syncRequests.add(body);
      send(x, 200, Json.line(anthropicMessage(body, answers.answer(body).text())));
    } else if (method.equals("POST") && path.equals(prefix)) {
      Plan plan = plans.apply(creates.incrementAndGet());
      Batch b = new Batch("msgbatch_" + creates.get(), null, plan);
      for (JsonNode r : body.path("requests")) {
        b.customIds.add(r.path("custom_id").asText());
        b.requests.add(r.path("params"));
        submitted.add(r.path("params"));
      }
      batches.put(b.id, b);
      if (plan.dropCreateResponse()) {
        send(x, 500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"connection lost\"}}");
        return;
      }
      send(x, 200, Json.line(anthropicBatch(b)));
    } else if (method.equals("GET") && path.equals(prefix)) {
      ObjectNode list = Json.object();
      ArrayNode data = list.putArray("data");
      List<Batch> all = new ArrayList<>(batches.values());
      Collections.reverse(all);
      all.forEach(b -> data.add(anthropicBatch(b)));
      list.put("has_more", false);
      send(x, 200, Json.line(list));
    } else if (method.equals("POST") && path.endsWith("/cancel")) {
      Batch b = batches.get(path.substring(prefix.length() + 1, path.length() - "/cancel".length()));
      b.cancelled = true;
      send(x, 200, Json.line(anthropicBatch(b)));
    } else if (method.equals("GET") && path.endsWith("/results")) {
      Batch b = batches.get(path.substring(prefix.length() + 1, path.length() - "/results".length()));
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < b.requests.size(); i++) {
        if (b.plan.end().equals("short") && i == b.requests.size() - 1) {
          continue;
        }
        ObjectNode line = Json.object();
        line.put("custom_id", b.customIds.get(i));
        ObjectNode result = line.putObject("result");
        boolean secondHalf = i >= b.requests.size() / 2;
        if (b.plan.end().equals("expired") && secondHalf) {
          result.put("type", "expired");
        } else if (b.plan.end().equals("cancelled") && secondHalf) {
          result.put("type", "canceled");
        } else {
          Line a = answers.answer(b.requests.get(i));
          if (a.errorType() != null) {
            result.put("type", "errored");
            ObjectNode err = result.putObject("error");
            err.put("type", "error");
            err.putObject("error").put("type", a.errorType()).put("message", "the request was refused: " + a.errorType());
          } else {
            result.put("type", "succeeded");
            result.set("message", anthropicMessage(b.requests.get(i), a.text()));
          }
        }
        lines.add(Json.line(line));
      }
      Collections.reverse(lines); // results may come in any order
      send(x, 200, String.join("\n", lines) + "\n");
    } else if (method.equals("GET") && path.startsWith(prefix + "/")) {
      Batch b = batches.get(path.substring(prefix.length() + 1));
      if (++b.polls >= b.plan.pollsBeforeEnd() || b.cancelled) {
        b.ended = true;
      }
      send(x, 200, Json.line(anthropicBatch(b)));
    } else {
      send(x, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no route " + path + "\"}}");
    }
  }

  private ObjectNode anthropicBatch(Batch b) {
    ObjectNode o = Json.object();
    o.put("id", b.id);
    o.put("type", "message_batch");
    o.put("processing_status", b.ended ? "ended" : b.cancelled ? "canceling" : "in_progress");
    ObjectNode counts = o.putObject("request_counts");
    counts.put("processing", b.ended ? 0 : b.requests.size());
    counts.put("succeeded", b.ended ? b.requests.size() : 0);
    o.put("created_at", "2026-12-07T10:00:00Z");
    o.put("expires_at", "2026-12-08T10:00:00Z");
    if (b.cancelled || b.plan.end().equals("cancelled")) {
      o.put("cancel_initiated_at", "2026-12-07T10:01:00Z");
    }
    if (b.ended) {
      o.put("ended_at", "2026-12-07T10:02:00Z");
      o.put("results_url", baseUrl() + "/messages/batches/" + b.id + "/results");
    }
    return o;
  }

  private ObjectNode anthropicMessage(JsonNode request, String text) {
    long all = Json.line(request.path("messages")).length() / 4 + Json.line(request.path("system")).length() / 4;
    long read = 0;
    long written = 0;
    JsonNode system = request.path("system");
    if (system.isArray() && !system.isEmpty() && system.get(system.size() - 1).has("cache_control")) {
      String text0 = Json.line(system);
      long tokens = text0.length() / 4;
      if (cachedSystems.add(text0)) {
        written = tokens;
      } else {
        read = tokens;
      }
    }
    ObjectNode m = Json.object();
    m.put("id", "msg_" + Math.abs(text.hashCode()));
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", request.path("model").asText());
    m.putArray("content").addObject().put("type", "text").put("text", text);
    m.put("stop_reason", "end_turn");
    ObjectNode usage = m.putObject("usage");
    usage.put("input_tokens", all - read - written);
    usage.put("output_tokens", text.length() / 4);
    usage.put("cache_read_input_tokens", read);
    usage.put("cache_creation_input_tokens", written);
    return m;
  }

  // ---- Gemini ---------------------------------------------------------------------------------

  private void gemini(HttpExchange x, String method, String path, JsonNode body) throws IOException {
    if (method.equals("POST") && path.endsWith(":generateContent")) {
      syncRequests.add(body);
      send(x, 200, Json.line(geminiResponse(body, answers.answer(body).text())));
    } else if (method.equals("POST") && path.endsWith(":batchGenerateContent")) {
      Plan plan = plans.apply(creates.incrementAndGet());
      JsonNode batch = body.path("batch");
      Batch b = new Batch("batches/b" + creates.get(), batch.path("display_name").asText(null), plan);
      for (JsonNode r : batch.path("input_config").path("requests").path("requests")) {
        b.requests.add(r.path("request"));
        submitted.add(r.path("request"));
      }
      batches.put(b.id, b);
      if (plan.dropCreateResponse()) {
        send(x, 500, "{\"error\":{\"code\":500,\"message\":\"connection lost\",\"status\":\"INTERNAL\"}}");
        return;
      }
      send(x, 200, Json.line(operation(b)));
    } else if (method.equals("GET") && path.equals("/v1beta/batches")) {
      ObjectNode list = Json.object();
      ArrayNode ops = list.putArray("operations");
      List<Batch> all = new ArrayList<>(batches.values());
      Collections.reverse(all);
      all.forEach(b -> ops.add(operation(b)));
      send(x, 200, Json.line(list));
    } else if (method.equals("POST") && path.endsWith(":cancel")) {
      Batch b = batches.get(path.substring("/v1beta/".length(), path.length() - ":cancel".length()));
      b.cancelled = true;
      send(x, 200, "{}");
    } else if (method.equals("GET") && path.startsWith("/v1beta/batches/")) {
      Batch b = batches.get(path.substring("/v1beta/".length()));
      if (++b.polls >= b.plan.pollsBeforeEnd() || b.cancelled) {
        b.ended = true;
      }
      send(x, 200, Json.line(operation(b)));
    } else {
      send(x, 404, "{\"error\":{\"code\":404,\"message\":\"no route " + path + "\",\"status\":\"NOT_FOUND\"}}");
    }
  }

  private ObjectNode operation(Batch b) {
    ObjectNode o = Json.object();
    o.put("name", b.id);
    ObjectNode meta = o.putObject("metadata");
    meta.put("@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch");
    meta.put("model", "models/gemini-2.5-flash");
    if (b.displayName != null) {
      meta.put("displayName", b.displayName);
    }
    String end = b.plan.end();
    String state = !b.ended ? "BATCH_STATE_RUNNING"
        : b.cancelled || end.equals("cancelled") ? "BATCH_STATE_CANCELLED"
        : end.equals("failed") ? "BATCH_STATE_FAILED"
        : end.equals("expired") ? "BATCH_STATE_EXPIRED" : "BATCH_STATE_SUCCEEDED";
    meta.put("state", state);
    meta.put("name", b.id);
    o.put("done", b.ended);
    if (!b.ended) {
      return o;
    }
    if (end.equals("failed")) {
      o.putObject("error").put("code", 3).put("message", "the input could not be read");
      return o;
    }
    if (end.equals("expired") || (end.equals("cancelled") && b.cancelled)) {
      return o; // nothing ran: no responses
    }
    ObjectNode response = o.putObject("response");
    response.put("@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput");
    ArrayNode lines = response.putObject("inlinedResponses").putArray("inlinedResponses");
    for (int i = 0; i < b.requests.size(); i++) {
      if (end.equals("short") && i == b.requests.size() - 1) {
        continue;
      }
      Line a = answers.answer(b.requests.get(i));
      ObjectNode w = lines.addObject();
      if (a.errorType() != null) {
        w.putObject("error").put("code", a.errorCode()).put("message", "the request was refused: " + a.errorType());
        continue;
      }
      w.set("response", geminiResponse(b.requests.get(i), a.text()));
    }
    return o;
  }

  /**
   * Gemini's implicit caching as the usage reports it: a request whose system instruction an
   * earlier request already sent reads it from the cache ({@code cachedContentTokenCount}, a part
   * of {@code promptTokenCount}); the first one is charged in full (no write premium at Gemini).
   */
  private ObjectNode geminiResponse(JsonNode request, String text) {
    ObjectNode r = Json.object();
    ObjectNode cand = r.putArray("candidates").addObject();
    cand.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);
    cand.put("finishReason", "STOP");
    ObjectNode usage = r.putObject("usageMetadata");
    long prompt = Json.line(request).length() / 4;
    JsonNode system = request.path("systemInstruction");
    if (!system.isMissingNode() && !cachedSystems.add("gemini " + Json.line(system))) {
      usage.put("cachedContentTokenCount", Json.line(system).length() / 4);
    }
    usage.put("promptTokenCount", prompt);
    usage.put("candidatesTokenCount", text.length() / 4);
    usage.put("totalTokenCount", prompt + text.length() / 4);
    return r;
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
