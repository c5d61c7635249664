package dev.plumb.calibration.gold;

import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fitted rater-error model of one policy ({@link RaterErrorModel}).
 *
 * @param raters each counted rater's sensitivity and specificity, sorted by rater
 * @param panel all answers pooled: the chance that one answer on a violating (clean) item is
 *     positive (negative)
 * @param priors review stratum → estimated share of its units that truly violate, in stratum order
 * @param posterior reviewed item → P(truly violating | its answers), at the fitted error rates
 * @param replicates reviewed item → the same posterior at each bootstrap replicate's error rates
 *     (all arrays of one length, {@code replicates} of the options)
 * @param gold reviewed item → its unbiased gold g_i = (q_i − e0_i)/(e1_i − e0_i), what the corrected
 *     estimators take for y_i: E[g_i] is the unit's true class at the fitted rates (Natarajan et al.
 *     2013); may lie slightly outside [0, 1] ({@link RaterErrorModel})
 * @param goldReplicates reviewed item → g_i at each bootstrap replicate, like {@code replicates}
 * @param goldVariance reviewed item → the answers' noise in g_i at the fitted rates, q_i Var(g | violating)
 *     + (1 − q_i) Var(g | clean) (≥ 0; 0 for exact raters); the estimators' variance adds what the review's
 *     finite-population factor leaves out of it (docs/calibration.md, "The answers' noise in the variance")
 * @param honeypots known-answer items used
 * @param overlapped reviewed items with two or more counted answers
 * @param warnings why the error rates are too uncertain to trust, with how many more items would
 *     help; empty when they are not
 * @param converged whether the full-data EM converged
 */
public record RaterErrorFit(
    List<RaterError> raters, RaterError panel, Map<String, Double> priors, Map<String, Double> posterior,
    Map<String, double[]> replicates, Map<String, Double> gold,
    Map<String, double[]> goldReplicates, Map<String, Double> goldVariance, int honeypots, int overlapped, List<String> warnings, boolean converged) {
  public RaterErrorFit {
    raters = List.copyOf(raters);
    // in stratum order: gold.raters.json lists them so (Map.copyOf's order changes from run to run)
    priors = Collections.unmodifiableMap(new TreeMap<>(priors));
    posterior = Map.copyOf(posterior);
    replicates = Map.copyOf(replicates);
    gold = Map.copyOf(gold);
    goldReplicates = Map.copyOf(goldReplicates);
    goldVariance = Map.copyOf(goldVariance);
    warnings = List.copyOf(warnings);
  }
}
