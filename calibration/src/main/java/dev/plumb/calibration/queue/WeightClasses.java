package dev.plumb.calibration.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits one phase-2 stratum into classes by phase-1 contribution weight w_i = m_i·d1_i and
 * allocates the stratum's review budget over them ({@code weight_classes:} in review.yaml,
 * docs/review.md).
 *
 * <p><b>Boundaries.</b> The units are ordered by weight (ties by position) and cut into at most
 * K classes of equal total weight: unit i goes to class ⌊K·c_i/W⌋ (at most K − 1), where c_i is the
 * total weight of the units before it plus half its own and W the stratum's total. A unit heavier
 * than W/K fills a class of its own, so fewer than K classes can result; empty classes are dropped.
 * When the budget n is below 2K, K is lowered to max(1, ⌊n/2⌋) first.
 *
 * <p><b>Allocation.</b> Every class gets min(2, N_h) first, so each class reviewed in part has at
 * least two units and a variance estimate. The rest of n goes to the classes in proportion to
 * a_h = √(N_h·W_h), the geometric mean of proportional (N_h) and weight-proportional (W_h)
 * allocation, capped at N_h: a class whose share reaches N_h is reviewed whole (π2 = 1) and the
 * surplus is shared again among the others. Shares are rounded down and the units left over go to
 * the classes with the largest remainders (the heavier class on a tie). With equal-weight classes
 * the few heaviest units form the top class, which the budget then covers whole.
 *
 * <p>Why √: allocating in proportion to W_h (PPS-like) removes the skew of heavy units best but
 * takes reviews from the light units where a score-lensed phase 1 leaves most misses; N_h (plain
 * stratified SRS) leaves the heavy units to chance. On the demo's structure the geometric mean cut
 * the human-only SD of the worst policy by 40% and cost the others at most 8% (docs/calibration.md).
 */
final class WeightClasses {
  /** One class: its members (indices into the weight array, ascending weight) and units to review. */
  record Class(int[] members, int n, double weight) {}

  private WeightClasses() {}

  /**
   * @param w the units' weights (finite, ≥ 0)
   * @param n the stratum's budget, 1 ≤ n &lt; w.length
   * @param k the number of classes wanted, ≥ 1
   * @return the non-empty classes, lightest first, with n_h summing to n
   */
  static List<Class> split(double[] w, int n, int k) {
    int size = w.length;
    if (n < 1 || n >= size || k < 1) {
      throw new IllegalArgumentException("split " + size + " units for " + n + " reviews into " + k + " classes");
    }
    List<Class> cut = cut(w, Math.min(k, Math.max(1, n / 2)));
    int h = cut.size();
    int[] units = new int[h];
    double[] weight = new double[h];
    for (int c = 0; c < h; c++) {
      units[c] = cut.get(c).members().length;
      weight[c] = cut.get(c).weight();
    }
    int[] alloc = share(units, weight, n);
    List<Class> out = new ArrayList<>();
    for (int c = 0; c < h; c++) {
      out.add(new Class(cut.get(c).members(), alloc[c], cut.get(c).weight()));
    }
    return out;
  }

  /**
   * A stratum's budget n over its classes of {@code units} units and total weight {@code weight} (the class
   * comment's allocation: a_h = √(N_h·W_h), or N_h when every weight is 0); what {@link #split} gives its classes,
   * and what {@code plumb plan} plans a fixed design with.
   */
  static int[] share(int[] units, double[] weight, int n) {
    int h = units.length;
    double[] a = new double[h];
    double sumA = 0;
    for (int c = 0; c < h; c++) {
      a[c] = Math.sqrt(units[c] * weight[c]);
      sumA += a[c];
    }
    if (!(sumA > 0)) {
      for (int c = 0; c < h; c++) {
        a[c] = units[c];
      }
    }
    return allocate(units, a, n);
  }

  /**
   * The class boundaries alone: the non-empty classes of equal total weight, lightest first, each
   * with n = 0 (the review allocation, {@link ReviewAllocation}, sizes them over all strata at once).
   */
  static List<Class> cut(double[] w, int classes) {
    int size = w.length;
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> w[i]).thenComparingInt(i -> i));
    double total = 0;
    for (double x : w) {
      total += x;
    }
    int[] cls = new int[size];
    double before = 0;
    for (int j = 0; j < size; j++) {
      int i = order[j];
      cls[j] = total > 0 ? (int) Math.min(classes - 1, Math.floor(classes * (before + w[i] / 2) / total)) : 0;
      before += w[i];
    }
    List<List<Integer>> members = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    int last = -1;
    for (int j = 0; j < size; j++) {
      if (cls[j] != last) {
        members.add(new ArrayList<>());
        weights.add(0.0);
        last = cls[j];
      }
      members.get(members.size() - 1).add(order[j]);
      weights.set(weights.size() - 1, weights.get(weights.size() - 1) + w[order[j]]);
    }
    List<Class> out = new ArrayList<>();
    for (int c = 0; c < members.size(); c++) {
      out.add(new Class(members.get(c).stream().mapToInt(Integer::intValue).toArray(), 0, weights.get(c)));
    }
    return out;
  }

  /** min(2, N_h) each, the rest ∝ a_h capped at N_h, largest-remainder rounding. */
  static int[] allocate(int[] units, double[] a, int n) {
    int h = units.length;
    int[] base = new int[h];
    int baseSum = 0;
    for (int c = 0; c < h; c++) {
      base[c] = Math.min(2, units[c]);
      baseSum += base[c];
    }
    if (baseSum > n) {
      throw new IllegalArgumentException(n + " reviews cannot give " + h + " classes two each");
    }
    boolean[] full = new boolean[h];
    double[] share = new double[h];
    while (true) {
      double rest = n;
      double free = 0;
      for (int c = 0; c < h; c++) {
        rest -= full[c] ? units[c] : base[c];
        free += full[c] ? 0 : a[c];
      }
      boolean changed = false;
      for (int c = 0; c < h; c++) {
        share[c] = full[c] ? units[c] : base[c] + (free > 0 ? rest * a[c] / free : 0);
        if (!full[c] && share[c] >= units[c]) {
          full[c] = true;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    int[] alloc = new int[h];
    int given = 0;
    for (int c = 0; c < h; c++) {
      alloc[c] = Math.min(units[c], (int) Math.floor(share[c] + 1e-9));
      given += alloc[c];
    }
    Integer[] byRemainder = new Integer[h];
    for (int c = 0; c < h; c++) {
      byRemainder[c] = c;
    }
    double[] rem = new double[h];
    for (int c = 0; c < h; c++) {
      rem[c] = share[c] - alloc[c];
    }
    Arrays.sort(byRemainder, Comparator.<Integer>comparingDouble(c -> -rem[c]).thenComparingInt(c -> -c));
    while (given < n) {
      boolean any = false;
      for (int c : byRemainder) {
        if (given < n && alloc[c] < units[c]) {
          alloc[c]++;
          given++;
          any = true;
        }
      }
      if (!any) {
        throw new IllegalStateException("allocation of " + n + " exceeds the stratum");
      }
    }
    return alloc;
  }
}
