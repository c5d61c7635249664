package dev.plumb.labeler.backend;

import java.util.Objects;

/**
 * An API key. It prints as {@code [redacted]} wherever it ends up (toString, logs, records), and
 * {@link #redact} scrubs it from text a provider might echo back.
 */
public final class Secret {
  private static final String MASK = "[redacted]";
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The key itself, for the one place that sends it. */
  public String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of the key replaced by {@code [redacted]}. */
  public String redact(String text) {
    if (text == null || value.length() < 4) {
      return text;
    }
    return text.replace(value, MASK);
  }

  @Override
  public String toString() {
    return MASK;
  }
}
