package dev.plumb.calibration.review;

import dev.plumb.calibration.agreement.Ratings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Majority vote per unit; ties are reported, never broken at random. */
final class Majority {
  private Majority() {}

  static List<UnitConsensus> decide(Ratings ratings) {
    int[][] counts = ratings.counts();
    List<String> categories = ratings.categories();
    List<UnitConsensus> out = new ArrayList<>(counts.length);
    for (int u = 0; u < counts.length; u++) {
      String unit = ratings.units().get(u);
      Map<String, Integer> votes = votes(counts[u], categories);
      int raters = 0;
      int top = 0;
      for (int c : counts[u]) {
        raters += c;
        top = Math.max(top, c);
      }
      List<String> winners = new ArrayList<>();
      for (int k = 0; k < counts[u].length; k++) {
        if (counts[u][k] == top) {
          winners.add(categories.get(k));
        }
      }
      if (winners.size() == 1) {
        double share = top / (double) raters;
        out.add(new UnitConsensus.Decided(unit, winners.get(0), raters, votes, share, share));
      } else {
        out.add(new UnitConsensus.Tied(unit, winners, raters, votes));
      }
    }
    return out;
  }

  static Map<String, Integer> votes(int[] counts, List<String> categories) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        votes.put(categories.get(k), counts[k]);
      }
    }
    return votes;
  }
}
