package dev.plumb.calibration.corrected;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Corrected prevalence of one policy from a two-phase sample: every {@link CorrectedEstimator}
 * and the one to headline. Stateless and thread-safe.
 */
public final class Calibration {
  private Calibration() {}

  /** Over the whole sample. */
  public static CorrectedPrevalence estimate(TwoPhaseSample sample, CalibrationOptions options) {
    return estimate(sample, null, options);
  }

  /** One estimator over the whole sample, without the others (for simulations). */
  public static Corrected estimateOnly(TwoPhaseSample sample, CorrectedEstimator estimator, CalibrationOptions options) {
    return new Estimators(sample, null, options).compute(estimator);
  }

  /**
   * Over a domain of the sample (per surface, day…): units outside it keep their place in both
   * designs with zero contributions, as the estimation core does for domains.
   *
   * @param domain per unit of the phase-1 sample in sample order, or {@code null} for all
   */
  public static CorrectedPrevalence estimate(TwoPhaseSample sample, boolean[] domain, CalibrationOptions options) {
    Estimators estimators = new Estimators(sample, domain, options);
    List<Corrected> all = new ArrayList<>();
    for (CorrectedEstimator e : CorrectedEstimator.values()) {
      all.add(estimators.compute(e));
    }
    return new CorrectedPrevalence(all, recommend(all, estimators, sample, options));
  }

  /**
   * The pre-specified headline rule (docs/calibration.md, "Which estimator to headline"). It depends
   * on how the gold was drawn and how many gold positives there are, never on which interval happens
   * to be narrowest in this sample: choosing the narrowest after the fact would bias coverage down.
   * <ol>
   *   <li>No reviewed unit: LLM-only, flagged as uncorrected.
   *   <li>No gold positive: an upper bound — double sampling's when the review was stratified (it
   *       uses the LLM groups' shares from the whole sample), else human-only's.
   *   <li>Otherwise human-only: design-unbiased, it fits no coefficient on the gold, and its
   *       interval held nominal coverage in every simulated design. With
   *       {@link CalibrationOptions#preferPpiPlusPlus()} and at least
   *       {@link CalibrationOptions#minGoldPositives()} gold positives, PPI++ instead. After a
   *       confidence-driven review ({@code type: active}, the Poisson stratum {@value
   *       TwoPhaseSample#ACTIVE}), active AIPW: the estimator that design was drawn for.
   * </ol>
   * {@link CalibrationOptions#headline()}, when set and estimable, replaces the rule.
   * If the rule's choice could not be computed, the first computable of human-only, double
   * sampling, PPI++ is taken and the reason says so.
   */
  static Recommendation recommend(
      List<Corrected> all, Estimators estimators, TwoPhaseSample sample, CalibrationOptions options) {
    boolean stratified = sample.strata2.size() > 1;
    int n = estimators.goldN();
    int positives = estimators.goldPositives();
    String drawn = stratified
        ? "the review sample was stratified (" + String.join(", ", sample.strata2) + ")"
        : "the review sample was a simple random sample of the labeled sample";
    CorrectedEstimator choice;
    String reason;
    Corrected human = find(all, CorrectedEstimator.HUMAN_ONLY);
    Corrected pp = find(all, CorrectedEstimator.PPI_PLUS_PLUS);
    String comparison = "";
    if (human instanceof Corrected.Estimated h && pp instanceof Corrected.Estimated p) {
      double gain = 1 - p.interval().width() / h.interval().width();
      comparison = String.format(Locale.ROOT, "PPI++'s interval is %.0f%% %s than human-only's",
          Math.abs(100 * gain), gain >= 0 ? "narrower" : "wider");
    }
    if (options.headline() != null && n > 0 && !(find(all, options.headline()) instanceof Corrected.NotEstimable)) {
      return new Recommendation(options.headline(), options.headline().label() + " requested (--estimator); "
          + positives + " gold positives among " + n + " reviewed units" + afterActiveReview(sample, options.headline()));
    }
    if (n == 0) {
      return new Recommendation(CorrectedEstimator.LLM_ONLY,
          "no reviewed units: only the uncorrected LLM-only estimate exists; it is biased by the LLM's errors");
    } else if (positives == 0) {
      choice = stratified ? CorrectedEstimator.DOUBLE_SAMPLING : CorrectedEstimator.HUMAN_ONLY;
      reason = String.format(Locale.ROOT, "no gold positive among %d reviewed units, so only an upper bound "
          + "is informative; %s, so the %s bound is used", n, drawn, choice.label());
    } else if (sample.poisson) {
      choice = CorrectedEstimator.ACTIVE_AIPW;
      reason = String.format(Locale.ROOT, "%d gold positives among %d reviewed units; the review was "
          + "confidence-driven (a Poisson draw with each unit's π2), so active AIPW, the estimator that design "
          + "was drawn for, with the larger of its jackknife and model-anticipated variance", positives, n);
    } else if (options.preferPpiPlusPlus() && positives >= options.minGoldPositives()) {
      choice = CorrectedEstimator.PPI_PLUS_PLUS;
      reason = String.format(Locale.ROOT, "PPI++ requested and %d gold positives among %d reviewed units "
          + "(at least %d): it combines all LLM labels with the gold, λ tuned to minimise the variance",
          positives, n, options.minGoldPositives()) + (comparison.isEmpty() ? "" : "; " + comparison);
    } else {
      choice = CorrectedEstimator.HUMAN_ONLY;
      reason = String.format(Locale.ROOT, "%d gold positives among %d reviewed units; human-only is "
          + "design-unbiased and fits no coefficient on the gold, so its interval keeps its coverage even "
          + "when the LLM errs on heavily weighted units; %s", positives, n, drawn)
          + (comparison.isEmpty() ? "" : " (" + comparison + ")");
    }
    if (find(all, choice) instanceof Corrected.NotEstimable ne) {
      for (CorrectedEstimator fallback : List.of(CorrectedEstimator.HUMAN_ONLY,
          CorrectedEstimator.DOUBLE_SAMPLING, CorrectedEstimator.PPI_PLUS_PLUS)) {
        if (!(find(all, fallback) instanceof Corrected.NotEstimable)) {
          return new Recommendation(fallback, reason + "; but " + choice.label() + " is not estimable ("
              + ne.reason() + "), so " + fallback.label());
        }
      }
    }
    return new Recommendation(choice, reason);
  }

  /**
   * The caution a requested headline needs after a confidence-driven review: human-only's and PPI++'s
   * Hájek ratios on the bare call weight each unit by 1/π2, and π2 follows the LLM's confidence, so their
   * sampling distribution is heavy-tailed and their normal intervals under-cover (0.47–0.94 in
   * docs/calibration.md's review-design simulation; human-only 11 of 20 for misinformation on the
   * demo); the design was drawn for active AIPW.
   */
  private static String afterActiveReview(TwoPhaseSample sample, CorrectedEstimator requested) {
    if (!sample.poisson || (requested != CorrectedEstimator.HUMAN_ONLY && requested != CorrectedEstimator.PPI_PLUS_PLUS)) {
      return "";
    }
    return "; caution: after a confidence-driven review its interval under-covers (weights 1/π2 that follow the"
        + " LLM's confidence make it heavy-tailed; docs/calibration.md, \"Review designs: stratified PPI and"
        + " active AIPW\"): active AIPW is the estimator this review was drawn for";
  }

  private static Corrected find(List<Corrected> all, CorrectedEstimator e) {
    return all.stream().filter(c -> c.estimator() == e).findFirst().orElseThrow();
  }
}
