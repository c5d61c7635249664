package dev.plumb.core;

import java.util.Objects;

/**
 * One thing wrong with the input, located as precisely as we know:
 * {@code source:line:column: field: message}, e.g.
 * {@code policies/self_harm/v3.yaml:14:5: decisions[1].id: duplicate decision id "safe"}.
 *
 * <p>{@code source} is the file as the user named it (or empty when the problem is not in a file);
 * {@code line} and {@code column} are 1-based, 0 when unknown; {@code field} is a path such as
 * {@code decisions[1].id} or empty.
 */
public record Problem(String source, int line, int column, String field, String message) {

  public Problem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must be >= 0: " + line + ":" + column);
    }
  }

  public static Problem of(String message) {
    return new Problem("", 0, 0, "", message);
  }

  public static Problem at(String source, int line, String field, String message) {
    return new Problem(source, line, 0, field, message);
  }

  public static Problem at(String source, int line, int column, String field, String message) {
    return new Problem(source, line, column, field, message);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!source.isEmpty()) {
      sb.append(source);
      if (line > 0) {
        sb.append(':').append(line);
        if (column > 0) {
          sb.append(':').append(column);
        }
      }
      sb.append(": ");
    }
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(message).toString();
  }
}
