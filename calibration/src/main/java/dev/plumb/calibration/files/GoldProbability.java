package dev.plumb.calibration.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;

/**
 * A gold record's rater-error fields (docs/formats.md, "Gold"): {@code p_positive}, the probability
 * that the unit truly violates given the raters' answers, and {@code p_replicates}, the same at each
 * bootstrap replicate of the error model; {@code y_unbiased} and {@code y_replicates}, the unit's
 * unbiased gold (whose expectation is its true class at the fitted error rates; may lie slightly
 * outside [0, 1]) and its replicates; {@code y_variance}, the raters' answer noise in {@code y_unbiased}
 * about the unit's true class (0 when absent: files written before it). Exact gold has none, and its probability is its call. A file
 * written before the unbiased gold existed has only the first two; its value is then the probability.
 *
 * @param probability in [0, 1]
 * @param replicates in [0, 1] each, or {@code null}
 * @param value what the corrected estimators take for the unit's 0/1 gold: {@code y_unbiased}, else
 *     the probability; finite
 * @param valueReplicates {@code y_replicates}, else {@code replicates}; as many as {@code replicates}
 * @param variance {@code y_variance}, else 0; finite and ≥ 0
 */
public record GoldProbability(double probability, double[] replicates, double value, double[] valueReplicates,
    double variance) {

  /** Reads the fields of one gold record; a bad value is one located line. */
  static GoldProbability read(String source, int line, JsonNode record, boolean positive) {
    JsonNode p = record.get("p_positive");
    JsonNode reps = record.get("p_replicates");
    JsonNode y = record.get("y_unbiased");
    JsonNode yReps = record.get("y_replicates");
    JsonNode yVar = record.get("y_variance");
    if (p == null || p.isNull()) {
      for (String field : new String[] {"p_replicates", "y_unbiased", "y_replicates", "y_variance"}) {
        if (record.hasNonNull(field)) {
          throw new InputException(Problem.at(source, line, field, "given without p_positive"));
        }
      }
      return new GoldProbability(positive ? 1 : 0, null, positive ? 1 : 0, null, 0);
    }
    double value = unit(source, line, "p_positive", p);
    double[] out = null;
    if (reps != null && !reps.isNull()) {
      if (!reps.isArray() || reps.isEmpty()) {
        throw new InputException(Problem.at(source, line, "p_replicates", "must be a non-empty array of numbers in [0, 1]"));
      }
      out = new double[reps.size()];
      for (int b = 0; b < out.length; b++) {
        out[b] = unit(source, line, "p_replicates[" + b + "]", reps.get(b));
      }
    }
    if (y == null || y.isNull()) {
      if (yReps != null && !yReps.isNull()) {
        throw new InputException(Problem.at(source, line, "y_replicates", "given without y_unbiased"));
      }
      if (yVar != null && !yVar.isNull()) {
        throw new InputException(Problem.at(source, line, "y_variance", "given without y_unbiased"));
      }
      return new GoldProbability(value, out, value, out, 0);
    }
    double gold = finite(source, line, "y_unbiased", y);
    int count = out == null ? 0 : out.length;
    int given = yReps == null || yReps.isNull() ? 0 : yReps.isArray() ? yReps.size() : -1;
    if (given != count) {
      throw new InputException(Problem.at(source, line, "y_replicates", given < 0 ? "must be an array of numbers"
          : given + " numbers, but p_replicates has " + count + "; each replicate needs both"));
    }
    double[] golds = count == 0 ? null : new double[count];
    for (int b = 0; b < count; b++) {
      golds[b] = finite(source, line, "y_replicates[" + b + "]", yReps.get(b));
    }
    double noise = 0;
    if (yVar != null && !yVar.isNull()) {
      noise = finite(source, line, "y_variance", yVar);
      if (noise < 0) {
        throw new InputException(Problem.at(source, line, "y_variance", yVar + " is negative; a variance is at least 0"));
      }
    }
    return new GoldProbability(value, out, gold, golds, noise);
  }

  private static double unit(String source, int line, String field, JsonNode v) {
    if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw new InputException(Problem.at(source, line, field, v + " is not a number in [0, 1]"));
    }
    return v.asDouble();
  }

  private static double finite(String source, int line, String field, JsonNode v) {
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new InputException(Problem.at(source, line, field, v + " is not a finite number"));
    }
    return v.asDouble();
  }

  /** The replicates' count (0 without). */
  public int count() {
    return replicates == null ? 0 : replicates.length;
  }
}
