package dev.plumb.calibration.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.queue.Csv;
import dev.plumb.calibration.queue.Panel;
import dev.plumb.calibration.queue.Queue;
import dev.plumb.calibration.queue.ReviewPolicy;
import dev.plumb.calibration.review.Records;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code plumb queue simulate}: a seeded panel of simulated raters answers a review queue from the
 * ground truth, in the CSV a vendor returns (docs/review.md). For synthetic data only: it is what
 * lets the whole chain run unattended.
 *
 * <p>Rater j on item i, policy p, with true decision t: draws u from its own uniform stream
 * ({@code hash(seed, "plumb.simulate")} over {@code rater, item, policy}, so answers do not depend on
 * the order of anything). If t is positive the answer is correct with probability sensitivity_j,
 * otherwise with probability specificity_j. A correct answer is t itself (a correct positive keeps
 * the true category with probability {@code category_accuracy}, else another category); a wrong
 * answer is drawn uniformly from the decisions of the other polarity (a wrong positive with a
 * uniformly drawn category). Honeypots are answered from their known answers in the queue.
 */
public final class QueueSimulation {
  private QueueSimulation() {}

  /** What was simulated: answers per rater, and how many were wrong. */
  public record Result(int answers, Map<String, int[]> perRater, Path out) {}

  private record Truth(String decision, String category) {}

  public static Result run(Path queueDir, Path truthFile, Panel panel, long seed, Path out) {
    Queue q = Queue.read(queueDir);
    if (q.raters().isEmpty()) {
      throw new InputException(Problem.of(queueDir + ": the queue has no rater assignments; export it with --raters"
          + " so the simulated panel knows who answers what"));
    }
    for (String r : q.raters()) {
      if (panel.rates(r) == null) {
        throw new InputException(Problem.of("panel: rater \"" + r + "\" of the queue has no rates and the panel has no"
            + " default (raters: " + String.join(", ", panel.raters().keySet()) + ")"));
      }
    }
    Set<String> units = new HashSet<>();
    q.items().stream().filter(i -> !i.honeypot()).forEach(i -> units.add(i.unit()));
    Map<String, ReviewPolicy> byId = new HashMap<>();
    q.policies().forEach(p -> byId.put(p.id(), p));
    Map<String, Truth> truth = new HashMap<>();
    String source = truthFile.toString();
    Jsonl.forEach(truthFile, line -> {
      JsonNode n = line.node();
      int no = line.number();
      String unit = Records.text(source, no, n, "unit");
      if (!units.contains(unit)) {
        return;
      }
      String policy = Records.text(source, no, n, "policy");
      ReviewPolicy p = byId.get(PolicyKey.idOf(policy));
      if (p == null) {
        return;
      }
      String decision = Records.text(source, no, n, "decision");
      if (!p.decisions().containsKey(decision)) {
        throw new InputException(Problem.at(source, no, "decision", "\"" + decision + "\" is not a decision of policy "
            + p.key() + " (" + String.join(", ", p.decisions().keySet()) + ")"));
      }
      truth.put(unit + "\u0000" + p.key(), new Truth(decision, Records.optionalText(source, no, n, "category")));
    });
    long h = UnitRandom.hash(seed, "plumb.simulate");
    StringBuilder sb = new StringBuilder();
    Csv.row(sb, List.of("item", "policy", "rater", "decision", "category", "at"));
    Map<String, int[]> perRater = new TreeMap<>();
    int count = 0;
    for (String rater : q.raters()) {
      Panel.Rates rates = panel.rates(rater);
      int[] tally = perRater.computeIfAbsent(rater, k -> new int[2]);
      for (Queue.Item item : q.items()) {
        if (!item.raters().contains(rater)) {
          continue;
        }
        for (ReviewPolicy p : q.policies()) {
          Truth t;
          if (item.honeypot()) {
            Queue.Known k = item.known().get(p.key());
            t = new Truth(k.decision(), k.category());
          } else {
            t = truth.get(item.unit() + "\u0000" + p.key());
            if (t == null) {
              throw new InputException(Problem.of(source + ": no truth for unit \"" + item.unit() + "\" and policy "
                  + p.id() + " (item " + item.item() + " of " + queueDir + ")"));
            }
          }
          UnitRandom.Stream u = new UnitRandom.Stream(
              UnitRandom.hash(h, rater + "\u0000" + item.item() + "\u0000" + p.key()));
          boolean positive = p.decisions().get(t.decision());
          boolean correct = u.next() < (positive ? rates.sensitivity() : rates.specificity());
          String decision;
          String category = null;
          if (correct) {
            decision = t.decision();
            if (positive) {
              category = t.category();
              if (u.next() >= panel.categoryAccuracy()) {
                List<String> others = new ArrayList<>(p.categories());
                others.remove(t.category());
                category = others.isEmpty() ? category : pick(others, u.next());
              }
            }
          } else {
            List<String> other = positive ? p.negatives() : p.positives();
            decision = other.isEmpty() ? t.decision() : pick(other, u.next());
            if (!positive && !p.categories().isEmpty()) {
              category = pick(p.categories(), u.next());
            }
          }
          tally[0]++;
          if (!decision.equals(t.decision())) {
            tally[1]++;
          }
          count++;
          Csv.row(sb, java.util.Arrays.asList(item.item(), p.key(), rater, decision, category, ""));
        }
      }
    }
    AtomicOutput.write(out, sb.toString());
    return new Result(count, perRater, out);
  }

  private static String pick(List<String> options, double u) {
    return options.get(Math.min(options.size() - 1, (int) (u * options.size())));
  }
}
