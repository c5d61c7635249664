package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.review.ConsensusMethod;
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
 * <p>The first round's gold gives N_h = records/π2 exactly (its import wrote π2 = n_h/N_h, or
 * (units with gold)/N_h when ties were left out); later rounds record the cumulative π2. After the merge, every record of policy p in stratum h carries π2 = Σ_r count_r/N_h:
 * the cumulative review is a stratified SRS of that many units (ties and unanswered units left out at
 * random within their stratum, as in a single import).
 */
public final class RoundGold {
  private RoundGold() {}

  /**
   * What was merged: records and rounds.
   *
   * @param errorModel whether the rounds' gold was error-model gold, re-scored by one model fitted on
   *     every round's answers (then the raters and answers files beside {@code out} were written too)
   */
  public record Result(int records, int rounds, Path out, boolean errorModel) {}

  /**
   * Whether the rounds' gold is error-model gold (every round's raters file says {@code consensus:
   * error-model}): then {@link #rounds} imports it again. Rounds of which some, not all, are
   * error-model gold are a one-line error naming each round's consensus: one rater-error model over
   * every round's answers needs every round's answers read that way, and majority gold merged with
   * error-model gold would count some units by votes and others by the model's posterior.
   */
  public static boolean isErrorModel(List<Path> golds) {
    String em = ConsensusMethod.ERROR_MODEL.label();
    List<String> each = new ArrayList<>();
    Path odd = null;
    int models = 0;
    for (int k = 1; k <= golds.size(); k++) {
      String c = RoundErrorModel.consensus(golds.get(k - 1));
      boolean model = em.equals(c);
      models += model ? 1 : 0;
      // the first round that differs from round 1 is where the files disagree
      odd = odd == null && k > 1 && model != em.equals(RoundErrorModel.consensus(golds.get(0))) ? golds.get(k - 1) : odd;
      each.add("round " + k + " " + (c == null ? "without a raters file" : c));
    }
    if (models == 0 || models == golds.size()) {
      return models > 0;
    }
    throw new InputException(Problem.of(odd + ": the rounds were imported with different consensus ("
        + String.join(", ", each) + "); error-model gold is merged by one model over every round's answers, so"
        + " import every round with --consensus error-model, or none"));
  }

  /**
   * {@code queue merge-rounds}: {@link #rounds} of at least two rounds.
   *
   * @param adjudicated filled-in adjudication files (a round's, or the merged {@code .adjudication.csv}),
   *     error-model gold only: each row's item is found by its {@code unit} among every round's reviewed
   *     items and its decision decides that unit in the merged gold
   */
  public static Result merge(List<Path> golds, List<Path> adjudicated, Path out) {
    if (golds.size() < 2) {
      throw new InputException(Problem.of("--gold: give the gold of every round so far (at least two files)"));
    }
    if (!adjudicated.isEmpty() && !isErrorModel(golds)) {
      throw new InputException(Problem.of(adjudicated.get(0) + ": --adjudicated decides the ties of error-model gold"
          + " in the merge; other gold keeps each round's adjudications as they are: import the round again with"
          + " --adjudicated, then merge"));
    }
    return rounds(golds, adjudicated, out);
  }

  /** {@link #rounds(List, List, Path)} with the rounds' own adjudications only. */
  public static Result rounds(List<Path> golds, Path out) {
    return rounds(golds, List.of(), out);
  }

  /**
   * The gold of rounds 1 … K (K ≥ 1) as one file. Majority (or Dawid–Skene) gold is each round's
   * records with π2 made cumulative and {@code round} K added. Error-model gold ({@code consensus: error-model} in the rounds'
   * raters files) is imported again as one queue: the rater-error model belongs to the panel, so one
   * model is fitted on every round's answers (their honeypots and overlaps) and scores every unit, and
   * {@code out} with its raters, answers and adjudication files is what one {@code queue import
   * --consensus error-model} of all rounds' items gives, each unit in its round's stratum with the
   * cumulative π2; each record names its item as its round's queue does, with {@code round} K (item ids
   * repeat from round to round), and a round's adjudicated records (and the {@code adjudicated} files)
   * decide their units whatever the one model's consensus.
   */
  public static Result rounds(List<Path> golds, List<Path> adjudicated, Path out) {
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
        // the first round with the stratum gives N_h exactly (its π2 is units-with-gold/N_h, ties or
        // not); a later round's π2·N_h is its cumulative draw, which must hold its own records
        double n = e.getValue() / pi.get(e.getKey());
        Double first = units.putIfAbsent(e.getKey(), n);
        if (first != null && pi.get(e.getKey()) * first + 0.5 < e.getValue()) {
          String[] k = e.getKey().split("\u0000");
          throw new InputException(Problem.of(gold + ": policy " + k[0] + ": stratum " + k[1] + " has "
              + e.getValue() + " records, more than its pi " + pi.get(e.getKey()) + " allows of the " + Math.round(first)
              + " sampled units " + firstSource.get(e.getKey()) + " gives; give the rounds in order, from the same sample"
              + " and review design"));
        }
        firstSource.putIfAbsent(e.getKey(), gold.toString());
        count.merge(e.getKey(), e.getValue(), Integer::sum);
      }
    }
    if (isErrorModel(golds)) {
      QueueImport.Result r = RoundErrorModel.importRounds(golds, adjudicated, out);
      return new Result(r.policies().stream().mapToInt(QueueImport.PolicyResult::gold).sum(), golds.size(), out, true);
    }
    StringBuilder text = new StringBuilder();
    List<Integer> total = new ArrayList<>(List.of(0));
    for (int k = 0; k < golds.size(); k++) {
      int round = k + 1;
      Jsonl.forEach(golds.get(k), line -> {
        ObjectNode o = line.node();
        String key = o.path("policy").asText() + "\u0000" + o.path("phase2").path("stratum").asText();
        double n = units.get(key);
        ((ObjectNode) o.get("phase2")).put("pi", Math.min(1, count.get(key) / (double) Math.round(n)));
        // item ids repeat from round to round: the round tells whose queue an item is, as in error-model gold
        o.put("round", round);
        text.append(Json.line(o)).append('\n');
        total.set(0, total.get(0) + 1);
      });
    }
    AtomicOutput.write(out, text.toString());
    return new Result(total.get(0), golds.size(), out, false);
  }
}
