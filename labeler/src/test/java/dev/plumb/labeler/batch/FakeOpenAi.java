package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process OpenAI-compatible chat completions server on localhost, port 0, whose behaviour
 * per request is a function: tests script 429s, 5xx, slow answers, dropped connections and bad
 * answers with it.
 */
final class FakeOpenAi implements AutoCloseable {

  /** What to do with one request. */
  sealed interface Reply {}

  /** Answer 200 with this assistant content. */
  record Answer(String content, long delayMs, Map<String, String> headers, String finishReason) implements Reply {
    Answer(String content) {
      this(content, 0, Map.of(), "stop");
    }
  }

  /** Answer with an error status and JSON body. */
  record Error(int status, String body, Map<String, String> headers) implements Reply {}

  /** Close the connection without answering. */
  record Drop() implements Reply {}

  /** Any raw 200 body (malformed responses). */
  record Raw(String body) implements Reply {}

  interface Behaviour {
    Reply reply(JsonNode request, int n);
  }

  static {
    // the JDK server writes headers and body separately: without this, Nagle + delayed ACKs add 40 ms a request
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-openai");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger count = new AtomicInteger();
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour;

  FakeOpenAi(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.createContext("/v1/chat/completions", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** Every request answered with a valid "safe" answer. */
  static Behaviour alwaysSafe() {
    return (req, n) -> new Answer(FakePrompt.answerFor(schemaOf(req), "safe"));
  }

  static JsonNode schemaOf(JsonNode request) {
    JsonNode s = request.path("response_format").path("json_schema").path("schema");
    if (!s.isMissingNode()) {
      return s;
    }
    // json_object / text: the schema travels in a system message
    for (JsonNode m : request.path("messages")) {
      String c = m.path("content").asText("");
      int at = c.indexOf("JSON Schema:\n");
      if (at >= 0) {
        try {
          return Json.mapper().readTree(c.substring(at + 13));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("no schema in request");
  }

  void behaviour(Behaviour b) {
    this.behaviour = b;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int count() {
    return count.get();
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    JsonNode req = Json.mapper().readTree(body);
    requests.add(req);
    String auth = x.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    int n = count.incrementAndGet();
    Reply r = behaviour.reply(req, n);
    if (r instanceof Drop) {
      x.getHttpContext().getServer(); // nothing to send: close the socket under the client
      x.close();
      return;
    }
    if (r instanceof Error e) {
      e.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
      send(x, e.status(), e.body());
      return;
    }
    if (r instanceof Raw raw) {
      send(x, 200, raw.body());
      return;
    }
    Answer a = (Answer) r;
    if (a.delayMs() > 0) {
      try {
        Thread.sleep(a.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    send(x, 200, completion(a.content(), a.finishReason(), req));
  }

  static String completion(String content, String finishReason, JsonNode req) {
    ObjectNode c = Json.object();
    c.put("id", "chatcmpl-1");
    c.put("object", "chat.completion");
    c.put("created", 1700000000);
    c.put("model", req.path("model").asText("m"));
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    msg.put("content", content);
    msg.putNull("refusal");
    choice.put("finish_reason", finishReason);
    ObjectNode usage = c.putObject("usage");
    int in = Json.line(req.path("messages")).length() / 4;
    usage.put("prompt_tokens", in);
    usage.put("completion_tokens", content.length() / 4);
    usage.put("total_tokens", in + content.length() / 4);
    return Json.line(c);
  }

  static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
