package dev.plumb.calibration.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.review.Records;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The one reader of {@code gold.jsonl} (docs/formats.md "Gold"), used by calibration and the
 * report's review summary. It checks the file's own contract; whether a record's unit is in the
 * sample and has an ok label, and whether its decision is one of the policy's, is the caller's to
 * check ({@link PolicyDecisions}).
 *
 * <p>Every line: a JSON object with non-empty string {@code unit}, {@code policy} and {@code
 * decision}, a boolean {@code positive}, {@code category} and {@code method} strings or null, {@code
 * raters} and {@code agreement} numbers or null, and {@code phase2: {stratum, pi}} with a non-empty
 * stratum and 0 &lt; pi ≤ 1; optional {@code p_positive}/{@code p_replicates} ({@link GoldProbability});
 * at most one record per unit and policy. (The report's summary read
 * method, raters and agreement leniently before; it now reads what calibration has checked.)
 */
public final class GoldFile {
  private GoldFile() {}

  /**
   * One gold record.
   *
   * @param raters NaN when absent
   * @param agreement NaN when absent
   * @param probability the rater-error model's {@code p_positive}/{@code p_replicates}, or the call itself
   */
  public record Gold(int line, String unit, String policy, String decision, boolean positive, String category,
      String stratum, double pi, String method, double raters, double agreement, GoldProbability probability) {}

  /**
   * Streams {@code path}, checking each line before handing it on.
   *
   * @throws InputException {@code file:line: field: message} for the first problem
   */
  public static void forEach(Path path, Consumer<Gold> consumer) {
    Records.FirstLines seen = new Records.FirstLines();
    Records.forEach(path, (source, no, n) -> {
      String unit = Records.text(source, no, n, "unit");
      String policy = Records.text(source, no, n, "policy");
      String decision = Records.text(source, no, n, "decision");
      boolean positive = Records.bool(source, no, n, "positive");
      seen.require(source, no, "unit", unit + "\u0000" + policy,
          () -> "duplicate gold for unit \"" + unit + "\" and policy " + policy);
      JsonNode phase2 = n.get("phase2");
      if (phase2 == null || phase2.isNull() || !phase2.isObject()) {
        throw new InputException(Problem.at(source, no, "phase2",
            "missing; every gold record needs its phase-2 {stratum, pi} from the review queue"));
      }
      String stratum = Records.text(source, no, phase2, "stratum");
      JsonNode pi = phase2.get("pi");
      if (pi == null || pi.isNull()) {
        throw new InputException(Problem.at(source, no, "phase2.pi", "missing; the phase-2 inclusion probability is required"));
      }
      if (!pi.isNumber() || !(pi.asDouble() > 0 && pi.asDouble() <= 1)) {
        throw new InputException(Problem.at(source, no, "phase2.pi", pi + " is not in (0, 1]"));
      }
      consumer.accept(new Gold(no, unit, policy, decision, positive, Records.optionalText(source, no, n, "category"),
          stratum, pi.asDouble(), Records.optionalText(source, no, n, "method"), number(source, no, n, "raters"),
          number(source, no, n, "agreement"), GoldProbability.read(source, no, n, positive)));
    });
  }

  private static double number(String source, int line, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber()) {
      throw new InputException(Problem.at(source, line, field, "expected a number, found " + v));
    }
    return v.asDouble();
  }
}
