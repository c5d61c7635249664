package dev.plumb.labeler.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Turns provider errors into {@link BackendException}s with one-line, key-free messages. */
final class Failures {
  private Failures() {}

  /** What to tell the user to fix, per provider, when a key is rejected. */
  private static String keyHint(String provider) {
    return switch (provider) {
      case "anthropic" -> "check ANTHROPIC_API_KEY";
      case "gemini" -> "check GEMINI_API_KEY (or GOOGLE_API_KEY)";
      default -> "check OPENAI_API_KEY (and the organization or project it belongs to)";
    };
  }

  /**
   * Classifies an HTTP error response.
   *
   * @param body the response body as text (may be empty)
   * @param code the provider's error code when the SDK already parsed it, or {@code null}
   */
  static BackendException http(
      int status, RateLimits limits, String body, String code, String provider, String model, Secret key) {
    String detail = key == null ? message(body) : key.redact(message(body));
    String lower = (body == null ? "" : body).toLowerCase(Locale.ROOT) + " " + (code == null ? "" : code.toLowerCase(Locale.ROOT));
    if (status == 401 || status == 403) {
      return new BackendException(
          BackendException.Kind.AUTHENTICATION, status,
          "HTTP " + status + " from " + provider + ": the API key was refused (" + detail + "); " + keyHint(provider),
          limits);
    }
    if (lower.contains("insufficient_quota") || lower.contains("credit balance is too low")
        || lower.contains("billing_hard_limit")) {
      return new BackendException(
          BackendException.Kind.QUOTA_EXHAUSTED, status,
          "the " + provider + " account has no credit or quota left (" + detail
              + "); add credit or raise the spending limit, then run the same command to resume",
          limits);
    }
    if (status == 429) {
      RateLimits withDelay = limits;
      if (limits.retryAfter() == null) {
        java.time.Duration d = retryDelayFromBody(body);
        if (d != null) {
          withDelay = new RateLimits(limits.limitRequests(), limits.remainingRequests(), limits.resetRequests(),
              limits.limitTokens(), limits.remainingTokens(), limits.resetTokens(), d);
        }
      }
      return new BackendException(BackendException.Kind.RATE_LIMITED, status, "HTTP 429: " + detail, withDelay);
    }
    if (status == 404) {
      return new BackendException(
          BackendException.Kind.NOT_FOUND, status,
          "HTTP 404 from " + provider + ": model \"" + model + "\" or its endpoint does not exist (" + detail
              + "); check --model and --base-url",
          limits);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return new BackendException(BackendException.Kind.TRANSIENT, status, "HTTP " + status + ": " + detail, limits);
    }
    return new BackendException(BackendException.Kind.BAD_REQUEST, status, "HTTP " + status + ": " + detail, limits);
  }

  /** Whether a 4xx says the server does not accept the response format we asked for. */
  static boolean refusesFormat(int status, String body, String format) {
    if (status != 400 && status != 422 && status != 501) {
      return false;
    }
    String b = body == null ? "" : body.toLowerCase(Locale.ROOT);
    if (format.equals("json_schema")) {
      return b.contains("json_schema") || b.contains("response_format") || b.contains("structured output")
          || b.contains("output_format") || b.contains("responseschema") || b.contains("response_schema")
          || b.contains("response schema");
    }
    return b.contains("json_object") || b.contains("response_format") || b.contains("responsemimetype")
        || b.contains("response_mime_type") || b.contains("output_format");
  }

  /** A failure before or without an HTTP response: timeouts, resets, refused connections. */
  static BackendException io(Throwable e, java.time.Duration timeout, Secret key) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
        return new BackendException(
            BackendException.Kind.TRANSIENT, 0, "no answer within " + seconds(timeout) + " (timeout)", RateLimits.NONE, e);
      }
      if (t instanceof ConnectException) {
        return new BackendException(
            BackendException.Kind.TRANSIENT, 0, "cannot connect: " + redact(t.getMessage(), key), RateLimits.NONE, e);
      }
      if (t instanceof SocketException
          || (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("reset"))) {
        return new BackendException(
            BackendException.Kind.TRANSIENT, 0, "connection lost: " + redact(t.getMessage(), key), RateLimits.NONE, e);
      }
      if (t instanceof java.io.EOFException) {
        return new BackendException(
            BackendException.Kind.TRANSIENT, 0, "connection closed before the answer was complete", RateLimits.NONE, e);
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new BackendException(
        BackendException.Kind.TRANSIENT, 0,
        "request failed: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + redact(root.getMessage(), key)),
        RateLimits.NONE, e);
  }

  private static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String redact(String text, Secret key) {
    if (text == null) {
      return "";
    }
    return key == null ? text : key.redact(text);
  }

  /** The provider's error message from a JSON error body, else the body itself, on one short line. */
  static String message(String body) {
    if (body == null || body.isBlank()) {
      return "no details";
    }
    String text = body;
    try {
      JsonNode n = Json.mapper().readTree(body);
      JsonNode err = n.get("error");
      if (err != null && err.isObject() && err.path("message").isTextual()) {
        text = err.get("message").asText();
      } else if (err != null && err.isTextual()) {
        text = err.asText();
      } else if (n.path("message").isTextual()) {
        text = n.get("message").asText();
      } else if (n.path("detail").isTextual()) {
        text = n.get("detail").asText();
      }
    } catch (Exception e) {
      // not JSON: use the text
    }
    text = text.replaceAll("\\s+", " ").trim();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** Gemini's {@code RetryInfo.retryDelay} ("30s") from a 429 body. */
  private static java.time.Duration retryDelayFromBody(String body) {
    if (body == null || !body.contains("retryDelay")) {
      return null;
    }
    try {
      for (JsonNode d : Json.mapper().readTree(body).path("error").path("details")) {
        if (d.path("retryDelay").isTextual()) {
          return RateLimits.duration(d.get("retryDelay").asText(), java.time.Instant.now());
        }
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }
}
