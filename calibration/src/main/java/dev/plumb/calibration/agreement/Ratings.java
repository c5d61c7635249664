package dev.plumb.calibration.agreement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An immutable reliability-data table: units × raters, each cell a category or missing. Units,
 * raters and categories keep their first-seen order unless a category set is given.
 *
 * <p>A rater rates a unit at most once: a second rating of the same unit by the same rater is an
 * {@link IllegalArgumentException} naming both.
 */
public final class Ratings {
  private final List<String> units;
  private final List<String> raters;
  private final List<String> categories;
  private final Map<String, Integer> unitIndex;
  private final Map<String, Integer> raterIndex;
  private final Map<String, Integer> categoryIndex;
  /** cell[unit][rater] = category index, or -1 when missing. */
  private final int[][] cell;
  private final int count;

  private Ratings(List<String> units, List<String> raters, List<String> categories, int[][] cell, int count) {
    this.units = List.copyOf(units);
    this.raters = List.copyOf(raters);
    this.categories = List.copyOf(categories);
    this.unitIndex = index(this.units);
    this.raterIndex = index(this.raters);
    this.categoryIndex = index(this.categories);
    this.cell = cell;
    this.count = count;
  }

  /** The table of {@code ratings}; categories are those that occur, in sorted order. */
  public static Ratings of(Collection<Rating> ratings) {
    return of(ratings, new TreeSet<>(ratings.stream().map(Rating::category).toList()));
  }

  /**
   * The table of {@code ratings} over the category set {@code categories} (which may include
   * categories nobody chose; Gwet's AC1 depends on their number).
   *
   * @throws IllegalArgumentException for a category outside the set or a duplicate rating
   */
  public static Ratings of(Collection<Rating> ratings, Collection<String> categories) {
    Map<String, Integer> units = new LinkedHashMap<>();
    Map<String, Integer> raters = new LinkedHashMap<>();
    List<String> cats = new ArrayList<>(new java.util.LinkedHashSet<>(categories));
    Map<String, Integer> catIndex = index(cats);
    for (Rating r : ratings) {
      units.putIfAbsent(r.unit(), units.size());
      raters.putIfAbsent(r.rater(), raters.size());
      if (!catIndex.containsKey(r.category())) {
        throw new IllegalArgumentException(
            "category \"" + r.category() + "\" of unit " + r.unit() + " is not one of " + cats);
      }
    }
    int[][] cell = new int[units.size()][raters.size()];
    for (int[] row : cell) {
      java.util.Arrays.fill(row, -1);
    }
    for (Rating r : ratings) {
      int u = units.get(r.unit());
      int j = raters.get(r.rater());
      if (cell[u][j] >= 0) {
        throw new IllegalArgumentException(
            "rater " + r.rater() + " rated unit " + r.unit() + " twice");
      }
      cell[u][j] = catIndex.get(r.category());
    }
    return new Ratings(new ArrayList<>(units.keySet()), new ArrayList<>(raters.keySet()), cats, cell, ratings.size());
  }

  public List<String> units() {
    return units;
  }

  public List<String> raters() {
    return raters;
  }

  public List<String> categories() {
    return categories;
  }

  /** The number of ratings in the table. */
  public int size() {
    return count;
  }

  /** The category {@code rater} gave {@code unit}, or {@code null} when missing. */
  public String category(String unit, String rater) {
    Integer u = unitIndex.get(unit);
    Integer j = raterIndex.get(rater);
    if (u == null || j == null || cell[u][j] < 0) {
      return null;
    }
    return categories.get(cell[u][j]);
  }

  /** The ratings of {@code unit}: rater → category, in rater order. Empty for an unknown unit. */
  public Map<String, String> ratingsOf(String unit) {
    Integer u = unitIndex.get(unit);
    if (u == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int j = 0; j < raters.size(); j++) {
      if (cell[u][j] >= 0) {
        out.put(raters.get(j), categories.get(cell[u][j]));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Per unit (in {@link #units()} order), how many raters chose each category: [unit][category]. */
  public int[][] counts() {
    int[][] counts = new int[units.size()][categories.size()];
    for (int u = 0; u < units.size(); u++) {
      for (int j = 0; j < raters.size(); j++) {
        if (cell[u][j] >= 0) {
          counts[u][cell[u][j]]++;
        }
      }
    }
    return counts;
  }

  /**
   * The table as category indexes: [unit][rater] = index into {@link #categories()}, or -1 when
   * the rater did not rate the unit. A fresh copy.
   */
  public int[][] matrix() {
    int[][] copy = new int[cell.length][];
    for (int u = 0; u < cell.length; u++) {
      copy[u] = cell[u].clone();
    }
    return copy;
  }

  int categoryIndex(String category) {
    Integer k = categoryIndex.get(category);
    return k == null ? -1 : k;
  }

  int raterIndex(String rater) {
    Integer j = raterIndex.get(rater);
    if (j == null) {
      throw new IllegalArgumentException("unknown rater " + rater);
    }
    return j;
  }

  private static Map<String, Integer> index(List<String> values) {
    Map<String, Integer> map = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      map.put(values.get(i), i);
    }
    return map;
  }
}
