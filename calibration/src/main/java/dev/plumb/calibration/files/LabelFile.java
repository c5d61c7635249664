package dev.plumb.calibration.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.review.Records;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one reader of {@code labels.jsonl} (docs/formats.md "Label"), used by every stage that reads
 * labels: estimation, the review-queue export, calibration and the report's provenance. It checks
 * the file's own contract; whether a label's unit is in a sample, or its decision in a policy, is
 * the caller's to check.
 *
 * <p>Every line: a JSON object with non-empty string {@code unit}, {@code policy} and {@code
 * status} ({@code ok}, {@code invalid} or {@code failed}), and {@code model}, {@code backend},
 * {@code provider}, {@code prompt} strings when present; only an {@code ok} line may carry a {@code
 * score}. An {@code ok} line also: a non-empty string
 * {@code decision}, a boolean {@code positive}, {@code category} a string or null, {@code
 * confidence} a number in [0, 1] or null, {@code score} (the labeler's probability of the violating
 * decision, from the model's log-probabilities) a number in [0, 1] when present; and it agrees (decision and positive) with any earlier
 * {@code ok} label of the same unit and policy. A file without a line is an error.
 *
 * <p>Where the four readers this replaces disagreed, the stricter check was kept: an ok label needs
 * a decision (estimation read only {@code positive}), and a non-numeric confidence or a non-string
 * model is an error (the queue export ignored them).
 */
public final class LabelFile {
  private LabelFile() {}

  /** A label's status. */
  public enum Status {
    OK, INVALID, FAILED
  }

  /**
   * One line of a label file.
   *
   * @param decision, positive, category the answer; null unless {@code status} is ok
   * @param confidence NaN when absent, null or not ok
   * @param score the probability of the violating decision in [0, 1]; NaN when absent or null
   */
  public record Label(int line, String unit, String policy, Status status, String decision, Boolean positive,
      String category, double confidence, String model, String backend, String provider, String prompt,
      double score) {
    /** A label without a score. */
    public Label(int line, String unit, String policy, Status status, String decision, Boolean positive,
        String category, double confidence, String model, String backend, String provider, String prompt) {
      this(line, unit, policy, status, decision, positive, category, confidence, model, backend, provider, prompt,
          Double.NaN);
    }

    public boolean ok() {
      return status == Status.OK;
    }
  }

  private static final Set<String> FIELDS = Set.of(
      "unit", "policy", "status", "decision", "positive", "category", "confidence", "model", "backend", "provider",
      "prompt", "score");

  /** Reads one field's value in the middle of a line (the mapper's own reader insists on the end of input). */
  private static final ObjectReader VALUE =
      Json.mapper().readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private record First(int line, String decision, boolean positive) {}

  /**
   * Streams {@code path}, checking each line before handing it on (so a consumer's own check of
   * line k comes after the file's checks of lines 1..k).
   *
   * @throws InputException {@code file:line: field: message} for the first problem; {@code file: no
   *     labels} for an empty file
   */
  public static void forEach(Path path, Consumer<Label> consumer) {
    String source = path.toString();
    Map<String, First> seen = new HashMap<>();
    int lines = 0;
    try (Jsonl in = Jsonl.open(path)) {
      for (Jsonl.Text t : in.texts()) {
        Label l = label(source, t.number(), fields(source, t));
        if (l.ok()) {
          First first = seen.get(l.unit() + '\u0000' + l.policy());
          if (first != null && (first.positive() != l.positive() || !first.decision().equals(l.decision()))) {
            throw new InputException(Problem.at(source, l.line(), first.positive() != l.positive() ? "positive" : "decision",
                "conflicts with the ok label on line " + first.line() + " for unit \"" + l.unit() + "\" and policy \""
                    + l.policy() + "\" (keep one label per unit and policy, e.g. one model and prompt per file)"));
          }
          seen.put(l.unit() + '\u0000' + l.policy(), new First(l.line(), l.decision(), l.positive()));
        }
        lines++;
        consumer.accept(l);
      }
    }
    if (lines == 0) {
      throw new InputException(Problem.of(source + ": no labels"));
    }
  }

  /** Every line of {@code path}, checked as by {@link #forEach}. */
  public static List<Label> read(Path path) {
    List<Label> out = new ArrayList<>();
    forEach(path, out::add);
    return out;
  }

  /**
   * A digest of what this reader gives its callers, and nothing else: {@code sha256:} over the sorted
   * canonical JSON of each line's known fields ({@code unit, policy, status, decision, positive,
   * category, confidence, model, backend, provider, prompt, score}). Two label files with the same labels
   * have the same digest whatever their line order and whatever else the labeler recorded (latency,
   * attempts, usage, cost, rationale): {@code plumb run} fingerprints the labels with it, so relabeling
   * with identical answers does not redo the stages that read them (docs/run.md). The lines are not
   * otherwise checked; an empty file has the digest of no lines.
   *
   * @throws InputException {@code file:line: invalid JSON ...} for a line that is not a JSON object
   */
  public static String contentDigest(Path path) {
    String source = path.toString();
    List<String> lines = new ArrayList<>();
    try (Jsonl in = Jsonl.open(path)) {
      for (Jsonl.Text t : in.texts()) {
        lines.add(Json.canonical(fields(source, t)));
      }
    }
    java.util.Collections.sort(lines);
    return Hashing.sha256(String.join("\n", lines));
  }

  /** The fields this reader knows, parsed by streaming so that rationales and evidence are skipped unread. */
  private static ObjectNode fields(String source, Jsonl.Text t) {
    ObjectNode n = Json.object();
    try (JsonParser p = Json.mapper().getFactory().createParser(t.text())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InputException(Problem.at(source, t.number(), "", "expected a JSON object"));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (FIELDS.contains(field)) {
          n.set(field, VALUE.readValue(p));
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new InputException(Problem.at(source, t.number(), "", "invalid JSON: trailing content after the object"));
      }
    } catch (JsonProcessingException e) {
      throw new InputException(Problem.at(source, t.number(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "", "invalid JSON: " + Json.parserMessage(e)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static Label label(String source, int no, JsonNode n) {
    String unit = Records.text(source, no, n, "unit");
    String policy = Records.text(source, no, n, "policy");
    String statusText = Records.text(source, no, n, "status");
    Status status = switch (statusText) {
      case "ok" -> Status.OK;
      case "failed" -> Status.FAILED;
      case "invalid" -> Status.INVALID;
      default -> throw new InputException(Problem.at(source, no, "status",
          "must be ok, invalid or failed, found \"" + statusText + "\""));
    };
    String model = Records.optionalText(source, no, n, "model");
    String backend = Records.optionalText(source, no, n, "backend");
    String provider = Records.optionalText(source, no, n, "provider");
    String prompt = Records.optionalText(source, no, n, "prompt");
    JsonNode sc = n.get("score");
    boolean scored = sc != null && !sc.isNull();
    if (status != Status.OK) {
      if (scored) {
        throw new InputException(Problem.at(source, no, "score",
            "only an ok label carries a score (this one is " + statusText + ")"));
      }
      return new Label(no, unit, policy, status, null, null, null, Double.NaN, model, backend, provider, prompt);
    }
    String decision = Records.text(source, no, n, "decision");
    boolean positive = Records.bool(source, no, n, "positive");
    String category = Records.optionalText(source, no, n, "category");
    JsonNode c = n.get("confidence");
    double confidence = Double.NaN;
    if (c != null && !c.isNull()) {
      if (!c.isNumber() || c.asDouble() < 0 || c.asDouble() > 1) {
        throw new InputException(Problem.at(source, no, "confidence", "expected a number in [0, 1], found " + c));
      }
      confidence = c.asDouble();
    }
    double score = Double.NaN;
    if (scored) {
      if (!sc.isNumber() || !(sc.asDouble() >= 0 && sc.asDouble() <= 1)) {
        throw new InputException(Problem.at(source, no, "score", "expected a number in [0, 1], found " + sc));
      }
      score = sc.asDouble();
    }
    return new Label(no, unit, policy, status, decision, positive, category, confidence, model, backend, provider, prompt,
        score);
  }
}
