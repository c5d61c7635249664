package dev.plumb.calibration.scores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code plumb score --from-labels}: copies a frame of units (or a sample, whose units carry a
 * {@code design}), setting {@code scores.<policy id>} of every unit to its label's {@code score} —
 * through a calibration map fitted by {@code plumb calibrate --recalibrate-scores} when one is given
 * for the policy. The scores then serve as any other risk score: {@code score(policy)} in a size
 * measure (docs/sampling.md), the review's {@code classes_by: weight_and_score} and its allocation
 * (docs/review.md). Every other field of every unit is kept as it was (same keys in the same order);
 * scores of other policies are kept, this policy's are replaced. Written atomically: on any error
 * nothing is written. A sample's manifest ({@code sample.json} beside {@code sample.jsonl}) is copied
 * beside the output, so that a scored sample is still a sample.
 *
 * <p>Checks, each a one-line {@code file:line: field: message}: every unit of the frame has an ok
 * label with a score for every merged policy (a unit without one would keep a score from another
 * model, on another scale); two versions of one policy id cannot both be merged (frame scores are
 * keyed by id); a map must be for a policy whose labels carry scores in the file, at most one per
 * policy. The label file's own checks (a score in [0, 1], only on ok labels) are {@link LabelFile}'s.
 */
public final class FrameScores {
  private FrameScores() {}

  /**
   * What to merge.
   *
   * @param frame the units (JSON Lines, .gz accepted)
   * @param labels the label file whose scores to merge
   * @param maps calibration maps ({@code plumb.score-map/1}), at most one per policy; may be empty
   * @param policies policy ids to merge; empty for every policy whose labels carry a score
   * @param out where the scored units go
   */
  public record Request(Path frame, Path labels, List<Path> maps, List<String> policies, Path out) {
    public Request {
      Objects.requireNonNull(frame, "frame");
      Objects.requireNonNull(labels, "labels");
      Objects.requireNonNull(out, "out");
      maps = List.copyOf(maps);
      policies = List.copyOf(policies);
    }
  }

  /**
   * One merged policy.
   *
   * @param policy the policy key of the labels, e.g. {@code self_harm@2}
   * @param id the key in the units' {@code scores}
   * @param method the map applied, or {@code null}: the raw label scores (ranking scores)
   * @param labelsOutsideFrame scored labels whose unit is not in the frame (e.g. labels of the whole
   *     frame merged into a sample)
   */
  public record Merged(String policy, String id, Recalibration method, int labelsOutsideFrame) {}

  /**
   * @param units units written
   * @param policies what was merged, by policy id
   * @param manifest when the frame is a sample ({@code plumb.sample/1} manifest beside it): the copy
   *     of that manifest written beside {@code out}, so that the scored sample stays a sample (queue
   *     export, calibrate read the manifest beside the sample); else {@code null}
   */
  public record Result(long units, List<Merged> policies, Path manifest) {
    public Result {
      policies = List.copyOf(policies);
    }
  }

  private record Scored(int firstLine, Map<String, Double> byUnit) {}

  /**
   * Merges the scores and writes {@code out}.
   *
   * @throws InputException for the first problem in any input; nothing is written
   */
  public static Result run(Request r) {
    String labelSource = r.labels().toString();
    Set<String> wanted = new HashSet<>(r.policies());
    Map<String, Scored> byPolicy = new TreeMap<>();
    Map<String, String> keyOfId = new HashMap<>();
    LabelFile.forEach(r.labels(), l -> {
      if (!l.ok() || Double.isNaN(l.score())) {
        return;
      }
      String id = PolicyKey.idOf(l.policy());
      if (!wanted.isEmpty() && !wanted.contains(id)) {
        return;
      }
      String other = keyOfId.putIfAbsent(id, l.policy());
      if (other != null && !other.equals(l.policy())) {
        throw new InputException(Problem.at(labelSource, l.line(), "policy", l.policy() + " and " + other + " (line "
            + byPolicy.get(other).firstLine() + ") both carry scores; units' scores are keyed by policy id, so merge one"
            + " version at a time (a label file per version)"));
      }
      byPolicy.computeIfAbsent(l.policy(), k -> new Scored(l.line(), new HashMap<>())).byUnit().put(l.unit(), l.score());
    });
    if (byPolicy.isEmpty()) {
      throw new InputException(Problem.of(labelSource + ": no ok label " + (wanted.isEmpty() ? "" : "of "
          + String.join(", ", r.policies()) + " ") + "carries a score; nothing to merge"));
    }
    for (String id : wanted) {
      if (!keyOfId.containsKey(id)) {
        throw new InputException(Problem.of(labelSource + ": no ok label of policy " + id + " carries a score"));
      }
    }
    Map<String, ScoreMap> maps = new HashMap<>();
    Map<String, Path> mapFiles = new HashMap<>();
    for (Path file : r.maps()) {
      ScoreMap m = ScoreMap.read(file);
      if (!byPolicy.containsKey(m.policy())) {
        throw new InputException(Problem.at(file.toString(), ScoreMap.fieldLine(file, "policy"), "policy", "the map is for " + m.policy()
            + ", but the scores merged from " + labelSource + " are " + String.join(", ", byPolicy.keySet())));
      }
      Path first = mapFiles.putIfAbsent(m.policy(), file);
      if (first != null) {
        throw new InputException(Problem.at(file.toString(), ScoreMap.fieldLine(file, "policy"), "policy",
            "a second map for " + m.policy() + " (the first is " + first + ")"));
      }
      maps.put(m.policy(), m);
    }
    String source = r.frame().toString();
    Map<String, Integer> found = new HashMap<>();
    Set<String> ids = new HashSet<>();
    long units = 0;
    try (Jsonl in = Jsonl.open(r.frame());
        AtomicOutput output = AtomicOutput.create(r.out())) {
      Writer writer = output.writer();
      for (Jsonl.Line line : in) {
        ObjectNode node = line.node();
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isEmpty()) {
          throw new InputException(Problem.at(source, line.number(), "id", "expected a non-empty string"));
        }
        String unit = idNode.asText();
        if (!ids.add(unit)) {
          throw new InputException(Problem.at(source, line.number(), "id", "duplicate unit id \"" + unit + "\""));
        }
        JsonNode existing = node.get("scores");
        if (existing != null && !existing.isNull() && !existing.isObject()) {
          throw new InputException(Problem.at(source, line.number(), "scores", "expected an object"));
        }
        ObjectNode target = existing instanceof ObjectNode o ? o : Json.object();
        for (Map.Entry<String, Scored> e : byPolicy.entrySet()) {
          String id = PolicyKey.idOf(e.getKey());
          Double s = e.getValue().byUnit().get(unit);
          if (s == null) {
            throw new InputException(Problem.at(source, line.number(), "scores." + id, "unit \"" + unit
                + "\" has no ok label with a score for " + e.getKey() + " in " + labelSource
                + "; every unit needs one (label the frame, or merge into the labeled sample)"));
          }
          found.merge(e.getKey(), 1, Integer::sum);
          ScoreMap m = maps.get(e.getKey());
          target.put(id, round(m == null ? s : m.apply(s)));
        }
        node.set("scores", target); // keeps the field's place when it was already there
        writer.write(Json.line(node));
        writer.write('\n');
        units++;
      }
      output.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + r.out() + ": " + e.getMessage(), e);
    }
    Path manifest = null;
    Path sampleManifest = Jsonl.sibling(r.frame(), ".json");
    if (java.nio.file.Files.isRegularFile(sampleManifest)
        && "plumb.sample/1".equals(Json.read(sampleManifest).path("format").asText())) {
      // the manifest describes the draw, not the units' scores: it holds for the scored copy unchanged
      manifest = Jsonl.sibling(r.out(), ".json");
      try {
        AtomicOutput.write(manifest, java.nio.file.Files.readString(sampleManifest));
      } catch (IOException e) {
        throw new PlumbException("cannot read " + sampleManifest + ": " + e.getMessage(), e);
      }
    }
    Map<String, Merged> merged = new LinkedHashMap<>();
    byPolicy.forEach((key, s) -> merged.put(key, new Merged(key, PolicyKey.idOf(key),
        maps.containsKey(key) ? maps.get(key).method() : null, s.byUnit().size() - found.getOrDefault(key, 0))));
    return new Result(units, List.copyOf(merged.values()), manifest);
  }

  /** Six significant digits, written plainly: a label score has no more meaning than that. */
  static BigDecimal round(double p) {
    return new BigDecimal(new BigDecimal(p).round(new MathContext(6)).stripTrailingZeros().toPlainString());
  }
}
