package dev.plumb.labeler.local;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranking quality of scores against binary labels, defined exactly as scikit-learn defines them so
 * that numbers can be compared.
 */
final class Ranking {
  private Ranking() {}

  /**
   * ROC-AUC: the probability that a random positive scores above a random negative, ties counting
   * one half — the Mann–Whitney U statistic over n₊·n₋ (Hanley &amp; McNeil 1982), computed with
   * mid-ranks. Equals sklearn.metrics.roc_auc_score. NaN when either class is absent.
   */
  static double rocAuc(double[] scores, boolean[] labels) {
    int n = scores.length;
    Integer[] order = order(scores, false);
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = lastTied(scores, order, i);
      double midRank = (i + j) / 2.0 + 1; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          rankSumPositive += midRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * Average precision: AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds in decreasing
   * order, where Pₖ and Rₖ are precision and recall when everything scoring ≥ the k-th threshold
   * is called positive (no interpolation). Equals sklearn.metrics.average_precision_score. NaN when
   * there is no positive.
   */
  static double averagePrecision(double[] scores, boolean[] labels) {
    int n = scores.length;
    long positives = 0;
    for (boolean b : labels) {
      positives += b ? 1 : 0;
    }
    if (positives == 0) {
      return Double.NaN;
    }
    Integer[] order = order(scores, true);
    double ap = 0;
    double previousRecall = 0;
    long tp = 0;
    long fp = 0;
    int i = 0;
    while (i < n) {
      int j = lastTied(scores, order, i);
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          tp++;
        } else {
          fp++;
        }
      }
      double recall = (double) tp / positives;
      double precision = (double) tp / (tp + fp);
      ap += (recall - previousRecall) * precision;
      previousRecall = recall;
      i = j + 1;
    }
    return ap;
  }

  /** The last position from {@code i} on whose unit (in {@code order}) scores the same as the one at {@code i}. */
  private static int lastTied(double[] scores, Integer[] order, int i) {
    int j = i;
    while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
      j++;
    }
    return j;
  }

  private static Integer[] order(double[] scores, boolean descending) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Comparator<Integer> byScore = Comparator.comparingDouble(i -> scores[i]);
    Arrays.sort(order, descending ? byScore.reversed() : byScore);
    return order;
  }
}
