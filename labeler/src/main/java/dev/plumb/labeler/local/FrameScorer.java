package dev.plumb.labeler.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code plumb score}: copies a frame of units, attaching each policy's risk score under
 * {@code scores.<policy id>} (docs/formats.md). Every other field of every unit is kept as it was
 * (same keys in the same order, same values); scores already present for other policies are kept,
 * scores for these policies are replaced. Streams the frame in batches of units (memory grows with
 * the batch, not the frame), embeds each batch's texts in one pass, and writes the output
 * atomically: on any error nothing is written.
 *
 * <p>Scores have 4 significant digits and lie in [1e-6, 1 − 1e-6]: never exactly 0, so a design
 * that samples in proportion to the score can reach every unit.
 */
public final class FrameScorer {
  private FrameScorer() {}

  /** Where a run stands, reported after every batch. */
  public record Progress(long units, long components, double seconds) {}

  /** What a run did. */
  public record Summary(long units, long components, LocalClassifier.Stats embeddings, double seconds) {}

  /**
   * Scores every unit of {@code frame} for every policy in {@code policies} and writes the result to
   * {@code out}. Models are prepared first (trained or loaded).
   *
   * @param batch units per batch (their texts are embedded together), at least 1
   * @throws InputException naming file, line and field of the first bad unit; nothing is written
   */
  public static Summary score(
      Path frame, Path out, List<Policy> policies, LocalClassifier classifier, int batch, Consumer<Progress> progress) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1: " + batch);
    }
    if (policies.isEmpty()) {
      throw new InputException("no policy to score");
    }
    policies.forEach(classifier::prepare);
    long t0 = System.nanoTime();
    LocalClassifier.Stats before = classifier.stats();
    String source = frame.toString();
    long units = 0;
    long components = 0;
    Set<String> ids = new HashSet<>();
    List<ObjectNode> nodes = new ArrayList<>(batch);
    List<Unit> parsed = new ArrayList<>(batch);
    try (Jsonl in = Jsonl.open(frame);
        AtomicOutput output = AtomicOutput.create(out)) {
      Writer writer = output.writer();
      for (Jsonl.Line line : in) {
        Unit unit = Units.parse(line.node(), source, line.number());
        if (!ids.add(unit.id())) {
          throw new InputException(Problem.at(source, line.number(), "id", "duplicate unit id \"" + unit.id() + "\""));
        }
        JsonNode scores = line.node().get("scores");
        if (scores != null && !scores.isNull() && !scores.isObject()) {
          throw new InputException(Problem.at(source, line.number(), "scores", "expected an object"));
        }
        nodes.add(line.node());
        parsed.add(unit);
        units++;
        components += unit.components().size();
        if (nodes.size() == batch) {
          flush(nodes, parsed, policies, classifier, writer);
          progress.accept(new Progress(units, components, (System.nanoTime() - t0) / 1e9));
        }
      }
      flush(nodes, parsed, policies, classifier, writer);
      output.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + out + ": " + e.getMessage(), e);
    }
    LocalClassifier.Stats after = classifier.stats();
    LocalClassifier.Stats used =
        new LocalClassifier.Stats(
            after.textsRequested() - before.textsRequested(), after.fromCache() - before.fromCache(), after.embedded() - before.embedded());
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.accept(new Progress(units, components, seconds));
    return new Summary(units, components, used, seconds);
  }

  private static void flush(
      List<ObjectNode> nodes, List<Unit> units, List<Policy> policies, LocalClassifier classifier, Writer writer) throws IOException {
    if (nodes.isEmpty()) {
      return;
    }
    double[][] scores = classifier.scoreAll(units, policies);
    for (int u = 0; u < nodes.size(); u++) {
      ObjectNode node = nodes.get(u);
      JsonNode existing = node.get("scores");
      ObjectNode target = existing instanceof ObjectNode o ? o : Json.object();
      for (int p = 0; p < policies.size(); p++) {
        target.put(policies.get(p).id(), round(scores[u][p]));
      }
      node.set("scores", target); // keeps the field's position when it was already there
      writer.write(Json.line(node));
      writer.write('\n');
    }
    nodes.clear();
    units.clear();
  }

  /** Four significant digits, written plainly (no exponent) since scores are at least 1e-6. */
  static BigDecimal round(double score) {
    return new BigDecimal(new BigDecimal(score).round(new MathContext(4)).stripTrailingZeros().toPlainString());
  }
}
