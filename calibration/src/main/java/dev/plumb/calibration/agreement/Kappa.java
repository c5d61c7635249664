package dev.plumb.calibration.agreement;

import dev.plumb.calibration.stats.Interval;

/**
 * Cohen's κ for two raters with its asymptotic standard error and Wald interval.
 *
 * @param kappa (p_o − p_e)/(1 − p_e); NaN when chance agreement p_e is 1 (both raters used one
 *     category only) or there are no units
 * @param se the large-sample standard error of Fleiss, Cohen &amp; Everitt (1969), as in
 *     statsmodels {@code cohens_kappa(...).std_kappa}; NaN when undefined
 * @param interval κ ± z·se clipped to [−1, 1] (inside it statsmodels {@code kappa_low}, {@code kappa_upp}); {@code null} when
 *     κ or its standard error is undefined
 * @param observed p_o, the share of units on which the two agree
 * @param expected p_e = Σ_k p_{k+} p_{+k}
 * @param n the number of units both raters rated
 */
public record Kappa(double kappa, double se, Interval interval, double observed, double expected, double n) {}
