package dev.plumb.calibration.agreement;

import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.List;

/**
 * Chance-corrected agreement between raters on nominal categories. All statistics accept missing
 * ratings (a rater who did not rate a unit); units with fewer than two ratings carry no agreement
 * information and are ignored where a statistic needs pairs.
 *
 * <p>Notation (Gwet 2014, <i>Handbook of Inter-Rater Reliability</i>, 4th ed., ch. 2): n units
 * with at least one rating, r_ik raters putting unit i in category k, r_i = Σ_k r_ik, q categories.
 * <ul>
 *   <li>observed agreement p_a = (1/n₂) Σ_{i: r_i ≥ 2} Σ_k r_ik(r_ik − 1)/(r_i(r_i − 1)) over the n₂
 *       units rated at least twice;
 *   <li>category shares π_k = (1/n) Σ_i r_ik/r_i.
 * </ul>
 * With every unit rated by the same raters these reduce to Fleiss (1971).
 */
public final class Agreement {
  private Agreement() {}

  /** Every statistic of {@code ratings} at confidence {@code level} (for the Cohen intervals). */
  public static AgreementSummary summarize(Ratings ratings, double level) {
    int[][] counts = ratings.counts();
    int pairable = 0;
    for (int[] row : counts) {
      if (sum(row) >= 2) {
        pairable++;
      }
    }
    List<RaterPair> pairs = new ArrayList<>();
    List<String> raters = ratings.raters();
    for (int a = 0; a < raters.size(); a++) {
      for (int b = a + 1; b < raters.size(); b++) {
        Kappa k = cohen(ratings, raters.get(a), raters.get(b), level);
        if (k.n() >= 2) {
          pairs.add(new RaterPair(raters.get(a), raters.get(b), k));
        }
      }
    }
    return new AgreementSummary(
        ratings.units().size(), pairable, raters.size(), ratings.size(), percent(ratings),
        fleissKappa(ratings), krippendorffAlpha(ratings), gwetAc1(ratings), pairs, Krippendorff.ORDINAL.alpha(ratings));
  }

  /**
   * Observed agreement p_a: for each unit rated at least twice, the share of ordered rater pairs
   * that agree; averaged over those units. For two raters this is the share of units on which they
   * agree. NaN when no unit has two ratings.
   */
  public static double percent(Ratings ratings) {
    return observed(ratings.counts());
  }

  /**
   * Fleiss' κ = (p_a − p_e)/(1 − p_e) with p_e = Σ_k π_k² (Fleiss 1971, Psychological Bulletin
   * 76:378–382; generalised to a varying number of raters per unit as in Gwet 2014 and R irrCAC
   * {@code fleiss.kappa.raw}). NaN when p_e = 1 or no unit has two ratings.
   */
  public static double fleissKappa(Ratings ratings) {
    int[][] counts = ratings.counts();
    double pa = observed(counts);
    double pe = 0;
    for (double p : shares(counts, ratings.categories().size())) {
      pe += p * p;
    }
    return ratio(pa, pe);
  }

  /**
   * Gwet's AC1 = (p_a − p_e)/(1 − p_e) with p_e = Σ_k π_k(1 − π_k)/(q − 1) (Gwet 2008, British
   * Journal of Mathematical and Statistical Psychology 61:29–48). Unlike κ it stays stable when one
   * category is rare, as violations are. q is the size of the category set the table was built with.
   * NaN with fewer than two categories or no unit rated twice.
   */
  public static double gwetAc1(Ratings ratings) {
    int q = ratings.categories().size();
    if (q < 2) {
      return Double.NaN;
    }
    int[][] counts = ratings.counts();
    double pa = observed(counts);
    double pe = 0;
    for (double p : shares(counts, q)) {
      pe += p * (1 - p);
    }
    return ratio(pa, pe / (q - 1));
  }

  /**
   * Krippendorff's α for nominal data: α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k over the
   * coincidence matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C:
   * nominal data, any number of observers, missing data); {@link Krippendorff} has the ordinal,
   * interval and ratio levels. NaN when expected disagreement is zero (one category used
   * throughout) or no unit has two values.
   */
  public static double krippendorffAlpha(Ratings ratings) {
    return Krippendorff.NOMINAL.alpha(ratings);
  }

  /** Cohen's κ between raters {@code a} and {@code b} on the units both rated. */
  public static Kappa cohen(Ratings ratings, String a, String b, double level) {
    int ja = ratings.raterIndex(a);
    int jb = ratings.raterIndex(b);
    int q = ratings.categories().size();
    double[][] table = new double[q][q];
    for (int[] row : ratings.matrix()) {
      if (row[ja] >= 0 && row[jb] >= 0) {
        table[row[ja]][row[jb]]++;
      }
    }
    return cohen(table, level);
  }

  /**
   * Cohen's κ (Cohen 1960) from a q × q table (rows: first rater, columns: second; cells may be
   * weighted, e.g. design weights), with the standard error of Fleiss, Cohen &amp; Everitt (1969)
   * exactly as statsmodels {@code cohens_kappa} computes it:
   * var = [Σ_i p_ii(1 − (p_{i+} + p_{+i})(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij (p_{+i} + p_{j+})²
   * − (κ − p_e(1 − κ))²] / ((1 − p_e)² n). The Wald interval κ ± z·se is clipped to [−1, 1], the
   * range of κ; inside it the bounds equal statsmodels' {@code kappa_low}, {@code kappa_upp}.
   */
  public static Kappa cohen(double[][] table, double level) {
    int q = table.length;
    double n = 0;
    for (double[] row : table) {
      if (row.length != q) {
        throw new IllegalArgumentException("the agreement table must be square");
      }
      n += sum(row);
    }
    if (n <= 0) {
      return new Kappa(Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, 0);
    }
    double[] rowShare = new double[q];
    double[] colShare = new double[q];
    double po = 0;
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        rowShare[i] += table[i][j] / n;
        colShare[j] += table[i][j] / n;
      }
      po += table[i][i] / n;
    }
    double pe = 0;
    for (int i = 0; i < q; i++) {
      pe += rowShare[i] * colShare[i];
    }
    double kappa = ratio(po, pe);
    double se = Double.NaN;
    Interval interval = null;
    if (!Double.isNaN(kappa)) {
      double termA = 0;
      double termB = 0;
      for (int i = 0; i < q; i++) {
        double d = 1 - (rowShare[i] + colShare[i]) * (1 - kappa);
        termA += table[i][i] / n * d * d;
        for (int j = 0; j < q; j++) {
          if (i != j) {
            double s = colShare[i] + rowShare[j];
            termB += table[i][j] / n * s * s;
          }
        }
      }
      termB *= (1 - kappa) * (1 - kappa);
      double termC = kappa - pe * (1 - kappa);
      double var = (termA + termB - termC * termC) / ((1 - pe) * (1 - pe)) / n;
      se = Math.sqrt(Math.max(0, var));
      double z = BinomialInterval.z(level);
      // κ lies in [−1, 1]; a Wald interval near the ends spills over (statsmodels does not clip)
      interval = Interval.clamped(kappa - z * se, kappa + z * se, -1, 1, level, "wald", false);
    }
    return new Kappa(kappa, se, interval, po, pe, n);
  }

  /**
   * Gwet's AC1 for two raters from a q × q table (cells may be weighted): p_a = Σ p_kk,
   * π_k = (p_{k+} + p_{+k})/2, p_e = Σ_k π_k(1 − π_k)/(q − 1).
   */
  public static double gwetAc1(double[][] table) {
    int q = table.length;
    if (q < 2) {
      return Double.NaN;
    }
    double n = 0;
    for (double[] row : table) {
      n += sum(row);
    }
    if (n <= 0) {
      return Double.NaN;
    }
    double pa = 0;
    double pe = 0;
    for (int k = 0; k < q; k++) {
      pa += table[k][k] / n;
      double pik = 0;
      for (int j = 0; j < q; j++) {
        pik += (table[k][j] + table[j][k]) / (2 * n);
      }
      pe += pik * (1 - pik);
    }
    return ratio(pa, pe / (q - 1));
  }

  private static double observed(int[][] counts) {
    double total = 0;
    int units = 0;
    for (int[] row : counts) {
      int r = sum(row);
      if (r < 2) {
        continue;
      }
      double agree = 0;
      for (int c : row) {
        agree += c * (c - 1.0);
      }
      total += agree / (r * (r - 1.0));
      units++;
    }
    return units == 0 ? Double.NaN : total / units;
  }

  private static double[] shares(int[][] counts, int q) {
    double[] pi = new double[q];
    int n = 0;
    for (int[] row : counts) {
      int r = sum(row);
      if (r == 0) {
        continue;
      }
      n++;
      for (int k = 0; k < q; k++) {
        pi[k] += row[k] / (double) r;
      }
    }
    for (int k = 0; k < q; k++) {
      pi[k] /= n;
    }
    return pi;
  }

  private static double ratio(double pa, double pe) {
    if (Double.isNaN(pa) || !(pe < 1)) {
      return Double.NaN;
    }
    return (pa - pe) / (1 - pe);
  }

  private static int sum(int[] row) {
    int s = 0;
    for (int v : row) {
      s += v;
    }
    return s;
  }

  private static double sum(double[] row) {
    double s = 0;
    for (double v : row) {
      s += v;
    }
    return s;
  }
}
