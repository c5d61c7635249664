package dev.plumb.labeler.backend;

import dev.plumb.core.PlumbException;
import java.time.Duration;
import java.util.Objects;

/**
 * A model call that did not produce an answer, classified by what the caller should do about it
 * ({@link Kind}). The message is one line for a person and never contains an API key: backends
 * redact their key from anything a provider echoes back.
 */
public final class BackendException extends PlumbException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides what the scheduler does next. */
  public enum Kind {
    /** 429: slow down, wait {@code retry-after}, then retry the same request. */
    RATE_LIMITED(true),
    /** The account is out of credit ({@code insufficient_quota}): stop the run. */
    QUOTA_EXHAUSTED(false),
    /** 401/403: the key is missing, wrong or lacks access: stop the run. */
    AUTHENTICATION(false),
    /** 404: the model or endpoint does not exist at this base URL: stop the run. */
    NOT_FOUND(false),
    /** 408/409/5xx, timeouts, connection resets, unreadable responses: retry with backoff. */
    TRANSIENT(true),
    /** Any other 4xx: this request cannot succeed as sent; record it as failed. */
    BAD_REQUEST(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }

    /** Whether this failure means no request of the run can succeed. */
    public boolean stopsRun() {
      return this == QUOTA_EXHAUSTED || this == AUTHENTICATION || this == NOT_FOUND;
    }
  }

  private final Kind kind;
  private final int status;
  private final transient RateLimits limits;

  public BackendException(Kind kind, int status, String message, RateLimits limits) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.limits = limits == null ? RateLimits.NONE : limits;
  }

  public BackendException(Kind kind, int status, String message, RateLimits limits, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.limits = limits == null ? RateLimits.NONE : limits;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when no response arrived (timeout, reset). */
  public int status() {
    return status;
  }

  /** The rate-limit headers of the error response ({@link RateLimits#NONE} when there were none). */
  public RateLimits limits() {
    return limits;
  }

  /** The provider's requested wait, or {@code null}. */
  public Duration retryAfter() {
    return limits.retryAfter();
  }
}
