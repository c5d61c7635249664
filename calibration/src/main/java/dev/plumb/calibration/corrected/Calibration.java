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
   * The pre-specified headline rule (docs/calibration.md, "Which estimator to headline"): the rule
   * depends on how the gold was drawn and how many gold positives there are, never on which
   * interval happens to be narrowest in this sample — choosing the narrowest after the fact would
   * bias coverage down.
   * <ol>
   *   <li>No gold positive: an upper bound — double sampling's when the review was stratified by the
   *       LLM decision (it uses the LLM groups' shares from the whole sample), else human-only's.
   *   <li>Fewer than {@code minGoldPositives} gold positives: double sampling when the review was
   *       stratified (or human-only when it was not): their intervals rest on the gold alone.
   *   <li>Otherwise PPI++: it uses every LLM label and every gold label, and its λ is tuned so that
   *       it is asymptotically never less precise than human-only or PPI.
   * </ol>
   * If the rule's choice could not be computed, the first computable of PPI++, double sampling,
   * human-only is taken and the reason says so.
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
    if (n == 0) {
      return new Recommendation(CorrectedEstimator.LLM_ONLY,
          "no reviewed units: only the uncorrected LLM-only estimate exists; it is biased by the LLM's errors");
    } else if (positives == 0) {
      choice = stratified ? CorrectedEstimator.DOUBLE_SAMPLING : CorrectedEstimator.HUMAN_ONLY;
      reason = String.format(Locale.ROOT, "no gold positive among %d reviewed units, so only an upper bound "
          + "is informative; %s, so the %s bound is used", n, drawn, choice.label());
    } else if (positives < options.minGoldPositives()) {
      choice = stratified ? CorrectedEstimator.DOUBLE_SAMPLING : CorrectedEstimator.HUMAN_ONLY;
      reason = String.format(Locale.ROOT, "only %d gold positives (fewer than %d), too few to tune PPI++'s λ "
          + "reliably; %s, so %s, whose interval rests on the gold alone", positives,
          options.minGoldPositives(), drawn, choice.label());
    } else {
      choice = CorrectedEstimator.PPI_PLUS_PLUS;
      reason = String.format(Locale.ROOT, "%d gold positives among %d reviewed units; PPI++ combines all LLM "
          + "labels with the gold and its power-tuned λ makes it asymptotically at least as precise as "
          + "human-only and PPI", positives, n);
      Corrected human = find(all, CorrectedEstimator.HUMAN_ONLY);
      Corrected pp = find(all, CorrectedEstimator.PPI_PLUS_PLUS);
      if (human instanceof Corrected.Estimated h && pp instanceof Corrected.Estimated p) {
        double gain = 1 - p.interval().width() / h.interval().width();
        reason += String.format(Locale.ROOT, " (interval %.0f%% %s than human-only here)",
            Math.abs(100 * gain), gain >= 0 ? "narrower" : "wider");
      }
    }
    if (find(all, choice) instanceof Corrected.NotEstimable ne) {
      for (CorrectedEstimator fallback : List.of(CorrectedEstimator.PPI_PLUS_PLUS,
          CorrectedEstimator.DOUBLE_SAMPLING, CorrectedEstimator.HUMAN_ONLY)) {
        if (!(find(all, fallback) instanceof Corrected.NotEstimable)) {
          return new Recommendation(fallback, reason + "; but " + choice.label() + " is not estimable ("
              + ne.reason() + "), so " + fallback.label());
        }
      }
    }
    return new Recommendation(choice, reason);
  }

  private static Corrected find(List<Corrected> all, CorrectedEstimator e) {
    return all.stream().filter(c -> c.estimator() == e).findFirst().orElseThrow();
  }
}
