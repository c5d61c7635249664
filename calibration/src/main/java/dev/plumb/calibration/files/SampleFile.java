package dev.plumb.calibration.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import dev.plumb.core.UnitCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one reader of {@code sample.jsonl}'s lines (docs/formats.md "Sample"), used by estimation and
 * calibration ({@code DesignSample.read}, which goes on to check each unit's design record against
 * the manifest) and by the review-queue export (which needs only ids, scores and components).
 *
 * <p>Every line: a JSON object with a non-empty string {@code id}, unique in the file; a file
 * without a line is an error. (The queue export checked ids with other words before; these are the
 * estimation reader's, the stricter: they name the first line of a duplicate.)
 */
public final class SampleFile {
  private SampleFile() {}

  /** One line of the sample: its number, the unit id, and the whole record. */
  public record Line(int number, String id, ObjectNode node) {
    /**
     * The unit's risk scores ({@code scores}: policy id → number in [0, 1]), checked as every reader of units checks
     * them ({@link UnitCheck#scores}); empty when absent or null.
     *
     * @param source the file, for the message
     * @throws InputException {@code file:line: scores.<policy>: must be a number in [0, 1], found …}
     */
    public Map<String, Double> scores(String source) {
      JsonNode scores = node.get("scores");
      if (scores == null) {
        return Map.of();
      }
      try (JsonParser p = scores.traverse()) {
        return UnitCheck.scores(p.nextToken(), p, source, number);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a tree in memory: not reached
      }
    }
  }

  /**
   * Streams {@code path}, checking each line before handing it on.
   *
   * @throws InputException {@code file:line: id: message} for the first problem; {@code file: the
   *     sample has no units} for an empty file
   */
  public static void forEach(Path path, Consumer<Line> consumer) {
    String source = path.toString();
    Map<String, Integer> seen = new HashMap<>();
    int[] lines = {0};
    Jsonl.forEach(path, line -> {
      JsonNode id = line.node().get("id");
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        throw new InputException(Problem.at(source, line.number(), "id", "missing; every unit needs a non-empty string id"));
      }
      Integer previous = seen.putIfAbsent(id.asText(), line.number());
      if (previous != null) {
        throw new InputException(Problem.at(source, line.number(), "id",
            "duplicate unit id \"" + id.asText() + "\" (first on line " + previous + ")"));
      }
      lines[0]++;
      consumer.accept(new Line(line.number(), id.asText(), line.node()));
    });
    if (lines[0] == 0) {
      throw new InputException(Problem.of(source + ": the sample has no units"));
    }
  }
}
