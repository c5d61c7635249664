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
 * @param pairs Cohen's κ for every pair of raters with at least two units in common
 */
public record AgreementSummary(
    int units, int pairable, int raters, int ratings, double percent, double fleissKappa,
    double krippendorffAlpha, double gwetAc1, List<RaterPair> pairs) {
  public AgreementSummary {
    pairs = List.copyOf(pairs);
  }
}
