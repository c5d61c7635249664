package dev.plumb.calibration.review;

import dev.plumb.calibration.agreement.Ratings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Dawid–Skene model (Dawid &amp; Skene 1979, "Maximum likelihood estimation of observer
 * error-rates using the EM algorithm", Applied Statistics 28:20–28), fitted by EM.
 *
 * <p>Each unit i has a latent true class T_i with prior p_k; rater j answers l given true class k
 * with probability θ^(j)_kl (the rater's confusion matrix), independently across raters. EM:
 * <ol>
 *   <li>initialise the posteriors T_ik with each unit's vote shares (soft majority vote), so the
 *       classes keep their meaning and no label switching occurs;
 *   <li>M-step: p_k = (Σ_i T_ik + s)/(n + K s), θ^(j)_kl = (Σ_i T_ik [rater j said l on i] + s)
 *       / (Σ_i T_ik [rater j rated i] + K s), where the pseudo-count s (smoothing) keeps a rater
 *       who rated few units, or never saw a class, away from probabilities of exactly 0 or 1;
 *   <li>E-step: T_ik ∝ p_k Π_j θ^(j)_{k, answer_ij}, in log space;
 * </ol>
 * until the log-likelihood Σ_i log Σ_k p_k Π_j θ^(j)_{k,answer_ij} changes by less than
 * {@code tolerance} × (1 + |log-likelihood|), or {@code maxIterations} is reached (then
 * {@link DawidSkeneFit#converged()} is false). Deterministic: no random restarts.
 *
 * <p>{@link #fit(Ratings, Anchors, Options)} adds two things the review design needs. Known-answer
 * units (honeypots) keep their true class clamped in the E-step (T_ik = [k = known]), so they anchor
 * the classes and inform the confusion matrices without being estimated; and the prior may differ per
 * review stratum, p_{s,k} estimated over the stratum's unclamped units, because a review that
 * oversamples the LLM's positives would otherwise pull every unit toward one pooled prior.
 *
 * <p>With two classes, units may also carry a covariate x_i, and the prior of the second class is then
 * logistic in it: logit p_{i} = α_s + β x_i, an intercept per stratum and one slope (Raykar et al.
 * 2010, "Learning From Crowds", JMLR 11:1297–1322, where the prior is a classifier of the unit's
 * features). The M-step fits (α, β) to the posteriors as soft labels by Newton's method, with the
 * pseudo-count as s units of each class at x = 0 in every stratum and a ridge penalty β²/2 on the
 * slope (both keep the fit finite when the classes separate in x). Without covariates β = 0 and the
 * prior is the closed form above.
 */
public final class DawidSkene {
  private DawidSkene() {}

  /** The smallest confusion probability the E-step uses (matters only with smoothing 0). */
  static final double MIN_THETA = 1e-12;

  /**
   * @param smoothing pseudo-count s ≥ 0 added to every confusion cell and prior
   * @param maxIterations at least 1
   * @param tolerance relative change of the log-likelihood that counts as converged
   */
  public record Options(double smoothing, int maxIterations, double tolerance) {
    public Options {
      if (!(smoothing >= 0) || maxIterations < 1 || !(tolerance > 0)) {
        throw new IllegalArgumentException(
            "invalid Dawid-Skene options: smoothing " + smoothing + ", maxIterations " + maxIterations
                + ", tolerance " + tolerance);
      }
    }

    /** s = 0.5 (a Jeffreys-like pseudo-count), 500 iterations, tolerance 1e-9. */
    public static Options defaults() {
      return new Options(0.5, 500, 1e-9);
    }
  }

  /**
   * Honeypots and review strata for {@link #fit(Ratings, Anchors, Options)}.
   *
   * @param known unit → its true class, for known-answer units (clamped in the E-step)
   * @param strata unit → its prior group (e.g. the review stratum); units absent share one group
   * @param covariates unit → x_i of the logistic prior (finite; two classes only); empty for a
   *     constant prior per group, units absent have x = 0
   */
  public record Anchors(Map<String, String> known, Map<String, String> strata, Map<String, Double> covariates) {
    public Anchors {
      known = Map.copyOf(known);
      strata = Map.copyOf(strata);
      covariates = Map.copyOf(covariates);
      covariates.forEach((unit, x) -> {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("covariate of unit " + unit + " is not finite: " + x);
        }
      });
    }

    /** A constant prior per group. */
    public Anchors(Map<String, String> known, Map<String, String> strata) {
      this(known, strata, Map.of());
    }

    /** No known answers, one prior: the 1979 model. */
    public static Anchors none() {
      return new Anchors(Map.of(), Map.of());
    }
  }

  /** Fits the model to every unit of {@code ratings}. Needs at least one rating. */
  public static DawidSkeneFit fit(Ratings ratings, Options options) {
    return fit(ratings, Anchors.none(), options);
  }

  /**
   * Fits the model with known classes clamped and one prior per stratum. With {@link Anchors#none()}
   * it is {@link #fit(Ratings, Options)}.
   *
   * @throws IllegalArgumentException when a known class is not one of the ratings' categories
   */
  public static DawidSkeneFit fit(Ratings ratings, Anchors anchors, Options options) {
    int[][] cells = ratings.matrix();
    int n = cells.length;
    int k = ratings.categories().size();
    int raters = ratings.raters().size();
    if (n == 0) {
      throw new IllegalArgumentException("no ratings to fit");
    }
    int[] clamp = new int[n];
    int[] group = new int[n];
    double[] x = new double[n];
    boolean logistic = !anchors.covariates().isEmpty();
    if (logistic && k != 2) {
      throw new IllegalArgumentException("a prior with covariates needs two classes, not " + k);
    }
    Map<String, Integer> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String unit = ratings.units().get(i);
      String known = anchors.known().get(unit);
      clamp[i] = known == null ? -1 : ratings.categories().indexOf(known);
      if (known != null && clamp[i] < 0) {
        throw new IllegalArgumentException("known class \"" + known + "\" of unit " + unit + " is not one of "
            + ratings.categories());
      }
      group[i] = groups.computeIfAbsent(anchors.strata().getOrDefault(unit, ""), g -> groups.size());
      x[i] = anchors.covariates().getOrDefault(unit, 0.0);
    }
    int[][] counts = ratings.counts();
    double[][] t = new double[n][k];
    for (int i = 0; i < n; i++) {
      double r = 0;
      for (int c : counts[i]) {
        r += c;
      }
      for (int c = 0; c < k; c++) {
        t[i][c] = clamp[i] >= 0 ? (c == clamp[i] ? 1 : 0) : counts[i][c] / r;
      }
    }
    double s = options.smoothing();
    double[][] prior = new double[groups.size()][k];
    // the logistic prior: α per group, then β; p[i] the unit's prior of class 1
    double[] coef = new double[groups.size() + 1];
    double[][] unitPrior = logistic ? new double[n][k] : null;
    double[][][] theta = new double[raters][k][k];
    double logLik = Double.NEGATIVE_INFINITY;
    boolean converged = false;
    int iteration = 0;
    while (iteration < options.maxIterations()) {
      iteration++;
      mStep(cells, t, s, clamp, group, prior, theta);
      if (logistic) {
        LogisticPrior.fit(t, x, clamp, group, s, coef);
        for (int i = 0; i < n; i++) {
          unitPrior[i][1] = LogisticPrior.p(coef[group[i]] + coef[groups.size()] * x[i]);
          unitPrior[i][0] = 1 - unitPrior[i][1];
        }
        for (int g = 0; g < prior.length; g++) {
          prior[g][1] = LogisticPrior.p(coef[g]);
          prior[g][0] = 1 - prior[g][1];
        }
      }
      double next = eStep(cells, clamp, group, prior, unitPrior, theta, t);
      if (Math.abs(next - logLik) <= options.tolerance() * (1 + Math.abs(next))) {
        logLik = next;
        converged = true;
        break;
      }
      logLik = next;
    }
    Map<String, double[][]> confusion = new LinkedHashMap<>();
    for (int j = 0; j < raters; j++) {
      confusion.put(ratings.raters().get(j), theta[j]);
    }
    Map<String, double[]> posterior = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      posterior.put(ratings.units().get(i), t[i]);
    }
    Map<String, double[]> priors = new LinkedHashMap<>();
    groups.forEach((g, index) -> priors.put(g, prior[index]));
    return new DawidSkeneFit(ratings, priors, logistic ? coef[groups.size()] : 0, confusion, posterior, iteration,
        converged, logLik);
  }

  private static void mStep(
      int[][] cells, double[][] t, double s, int[] clamp, int[] group, double[][] prior, double[][][] theta) {
    int n = cells.length;
    int k = t[0].length;
    double[] units = new double[prior.length];
    for (double[] row : prior) {
      java.util.Arrays.fill(row, 0);
    }
    for (int i = 0; i < n; i++) {
      // known-answer units say nothing about how common a class is among the reviewed units
      if (clamp[i] < 0) {
        units[group[i]]++;
        for (int c = 0; c < k; c++) {
          prior[group[i]][c] += t[i][c];
        }
      }
    }
    for (int g = 0; g < prior.length; g++) {
      for (int c = 0; c < k; c++) {
        prior[g][c] = units[g] + k * s > 0 ? (prior[g][c] + s) / (units[g] + k * s) : 1.0 / k;
      }
    }
    for (double[][] m : theta) {
      for (double[] row : m) {
        java.util.Arrays.fill(row, s);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cells[i].length; j++) {
        int l = cells[i][j];
        if (l < 0) {
          continue;
        }
        for (int c = 0; c < k; c++) {
          theta[j][c][l] += t[i][c];
        }
      }
    }
    for (double[][] m : theta) {
      for (double[] row : m) {
        double sum = 0;
        for (double v : row) {
          sum += v;
        }
        for (int l = 0; l < k; l++) {
          // A rater who never rated a unit of this class (and s = 0) gets a uniform row.
          row[l] = sum > 0 ? row[l] / sum : 1.0 / k;
        }
      }
    }
  }

  /** @param unitPrior each unit's prior (the logistic prior), or null for its group's */
  private static double eStep(int[][] cells, int[] clamp, int[] group, double[][] prior, double[][] unitPrior,
      double[][][] theta, double[][] t) {
    int k = t[0].length;
    double logLik = 0;
    double[] log = new double[k];
    for (int i = 0; i < cells.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        // a known-answer unit's class is given: only its answers' likelihood counts
        double v = clamp[i] >= 0 ? (c == clamp[i] ? 0 : Double.NEGATIVE_INFINITY)
            : Math.log(unitPrior != null ? unitPrior[i][c] : prior[group[i]][c]);
        for (int j = 0; j < cells[i].length && v > Double.NEGATIVE_INFINITY; j++) {
          int l = cells[i][j];
          if (l >= 0) {
            // without smoothing (s = 0) a rater who never erred has θ = 0 off the diagonal; the floor
            // keeps a unit on which such raters disagree finite
            v += Math.log(Math.max(theta[j][c][l], MIN_THETA));
          }
        }
        log[c] = v;
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(log[c] - max);
      }
      for (int c = 0; c < k; c++) {
        t[i][c] = Math.exp(log[c] - max) / sum;
      }
      logLik += max + Math.log(sum);
    }
    return logLik;
  }

  /** The consensus of a fit: the class with the highest posterior, or a tie. */
  static List<UnitConsensus> consensus(DawidSkeneFit fit) {
    Ratings ratings = fit.ratings();
    List<String> classes = ratings.categories();
    int[][] counts = ratings.counts();
    List<UnitConsensus> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      String unit = ratings.units().get(i);
      double[] post = fit.posteriorArray(unit);
      double top = 0;
      for (double p : post) {
        top = Math.max(top, p);
      }
      List<String> winners = new ArrayList<>();
      int best = -1;
      for (int c = 0; c < post.length; c++) {
        if (post[c] >= top - 1e-12) {
          winners.add(classes.get(c));
          best = c;
        }
      }
      int raters = 0;
      for (int c : counts[i]) {
        raters += c;
      }
      Map<String, Integer> votes = Majority.votes(counts[i], classes);
      if (winners.size() == 1) {
        out.add(new UnitConsensus.Decided(
            unit, winners.get(0), raters, votes, counts[i][best] / (double) raters, post[best]));
      } else {
        out.add(new UnitConsensus.Tied(unit, Collections.unmodifiableList(winners), raters, votes));
      }
    }
    return out;
  }
}
