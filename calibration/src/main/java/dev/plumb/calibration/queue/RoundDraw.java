package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code queue export --round K}: the units round K of a sequential review adds
 * ({@link SequentialReview}). The full review is drawn as usual; in each stratum, whose units are
 * ordered by their permanent random numbers, round K takes the units ranked n_h^(K−1)+1 … n_h^(K), so
 * a unit reviewed in an earlier round is never drawn again and the cumulative review after round K
 * is the stratified SRS of n_h^(K) units; its π2 = n_h^(K)/N_h is what the queue records (earlier
 * rounds' gold is brought to it by {@code queue merge-rounds}).
 */
final class RoundDraw {
  /** The round's draw and what queue.json records of it under {@code round}. */
  record Drawn(QueueExport.Phase2 phase2, ObjectNode manifest) {}

  private RoundDraw() {}

  static Drawn draw(QueueExport.Request r, QueueExport.Phase2 full, List<String> ids) {
    GoldDesign.Rounds rounds = r.design().rounds();
    int count = rounds.count();
    int k = r.round();
    if (count == 1) {
      throw new InputException(Problem.of("--round: the review design has no rounds (add rounds: K to review in K rounds)"));
    }
    if (k < 1 || k > count) {
      throw new InputException(Problem.of("--round: " + (k == 0 ? "missing; the review design has " + count
          + " rounds: draw them one at a time, --round 1 first" : k + " is not a round of the design's " + count)));
    }
    if (k > 1 && r.reviewed().isEmpty()) {
      throw new InputException(Problem.of("--reviewed: round " + k + " needs the gold of the rounds before it"
          + " (what was reviewed), to draw the next units without drawing a reviewed one again"));
    }
    List<Queue.Stratum> strata = new ArrayList<>();
    List<Integer> chosen = new ArrayList<>();
    Map<Integer, Queue.Stratum> stratumOf = new HashMap<>();
    Map<String, Integer> before = new HashMap<>();
    ObjectNode manifest = Json.object();
    manifest.put("round", k).put("of", count);
    if (!Double.isNaN(rounds.target())) {
      manifest.put("target_half_width", rounds.target());
    }
    ArrayNode list = manifest.putArray("strata");
    int next = 0;
    Map<Integer, Integer> rank = new HashMap<>();
    for (Queue.Stratum st : full.strata()) {
      int[] fin = {st.n()};
      int prev = SequentialReview.cumulative(fin, k - 1, count)[0];
      int cum = SequentialReview.cumulative(fin, k, count)[0];
      next += k < count ? SequentialReview.cumulative(fin, k + 1, count)[0] - cum : 0;
      List<Integer> ordered = full.ordered().get(st.id());
      for (int j = 0; j < ordered.size(); j++) {
        rank.put(ordered.get(j), j);
      }
      before.put(st.id(), prev);
      list.addObject().put("id", st.id()).put("units", st.units()).put("reviewed_before", prev).put("reviewed_after", cum)
          .put("final", st.n());
      if (cum > prev) {
        Queue.Stratum now = new Queue.Stratum(st.id(), st.units(), cum - prev, cum / (double) st.units());
        strata.add(now);
        for (int i : ordered.subList(prev, cum)) {
          chosen.add(i);
          stratumOf.put(i, now);
        }
      }
    }
    manifest.put("next_round_units", next);
    checkReviewed(r, full, ids, rank, before, k);
    return new Drawn(new QueueExport.Phase2(strata, chosen, stratumOf, full.ordered()), manifest);
  }

  /** Every unit of the earlier rounds' gold must be one this design drew in rounds 1 … k−1. */
  private static void checkReviewed(QueueExport.Request r, QueueExport.Phase2 full, List<String> ids,
      Map<Integer, Integer> rank, Map<String, Integer> before, int k) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    Map<Integer, String> stratum = new HashMap<>();
    full.ordered().forEach((id, members) -> members.forEach(i -> stratum.put(i, id)));
    for (Path gold : r.reviewed()) {
      GoldFile.forEach(gold, g -> {
        Integer i = index.get(g.unit());
        String s = i == null ? null : stratum.get(i);
        if (s == null || rank.get(i) >= before.get(s)) {
          throw new InputException(Problem.at(gold.toString(), g.line(), "unit", "unit \"" + g.unit() + "\" was reviewed"
              + " but is not among the units rounds 1-" + (k - 1) + " of this design drew" + (s == null ? "" : " (stratum "
              + s + ")") + "; every round needs the same sample, labels, review design and seed"));
        }
      });
    }
  }
}
