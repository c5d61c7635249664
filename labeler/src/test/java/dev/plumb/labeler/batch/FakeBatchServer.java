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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-process OpenAI-compatible server on localhost, port 0, serving the Batch API the way
 * OpenAI documents it — {@code POST /v1/files} (multipart, purpose batch), {@code GET
 * /v1/files/{id}/content}, {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET
 * /v1/batches}, {@code POST /v1/batches/{id}/cancel} — and {@code /v1/chat/completions} for the
 * synchronous path, both answering each request body through the same {@link FakeOpenAi.Behaviour}.
 * A {@link Plan} per created batch scripts how it ends: after some polls, completed, expired (the
 * second half of the lines in the error file as {@code batch_expired}), cancelled (the second half
 * in neither file), or failed as a whole.
 */
final class FakeBatchServer implements AutoCloseable {

  /** How the n-th created batch (1-based) behaves. */
  record Plan(int pollsBeforeEnd, String end, boolean dropCreateResponse) {
    static Plan completed(int polls) {
      return new Plan(polls, "completed", false);
    }
  }

  private static final class Batch {
    final String id;
    final String inputFile;
    final Plan plan;
    final JsonNode metadata;
    final long created = 1_700_000_000L;
    String status = "validating";
    int polls;
    String output;
    String error;
    long total;
    long completed;
    long failed;

    Batch(String id, String inputFile, Plan plan, JsonNode metadata) {
      this.id = id;
      this.inputFile = inputFile;
      this.plan = plan;
      this.metadata = metadata;
    }
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-batch");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Batch> batches = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger batchIds = new AtomicInteger();
  private final AtomicInteger lineCount = new AtomicInteger();
  final List<String> uploadedNames = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Every input line uploaded ({@code custom_id, method, url, body}). */
  final List<JsonNode> inputLines = new CopyOnWriteArrayList<>();
  /** Bodies of synchronous chat completion calls. */
  final List<JsonNode> syncRequests = new CopyOnWriteArrayList<>();
  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger cancels = new AtomicInteger();
  private final FakeOpenAi.Behaviour behaviour;
  private final IntFunction<Plan> plans;
  /** When set, every batch endpoint answers 401 echoing the key it was sent, as a careless server might. */
  volatile boolean refuseKey;

  FakeBatchServer(FakeOpenAi.Behaviour behaviour, IntFunction<Plan> plans) throws IOException {
    this.behaviour = behaviour;
    this.plans = plans;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  synchronized List<String> batchIds() {
    return new ArrayList<>(batches.keySet());
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    byte[] body = x.getRequestBody().readAllBytes();
    if (refuseKey && !path.equals("/v1/chat/completions")) {
      send(x, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + (auth == null ? "" : auth.substring(7))
          + "\",\"code\":\"invalid_api_key\"}}");
    } else if (path.equals("/v1/chat/completions")) {
      JsonNode req = Json.mapper().readTree(body);
      syncRequests.add(req);
      FakeOpenAi.Reply r = behaviour.reply(req, lineCount.incrementAndGet());
      if (r instanceof FakeOpenAi.Error e) {
        send(x, e.status(), e.body());
      } else {
        FakeOpenAi.Answer a = (FakeOpenAi.Answer) r;
        send(x, 200, FakeOpenAi.completion(a.content(), a.finishReason(), req));
      }
    } else if (path.equals("/v1/files") && method.equals("POST")) {
      upload(x, body);
    } else if (path.startsWith("/v1/files/") && path.endsWith("/content")) {
      byte[] f = files.get(path.substring("/v1/files/".length(), path.length() - "/content".length()));
      if (f == null) {
        send(x, 404, "{\"error\":{\"message\":\"No such File object\"}}");
      } else {
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        x.sendResponseHeaders(200, f.length);
        try (OutputStream o = x.getResponseBody()) {
          o.write(f);
        }
      }
    } else if (path.equals("/v1/batches") && method.equals("POST")) {
      JsonNode req = Json.mapper().readTree(body);
      Plan plan = plans.apply(creates.incrementAndGet());
      Batch b = new Batch("batch_" + batchIds.incrementAndGet(), req.path("input_file_id").asText(), plan, req.path("metadata"));
      if (!files.containsKey(b.inputFile) || !req.path("endpoint").asText().equals("/v1/chat/completions")
          || !req.path("completion_window").asText().equals("24h")) {
        send(x, 400, "{\"error\":{\"message\":\"bad batch request\"}}");
        return;
      }
      batches.put(b.id, b);
      if (plan.dropCreateResponse()) {
        x.close(); // the batch exists, the client never hears of it
        return;
      }
      send(x, 200, Json.line(json(b)));
    } else if (path.equals("/v1/batches") && method.equals("GET")) {
      ObjectNode list = Json.object();
      list.put("object", "list");
      ArrayNode data = list.putArray("data");
      List<Batch> all = new ArrayList<>(batches.values());
      java.util.Collections.reverse(all); // newest first, as OpenAI lists them
      all.forEach(b -> data.add(json(b)));
      list.put("has_more", false);
      send(x, 200, Json.line(list));
    } else if (path.startsWith("/v1/batches/") && path.endsWith("/cancel")) {
      Batch b = batches.get(path.substring("/v1/batches/".length(), path.length() - "/cancel".length()));
      cancels.incrementAndGet();
      b.status = "cancelling";
      send(x, 200, Json.line(json(b)));
    } else if (path.startsWith("/v1/batches/")) {
      Batch b = batches.get(path.substring("/v1/batches/".length()));
      if (b == null) {
        send(x, 404, "{\"error\":{\"message\":\"No such batch\"}}");
        return;
      }
      advance(b);
      send(x, 200, Json.line(json(b)));
    } else {
      send(x, 404, "{\"error\":{\"message\":\"unknown endpoint " + path + "\"}}");
    }
  }

  private void advance(Batch b) {
    if (isTerminal(b.status)) {
      return;
    }
    b.polls++;
    if (b.status.equals("cancelling")) {
      finish(b, "cancelled");
    } else if (b.polls > b.plan.pollsBeforeEnd()) {
      finish(b, b.plan.end());
    } else {
      b.status = "in_progress";
    }
  }

  private static boolean isTerminal(String s) {
    return s.equals("completed") || s.equals("expired") || s.equals("cancelled") || s.equals("failed");
  }

  private void finish(Batch b, String end) {
    b.status = end;
    if (end.equals("failed")) {
      return; // no files: the whole input was rejected
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String l : new String(files.get(b.inputFile), StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        try {
          lines.add(Json.mapper().readTree(l));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    b.total = lines.size();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    int run = end.equals("completed") ? lines.size() : lines.size() / 2;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      ObjectNode o = Json.object();
      o.put("id", "batch_req_" + ids.incrementAndGet());
      o.put("custom_id", line.path("custom_id").asText());
      if (i >= run) {
        if (end.equals("expired")) {
          o.putNull("response");
          o.putObject("error").put("code", "batch_expired")
              .put("message", "This request could not be executed before the completion window expired.");
          err.append(Json.line(o)).append('\n');
          b.failed++;
        }
        continue; // cancelled: never ran, in neither file
      }
      FakeOpenAi.Reply r = behaviour.reply(line.path("body"), lineCount.incrementAndGet());
      ObjectNode resp = o.putObject("response");
      resp.put("request_id", "req_" + i);
      if (r instanceof FakeOpenAi.Error e) {
        resp.put("status_code", e.status());
        try {
          resp.set("body", Json.mapper().readTree(e.body()));
        } catch (IOException ex) {
          throw new IllegalStateException(ex);
        }
        o.putNull("error");
        err.append(Json.line(o)).append('\n');
        b.failed++;
      } else {
        FakeOpenAi.Answer a = (FakeOpenAi.Answer) r;
        resp.put("status_code", 200);
        try {
          resp.set("body", Json.mapper().readTree(FakeOpenAi.completion(a.content(), a.finishReason(), line.path("body"))));
        } catch (IOException ex) {
          throw new IllegalStateException(ex);
        }
        o.putNull("error");
        out.append(Json.line(o)).append('\n');
        b.completed++;
      }
    }
    if (out.length() > 0) {
      b.output = "file-out-" + ids.incrementAndGet();
      files.put(b.output, out.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (err.length() > 0) {
      b.error = "file-err-" + ids.incrementAndGet();
      files.put(b.error, err.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private ObjectNode json(Batch b) {
    ObjectNode n = Json.object();
    n.put("id", b.id);
    n.put("object", "batch");
    n.put("endpoint", "/v1/chat/completions");
    n.put("input_file_id", b.inputFile);
    n.put("completion_window", "24h");
    n.put("status", b.status);
    n.put("created_at", b.created);
    if (b.output != null) {
      n.put("output_file_id", b.output);
    }
    if (b.error != null) {
      n.put("error_file_id", b.error);
    }
    ObjectNode counts = n.putObject("request_counts");
    counts.put("total", b.total);
    counts.put("completed", b.completed);
    counts.put("failed", b.failed);
    if (b.metadata.isObject()) {
      n.set("metadata", b.metadata);
    }
    if (b.status.equals("failed")) {
      ObjectNode errors = n.putObject("errors");
      errors.put("object", "list");
      errors.putArray("data").addObject().put("code", "invalid_json_line").put("message", "line 1 is not valid").put("line", 1);
    }
    return n;
  }

  private void upload(HttpExchange x, byte[] body) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    String boundary = "--" + type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
    String all = new String(body, StandardCharsets.ISO_8859_1);
    String purpose = null;
    String name = null;
    byte[] content = null;
    for (String part : all.split(java.util.regex.Pattern.quote(boundary))) {
      int split = part.indexOf("\r\n\r\n");
      if (split < 0) {
        continue;
      }
      String headers = part.substring(0, split);
      String value = part.substring(split + 4);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      }
      if (headers.contains("name=\"purpose\"")) {
        purpose = value;
      } else if (headers.contains("name=\"file\"")) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
        name = m.find() ? m.group(1) : "";
        content = value.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    if (!"batch".equals(purpose) || content == null) {
      send(x, 400, "{\"error\":{\"message\":\"expected a file with purpose batch\"}}");
      return;
    }
    String id = "file-" + ids.incrementAndGet();
    files.put(id, content);
    uploadedNames.add(name);
    for (String l : new String(content, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        inputLines.add(Json.mapper().readTree(l));
      }
    }
    ObjectNode f = Json.object();
    f.put("id", id);
    f.put("object", "file");
    f.put("bytes", content.length);
    f.put("created_at", 1_700_000_000L);
    f.put("filename", name);
    f.put("purpose", "batch");
    f.put("status", "processed");
    send(x, 200, Json.line(f));
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    FakeOpenAi.send(x, status, body);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
