package dev.plumb.labeler.backend;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A LangChain4j HTTP client on {@code java.net.http} that remembers the last response's status,
 * headers and body per thread. LangChain4j's own exceptions drop the headers; plumb needs them
 * for {@code retry-after} and rate-limit accounting. Calls are synchronous on the caller's thread,
 * which is what makes the thread-local exact. Never logs requests (they carry the key).
 */
final class CapturingHttpClient implements HttpClient {

  /** One response as it arrived. */
  record Exchange(int status, Map<String, List<String>> headers, String body) {}

  private static final ThreadLocal<Exchange> LAST = new ThreadLocal<>();
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private CapturingHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    this.readTimeout = readTimeout;
  }

  /** Forgets the last exchange of this thread; call before each request. */
  static void reset() {
    LAST.remove();
  }

  /** The last exchange of this thread, or {@code null} when no response arrived. */
  static Exchange last() {
    return LAST.get();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
    request.headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> b.header(name, v));
      }
    });
    switch (request.method()) {
      case GET -> b.GET();
      case DELETE -> b.DELETE();
      default -> b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(request.body() == null ? "" : request.body()));
    }
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
    }
    Map<String, List<String>> headers = response.headers().map();
    LAST.set(new Exchange(response.statusCode(), headers, response.body()));
    if (response.statusCode() >= 400) {
      throw new HttpException(response.statusCode(), response.body());
    }
    return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(headers).body(response.body()).build();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    throw new UnsupportedOperationException("plumb does not stream");
  }

  /** The builder LangChain4j models take. */
  static final class Builder implements HttpClientBuilder {
    private Duration connect = Duration.ofSeconds(10);
    private Duration read = Duration.ofSeconds(60);

    @Override
    public Duration connectTimeout() {
      return connect;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      if (timeout != null) {
        connect = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return read;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      if (timeout != null) {
        read = timeout;
      }
      return this;
    }

    @Override
    public HttpClient build() {
      return new CapturingHttpClient(connect, read);
    }
  }
}
