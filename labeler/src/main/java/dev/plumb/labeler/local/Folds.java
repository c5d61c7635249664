package dev.plumb.labeler.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold assignment: each class is shuffled with a seeded generator and dealt round
 * the folds, so every fold has the class balance of the whole (±1) and the same seed always gives
 * the same folds.
 */
final class Folds {
  private Folds() {}

  /** The fold (0..k−1) of each item. Requires k ≤ the size of the smaller class for every fold to see both. */
  static int[] stratified(boolean[] labels, int k, long seed) {
    if (k < 2) {
      throw new IllegalArgumentException("k must be >= 2: " + k);
    }
    List<Integer> positives = new ArrayList<>();
    List<Integer> negatives = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      (labels[i] ? positives : negatives).add(i);
    }
    Random random = new Random(seed);
    Collections.shuffle(positives, random);
    Collections.shuffle(negatives, random);
    int[] fold = new int[labels.length];
    int next = 0;
    for (List<Integer> group : List.of(positives, negatives)) {
      for (int index : group) {
        fold[index] = next;
        next = (next + 1) % k; // continuing across classes keeps fold sizes within one of each other
      }
    }
    return fold;
  }

  /** Indices whose fold is (or, with {@code in} false, is not) {@code f}. */
  static int[] select(int[] fold, int f, boolean in) {
    int count = 0;
    for (int x : fold) {
      count += (x == f) == in ? 1 : 0;
    }
    int[] out = new int[count];
    int j = 0;
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == f) == in) {
        out[j++] = i;
      }
    }
    return out;
  }
}
