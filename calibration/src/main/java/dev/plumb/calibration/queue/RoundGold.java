package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code plumb queue merge-rounds}: the gold of a sequential review's rounds 1 … K as one gold file,
 * each record's π2 brought to the cumulative review ({@link SequentialReview}).
 *
 * <p>Round r's queue records π2 = n_h^(r)/N_h, the cumulative review's, so (given in order) N_h =
 * (records of rounds 1 … r)/π_r — or (round r's own records)/π_r when its import left ties out and
 * fell back to that. After the merge, every record of policy p in stratum h carries π2 = Σ_r count_r/N_h:
 * the cumulative review is a stratified SRS of that many units (ties and unanswered units left out at
 * random within their stratum, as in a single import).
 */
public final class RoundGold {
  private RoundGold() {}

  /** What was merged: records and rounds. */
  public record Result(int records, int rounds, Path out) {}

  public static Result merge(List<Path> golds, Path out) {
    if (golds.size() < 2) {
      throw new InputException(Problem.of("--gold: give the gold of every round so far (at least two files)"));
    }
    Map<String, Integer> count = new HashMap<>();
    Map<String, Double> units = new HashMap<>();
    Map<String, String> firstSource = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Path gold : golds) {
      Map<String, Integer> here = new HashMap<>();
      Map<String, Double> pi = new HashMap<>();
      GoldFile.forEach(gold, g -> {
        String key = g.policy() + "\u0000" + g.stratum();
        if (!seen.add(g.unit() + "\u0000" + g.policy())) {
          throw new InputException(Problem.at(gold.toString(), g.line(), "unit", "unit \"" + g.unit() + "\" has gold for "
              + g.policy() + " in an earlier round too; a sequential review never reviews a unit twice"));
        }
        here.merge(key, 1, Integer::sum);
        pi.put(key, g.pi());
      });
      for (Map.Entry<String, Integer> e : here.entrySet()) {
        // a round's π2 is (units reviewed so far)/N_h, or (its own units)/N_h when ties were left out
        int sofar = count.getOrDefault(e.getKey(), 0) + e.getValue();
        double n = sofar / pi.get(e.getKey());
        Double before = units.putIfAbsent(e.getKey(), n);
        if (before != null && Math.abs(before - n) > 0.5 && Math.abs(before - e.getValue() / pi.get(e.getKey())) > 0.5) {
          String[] k = e.getKey().split("\u0000");
          throw new InputException(Problem.of(gold + ": policy " + k[0] + ": stratum " + k[1] + " has "
              + Math.round(n) + " sampled units by this round's gold but " + Math.round(before) + " by "
              + firstSource.get(e.getKey()) + "; give the rounds in order, from the same sample and review design"));
        }
        firstSource.putIfAbsent(e.getKey(), gold.toString());
        count.put(e.getKey(), sofar);
      }
    }
    StringBuilder text = new StringBuilder();
    List<Integer> total = new ArrayList<>(List.of(0));
    for (Path gold : golds) {
      Jsonl.forEach(gold, line -> {
        ObjectNode o = line.node();
        String key = o.path("policy").asText() + "\u0000" + o.path("phase2").path("stratum").asText();
        double n = units.get(key);
        ((ObjectNode) o.get("phase2")).put("pi", Math.min(1, count.get(key) / (double) Math.round(n)));
        text.append(Json.line(o)).append('\n');
        total.set(0, total.get(0) + 1);
      });
    }
    AtomicOutput.write(out, text.toString());
    return new Result(total.get(0), golds.size(), out);
  }
}
