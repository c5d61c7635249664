package dev.plumb.calibration.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;

/**
 * A gold record's rater-error fields (docs/formats.md, "Gold"): {@code p_positive}, the probability
 * that the unit truly violates given the raters' answers, and {@code p_replicates}, the same at each
 * bootstrap replicate of the error model. Exact gold has neither, and its probability is its call.
 *
 * @param probability in [0, 1]
 * @param replicates in [0, 1] each, or {@code null}
 */
public record GoldProbability(double probability, double[] replicates) {

  /** Reads the fields of one gold record; a bad value is one located line. */
  static GoldProbability read(String source, int line, JsonNode record, boolean positive) {
    JsonNode p = record.get("p_positive");
    JsonNode reps = record.get("p_replicates");
    if (p == null || p.isNull()) {
      if (reps != null && !reps.isNull()) {
        throw new InputException(Problem.at(source, line, "p_replicates", "given without p_positive"));
      }
      return new GoldProbability(positive ? 1 : 0, null);
    }
    double value = unit(source, line, "p_positive", p);
    if (reps == null || reps.isNull()) {
      return new GoldProbability(value, null);
    }
    if (!reps.isArray() || reps.isEmpty()) {
      throw new InputException(Problem.at(source, line, "p_replicates", "must be a non-empty array of numbers in [0, 1]"));
    }
    double[] out = new double[reps.size()];
    for (int b = 0; b < out.length; b++) {
      out[b] = unit(source, line, "p_replicates[" + b + "]", reps.get(b));
    }
    return new GoldProbability(value, out);
  }

  private static double unit(String source, int line, String field, JsonNode v) {
    if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw new InputException(Problem.at(source, line, field, v + " is not a number in [0, 1]"));
    }
    return v.asDouble();
  }

  /** The replicates' count (0 without). */
  public int count() {
    return replicates == null ? 0 : replicates.length;
  }
}
