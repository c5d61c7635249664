package dev.plumb.calibration.agreement;

import java.util.List;

/**
 * Every agreement statistic of one ratings table (nominal categories).
 *
 * @param units units with at least one rating
 * @param pairable units with at least two ratings (the only ones that carry agreement information)
 * @param raters distinct raters
 * @param ratings ratings in the table
 * @param percent observed agreement p_a (share of agreeing rater pairs, averaged over units)
 * @param fleissKappa Fleiss' κ (with Gwet's generalisation to a varying number of raters per unit)
 * @param krippendorffAlpha Krippendorff's α for nominal data, missing ratings allowed
 * @param gwetAc1 Gwet's AC1
 * @param krippendorffAlphaOrdinal Krippendorff's α for ordinal data over the categories in the
 *     table's order (a policy's decisions in the policy's order: a decision between two others is a
 *     smaller disagreement); equals the nominal α with two categories
 * @param pairs Cohen's κ for every pair of raters with at least two units in common
 */
public record AgreementSummary(
    int units, int pairable, int raters, int ratings, double percent, double fleissKappa,
    double krippendorffAlpha, double gwetAc1, List<RaterPair> pairs, double krippendorffAlphaOrdinal) {
  public AgreementSummary {
    pairs = List.copyOf(pairs);
  }
}
