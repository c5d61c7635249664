package dev.plumb.spark;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.util.function.Supplier;

/**
 * Bad input found inside a Spark task reaches the driver wrapped in a {@code SparkException} (and
 * with its problem list lost: it is transient). This turns it back into the one-line
 * {@link InputException} the embedded commands throw.
 */
final class SparkErrors {
  private SparkErrors() {}

  static <T> T unwrap(Supplier<T> job) {
    try {
      return job.get();
    } catch (InputException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof InputException input) {
          throw input.problems() != null ? input : new InputException(Problem.of(input.getMessage()));
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new PlumbException("the Spark job failed: " + e.getMessage(), e);
    }
  }
}
