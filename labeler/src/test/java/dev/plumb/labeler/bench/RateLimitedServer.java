package dev.plumb.labeler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat completions server that enforces a requests/minute and a
 * tokens/minute limit the way the hosted API does: each limit is a bucket that refills
 * continuously (limit/60 per second) with the minute's capacity, and is also enforced per second
 * (a second bucket holding one second's worth), so a client that bursts its minute budget gets
 * 429s. A request is charged its characters / 4 plus {@code max_completion_tokens} when it
 * arrives. Every response carries {@code x-ratelimit-*} headers; a 429 carries
 * {@code retry-after-ms}. Answers take 300-1500 ms (uniform); a configurable share fail with a
 * 500, a dropped connection or a hang past the client's timeout.
 */
final class RateLimitedServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(400, r -> {
    Thread t = new Thread(r, "bench-server");
    t.setDaemon(true);
    return t;
  });
  private final double rpm;
  private final double tpm;
  private final double failureRate;
  private final long hangMillis;
  private final Function<JsonNode, String> answer;
  private final Random random = new Random(1);

  // buckets: minute scale (capacity = limit) and second scale (capacity = limit / 60)
  private double reqMinute;
  private double tokMinute;
  private double reqSecond;
  private double tokSecond;
  private long last = System.nanoTime();

  final AtomicLong total = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong chargedTokens = new AtomicLong();
  private long[] accepted = new long[1 << 14];
  private int acceptedCount;

  RateLimitedServer(double rpm, double tpm, double failureRate, long hangMillis, Function<JsonNode, String> answer)
      throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.rpm = rpm;
    this.tpm = tpm;
    this.failureRate = failureRate;
    this.hangMillis = hangMillis;
    this.answer = answer;
    this.reqMinute = rpm;
    this.tokMinute = tpm;
    this.reqSecond = rpm / 60;
    this.tokSecond = tpm / 60;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext("/v1/chat/completions", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Arrival times (nanos) of the requests that were not rate limited. */
  synchronized long[] acceptedTimes() {
    return Arrays.copyOf(accepted, acceptedCount);
  }

  private record Decision(boolean ok, long retryAfterMs, String headers) {}

  private synchronized Decision admit(long tokens) {
    long now = System.nanoTime();
    double dt = (now - last) / 1e9;
    last = now;
    reqMinute = Math.min(rpm, reqMinute + dt * rpm / 60);
    tokMinute = Math.min(tpm, tokMinute + dt * tpm / 60);
    reqSecond = Math.min(rpm / 60, reqSecond + dt * rpm / 60);
    tokSecond = Math.min(tpm / 60, tokSecond + dt * tpm / 60);
    boolean ok = reqMinute >= 1 && reqSecond >= 1 && tokMinute >= tokens && tokSecond >= Math.min(tokens, tpm / 60);
    long retry = 0;
    if (ok) {
      reqMinute -= 1;
      reqSecond -= 1;
      tokMinute -= tokens;
      tokSecond -= Math.min(tokens, tpm / 60);
      if (acceptedCount == accepted.length) {
        accepted = Arrays.copyOf(accepted, accepted.length * 2);
      }
      accepted[acceptedCount++] = now;
      chargedTokens.addAndGet(tokens);
    } else {
      double wait = 0;
      wait = Math.max(wait, (1 - Math.min(reqMinute, reqSecond)) / (rpm / 60));
      wait = Math.max(wait, (tokens - tokMinute) / (tpm / 60));
      wait = Math.max(wait, (Math.min(tokens, tpm / 60) - tokSecond) / (tpm / 60));
      retry = Math.max(1, (long) Math.ceil(wait * 1000));
    }
    String headers = String.join("\n",
        "x-ratelimit-limit-requests: " + (long) rpm,
        "x-ratelimit-remaining-requests: " + (long) Math.max(0, reqMinute),
        "x-ratelimit-reset-requests: " + go((rpm - reqMinute) / (rpm / 60)),
        "x-ratelimit-limit-tokens: " + (long) tpm,
        "x-ratelimit-remaining-tokens: " + (long) Math.max(0, tokMinute),
        "x-ratelimit-reset-tokens: " + go((tpm - tokMinute) / (tpm / 60)));
    return new Decision(ok, retry, headers);
  }

  /** Seconds as OpenAI writes them: "6m0s", "1.2s", "20ms". */
  static String go(double seconds) {
    if (seconds < 1) {
      return Math.max(0, Math.round(seconds * 1000)) + "ms";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.3fs", seconds).replaceAll("0+s$", "s").replace(".s", "s");
    }
    long m = (long) (seconds / 60);
    return m + "m" + Math.round(seconds - 60 * m) + "s";
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    total.incrementAndGet();
    JsonNode req = Json.mapper().readTree(body);
    long chars = 0;
    for (JsonNode m : req.path("messages")) {
      JsonNode c = m.path("content");
      chars += c.isTextual() ? c.asText().length() : c.toString().length();
    }
    long tokens = (chars + 3) / 4 + req.path("max_completion_tokens").asLong(req.path("max_tokens").asLong(0));
    Decision d = admit(tokens);
    for (String h : d.headers().split("\n")) {
      int colon = h.indexOf(':');
      x.getResponseHeaders().add(h.substring(0, colon), h.substring(colon + 2));
    }
    if (!d.ok()) {
      rejected.incrementAndGet();
      x.getResponseHeaders().add("retry-after-ms", Long.toString(d.retryAfterMs()));
      x.getResponseHeaders().add("retry-after", Long.toString((d.retryAfterMs() + 999) / 1000));
      send(x, 429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
      return;
    }
    double roll;
    long latency;
    synchronized (random) {
      roll = random.nextDouble();
      latency = 300 + random.nextInt(1201);
    }
    sleep(latency);
    if (roll < failureRate * 0.4) {
      failures.incrementAndGet();
      send(x, 500, "{\"error\":{\"message\":\"The server had an error while processing your request.\"}}");
      return;
    }
    if (roll < failureRate * 0.7) {
      failures.incrementAndGet();
      x.close(); // connection dropped without an answer
      return;
    }
    if (roll < failureRate) {
      failures.incrementAndGet();
      sleep(hangMillis); // past the client's timeout
      x.close();
      return;
    }
    String content = answer.apply(req);
    long in = (chars + 3) / 4;
    long out = (content.length() + 3) / 4;
    send(x, 200, "{\"id\":\"chatcmpl-b\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"bench\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":" + Json.mapper().valueToTree(content) + ",\"refusal\":null},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
        + ",\"total_tokens\":" + (in + out) + "}}");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
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
