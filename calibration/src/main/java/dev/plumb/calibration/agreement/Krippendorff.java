package dev.plumb.calibration.agreement;

import java.util.List;

/**
 * Krippendorff's α for any level of measurement, with missing ratings allowed:
 *
 * <p>α = 1 − D_o/D_e = 1 − (n − 1) Σ_{c,k} o_ck δ²_ck / Σ_{c,k} n_c n_k δ²_ck,
 *
 * <p>where the coincidence matrix o_ck = Σ_u (ordered c–k pairs of values in unit u)/(m_u − 1)
 * over units with m_u ≥ 2 values, n_c = Σ_k o_ck, n = Σ_c n_c, and δ² is the metric's difference
 * function (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", Annenberg School for
 * Communication, sections C–E). A strategy per level of measurement; {@link #alpha} validates once.
 *
 * <p>Checked on the paper's worked example (4 observers × 12 units, values 1–5 with missing data):
 * nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
 */
public enum Krippendorff {
  /** δ² = 0 when c = k, else 1: categories without order (e.g. decisions). */
  NOMINAL("nominal") {
    @Override
    double delta2(int c, int k, double[] values, double[] nc) {
      return c == k ? 0 : 1;
    }
  },
  /**
   * δ²_ck = (Σ_{g=c}^{k} n_g − (n_c + n_k)/2)²: ranks only, the distance between two values being
   * how many pairable values lie between them (categories in the table's order, e.g. a severity
   * scale none &lt; low &lt; high).
   */
  ORDINAL("ordinal") {
    @Override
    double delta2(int c, int k, double[] values, double[] nc) {
      int lo = Math.min(c, k);
      int hi = Math.max(c, k);
      double s = 0;
      for (int g = lo; g <= hi; g++) {
        s += nc[g];
      }
      double d = s - (nc[c] + nc[k]) / 2;
      return d * d;
    }
  },
  /** δ² = (v_c − v_k)²: equal steps between the categories' numeric values. */
  INTERVAL("interval") {
    @Override
    double delta2(int c, int k, double[] values, double[] nc) {
      double d = values[c] - values[k];
      return d * d;
    }
  },
  /** δ² = ((v_c − v_k)/(v_c + v_k))²: numeric values with a true zero (0 when both are 0). */
  RATIO("ratio") {
    @Override
    double delta2(int c, int k, double[] values, double[] nc) {
      double sum = values[c] + values[k];
      if (sum == 0) {
        return 0;
      }
      double d = (values[c] - values[k]) / sum;
      return d * d;
    }
  };

  private final String label;

  Krippendorff(String label) {
    this.label = label;
  }

  /** The level's name in reports, e.g. {@code ordinal}. */
  public String label() {
    return label;
  }

  abstract double delta2(int c, int k, double[] values, double[] nc);

  /**
   * α of {@code ratings} at this level of measurement. Ordinal α orders the categories as the
   * table lists them ({@link Ratings#categories()}); interval and ratio α read each category as a
   * number.
   *
   * @return α; NaN when no unit has two values or the expected disagreement is 0 (one value used
   *     throughout)
   * @throws IllegalArgumentException for interval or ratio data whose categories are not all
   *     numbers (ratio: not all ≥ 0), naming the first that is not
   */
  public double alpha(Ratings ratings) {
    List<String> categories = ratings.categories();
    double[] values = new double[categories.size()];
    if (this == INTERVAL || this == RATIO) {
      for (int c = 0; c < values.length; c++) {
        values[c] = number(categories.get(c));
      }
    }
    return alpha(ratings.counts(), values);
  }

  /**
   * α from per-unit value counts: {@code counts[unit][c]} raters gave unit the c-th value, with
   * {@code values[c]} its number (used by interval and ratio data only).
   */
  double alpha(int[][] counts, double[] values) {
    int q = values.length;
    double[][] o = new double[q][q];
    for (int[] row : counts) {
      int m = 0;
      for (int v : row) {
        m += v;
      }
      if (m < 2) {
        continue;
      }
      for (int c = 0; c < q; c++) {
        for (int k = 0; k < q; k++) {
          double pairs = c == k ? row[c] * (row[c] - 1.0) : row[c] * (double) row[k];
          o[c][k] += pairs / (m - 1);
        }
      }
    }
    double[] nc = new double[q];
    double n = 0;
    for (int c = 0; c < q; c++) {
      for (int k = 0; k < q; k++) {
        nc[c] += o[c][k];
      }
      n += nc[c];
    }
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < q; c++) {
      for (int k = 0; k < q; k++) {
        if (c == k) {
          continue;
        }
        double d2 = delta2(c, k, values, nc);
        observed += o[c][k] * d2;
        expected += nc[c] * nc[k] * d2;
      }
    }
    if (n == 0 || expected == 0) {
      return Double.NaN;
    }
    return 1 - (n - 1) * observed / expected;
  }

  private double number(String category) {
    double v;
    try {
      v = Double.parseDouble(category.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(label + " α needs numeric categories, found \"" + category + "\"");
    }
    if (!Double.isFinite(v) || this == RATIO && v < 0) {
      throw new IllegalArgumentException(label + " α needs " + (this == RATIO ? "numbers ≥ 0" : "finite numbers")
          + ", found \"" + category + "\"");
    }
    return v;
  }
}
