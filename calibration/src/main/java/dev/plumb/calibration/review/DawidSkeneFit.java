package dev.plumb.calibration.review;

import dev.plumb.calibration.agreement.Ratings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted Dawid–Skene model: class priors, each rater's confusion matrix and each unit's
 * posterior over the true class. Immutable; accessors return copies.
 */
public final class DawidSkeneFit {
  private final Ratings ratings;
  private final Map<String, double[]> priors;
  private final double slope;
  private final Map<String, double[][]> confusion;
  private final Map<String, double[]> posterior;
  private final int iterations;
  private final boolean converged;
  private final double logLikelihood;

  DawidSkeneFit(
      Ratings ratings, Map<String, double[]> priors, double slope, Map<String, double[][]> confusion,
      Map<String, double[]> posterior, int iterations, boolean converged, double logLikelihood) {
    this.ratings = ratings;
    this.priors = priors;
    this.slope = slope;
    this.confusion = confusion;
    this.posterior = posterior;
    this.iterations = iterations;
    this.converged = converged;
    this.logLikelihood = logLikelihood;
  }

  /** The classes (the ratings' categories), in the order the arrays use. */
  public List<String> classes() {
    return ratings.categories();
  }

  /**
   * Estimated share of units whose true class is {@code klass} (the first prior group's: the only
   * one unless {@link DawidSkene.Anchors#strata()} gave several).
   */
  public double prior(String klass) {
    return priors.values().iterator().next()[index(klass)];
  }

  /**
   * Estimated share of units of prior group {@code stratum} whose true class is {@code klass}; with
   * covariates, the prior of a unit of that group at x = 0.
   */
  public double prior(String stratum, String klass) {
    double[] p = priors.get(stratum);
    if (p == null) {
      throw new IllegalArgumentException("unknown prior group " + stratum);
    }
    return p[index(klass)];
  }

  /**
   * β of the logistic prior (0 without covariates): a unit of group g with covariate x has prior
   * logit⁻¹(logit {@link #prior(String, String) prior(g, second class)} + β x) of the second class.
   */
  public double slope() {
    return slope;
  }

  /** The prior groups (review strata), in order of first appearance. */
  public List<String> priorGroups() {
    return List.copyOf(priors.keySet());
  }

  /**
   * θ^(rater)_{truth, answer}: the probability that {@code rater} answers {@code answer} on a unit
   * whose true class is {@code truth}.
   */
  public double confusion(String rater, String truth, String answer) {
    double[][] m = confusion.get(rater);
    if (m == null) {
      throw new IllegalArgumentException("unknown rater " + rater);
    }
    return m[index(truth)][index(answer)];
  }

  /** The posterior distribution of {@code unit}'s true class, class → probability. */
  public Map<String, Double> posterior(String unit) {
    double[] p = posteriorArray(unit);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int c = 0; c < p.length; c++) {
      out.put(classes().get(c), p[c]);
    }
    return out;
  }

  /** The raters, in the order of the ratings. */
  public List<String> raterIds() {
    return ratings.raters();
  }

  /** EM iterations run. */
  public int iterations() {
    return iterations;
  }

  /** Whether the log-likelihood converged within the iteration limit. */
  public boolean converged() {
    return converged;
  }

  /** The marginal log-likelihood at the final parameters. */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** One consensus per unit: the class with the highest posterior, or a tie. */
  public List<UnitConsensus> consensus() {
    return DawidSkene.consensus(this);
  }

  Ratings ratings() {
    return ratings;
  }

  double[] posteriorArray(String unit) {
    double[] p = posterior.get(unit);
    if (p == null) {
      throw new IllegalArgumentException("unknown unit " + unit);
    }
    return p.clone();
  }

  private int index(String klass) {
    int i = classes().indexOf(klass);
    if (i < 0) {
      throw new IllegalArgumentException("unknown class " + klass);
    }
    return i;
  }
}
