package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An in-process server that answers OpenAI chat completions ({@code /v1/chat/completions}) and
 * Anthropic messages ({@code /v1/messages}) and reports prompt-cache usage the way the providers
 * do, so cache accounting is tested without a network.
 *
 * <p>Tokens here are 4-character chunks of the prompt. OpenAI shape: the prompt is the response
 * schema then the messages; {@code cached_tokens} is the longest prefix seen before under the same
 * {@code prompt_cache_key}, in 128-token steps, counted only from 1,024 tokens (OpenAI, "Prompt
 * caching"). Anthropic shape: a system block marked {@code cache_control} is read from the cache
 * ({@code cache_read_input_tokens}) when the same block was written before, else written
 * ({@code cache_creation_input_tokens}) when it has at least 1,024 tokens; {@code input_tokens}
 * is the rest, as Anthropic reports it. Optionally refuses a request field with a 400 naming it.
 */
final class CachingServer implements AutoCloseable {
  static final int STEP = 128;
  static final int MINIMUM = 1024;

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "caching-server");
    t.setDaemon(true);
    return t;
  });
  /** OpenAI: prefixes (at 128-token boundaries) seen per cache key. */
  private final ConcurrentHashMap<String, Set<String>> prefixes = new ConcurrentHashMap<>();
  /** Anthropic: system blocks written to the cache. */
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> keys = new CopyOnWriteArrayList<>();
  /** What each answered request reported: prompt tokens (all), cached, cache-write, output. */
  final List<long[]> usages = new CopyOnWriteArrayList<>();
  private final Function<JsonNode, String> answer;
  /** A request field the server refuses with a 400 naming it (null: none). */
  volatile String refuse;

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** @param answer the assistant text for a request's JSON Schema */
  CachingServer(Function<JsonNode, String> answer) throws IOException {
    this.answer = answer;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/chat/completions", x -> handle(x, true));
    server.createContext("/v1/messages", x -> handle(x, false));
    server.setExecutor(pool);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  static long tokens(String text) {
    return (text.length() + 3) / 4;
  }

  private void handle(HttpExchange x, boolean openai) throws IOException {
    JsonNode req = Json.mapper().readTree(x.getRequestBody().readAllBytes());
    requests.add(req);
    keys.add(openai ? x.getRequestHeaders().getFirst("Authorization") : x.getRequestHeaders().getFirst("x-api-key"));
    String refused = refuse;
    if (refused != null && req.has(refused)) {
      FakeOpenAi.send(x, 400, "{\"error\":{\"message\":\"Unrecognized request argument supplied: " + refused
          + "\",\"type\":\"invalid_request_error\",\"param\":\"" + refused + "\",\"code\":null}}");
      return;
    }
    FakeOpenAi.send(x, 200, openai ? openai(req) : anthropic(req));
  }

  private String openai(JsonNode req) {
    JsonNode schema = req.path("response_format").path("json_schema").path("schema");
    StringBuilder prompt = new StringBuilder(Json.line(schema));
    for (JsonNode m : req.path("messages")) {
      prompt.append(m.path("role").asText()).append('\n').append(text(m.path("content"))).append('\n');
    }
    String p = prompt.toString();
    long total = tokens(p);
    Set<String> seen = prefixes.computeIfAbsent(req.path("prompt_cache_key").asText(""), k -> ConcurrentHashMap.newKeySet());
    long cached = 0;
    for (long t = total / STEP * STEP; t >= MINIMUM; t -= STEP) {
      if (seen.contains(p.substring(0, (int) Math.min(p.length(), t * 4)))) {
        cached = t;
        break;
      }
    }
    for (long t = MINIMUM; t <= total / STEP * STEP; t += STEP) {
      seen.add(p.substring(0, (int) Math.min(p.length(), t * 4)));
    }
    String content = answer.apply(schema);
    // FakeOpenAi's completion, with this server's token counts
    ObjectNode c;
    try {
      c = (ObjectNode) Json.mapper().readTree(FakeOpenAi.completion(content, "stop", req));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode usage = (ObjectNode) c.get("usage");
    usage.put("prompt_tokens", total);
    usage.put("completion_tokens", tokens(content));
    usage.put("total_tokens", total + tokens(content));
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
    usages.add(new long[] {total, cached, 0, tokens(content)});
    return Json.line(c);
  }

  private String anthropic(JsonNode req) {
    long total = 0;
    long read = 0;
    long write = 0;
    JsonNode system = req.path("system");
    for (JsonNode block : system.isArray() ? system : List.<JsonNode>of()) {
      String t = block.path("text").asText("");
      long n = tokens(t);
      total += n;
      if (block.has("cache_control") && n >= MINIMUM) {
        if (written.contains(t)) {
          read += n;
        } else {
          written.add(t);
          write += n;
        }
      }
    }
    if (system.isTextual()) {
      total += tokens(system.asText());
    }
    for (JsonNode m : req.path("messages")) {
      total += tokens(text(m.path("content")));
    }
    JsonNode schema = req.path("output_config").path("format").path("schema");
    total += tokens(Json.line(schema));
    String content = answer.apply(schema);
    ObjectNode c = Json.object();
    c.put("id", "msg_1");
    c.put("type", "message");
    c.put("role", "assistant");
    c.put("model", req.path("model").asText("m"));
    c.putArray("content").addObject().put("type", "text").put("text", content);
    c.put("stop_reason", "end_turn");
    ObjectNode usage = c.putObject("usage");
    usage.put("input_tokens", total - read - write); // Anthropic's input_tokens leave cache reads and writes out
    usage.put("output_tokens", tokens(content));
    usage.put("cache_creation_input_tokens", write);
    usage.put("cache_read_input_tokens", read);
    usages.add(new long[] {total, read, write, tokens(content)});
    return Json.line(c);
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      sb.append(part.path("text").asText(""));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
