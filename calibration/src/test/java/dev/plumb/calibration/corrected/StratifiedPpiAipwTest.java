package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stratified PPI and active AIPW against a numpy implementation of the papers' formulas
 * ({@code src/test/resources/reference/stratified_ppi_aipw.py}, run with python3 and numpy 2): 16
 * phase-1 units, SRS from N = 160 (d1 = 10), reviewed either by stratified SRS by the LLM's call or
 * by a Poisson (active) draw with its own π2 per unit.
 */
class StratifiedPpiAipwTest {
  private static final double[] M = {3, 1, 7, 2, 5, 1, 4, 9, 2, 6, 1, 3, 8, 2, 5, 4};
  private static final double[] CALL = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0};
  private static final double[] F = {.4, .71, .29, .1, .95, .56, .64, .57, .48, .14, .32, .73, .89, .87, .93, .04};
  private static final int[] Y = {1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0};

  private static DesignSample phase1() {
    List<SampledUnit> units = new ArrayList<>();
    for (int i = 0; i < M.length; i++) {
      units.add(SampledUnit.of("u" + i, M[i], new Inclusion.WithoutReplacement("all", 0.1)));
    }
    return DesignSample.of(DesignType.SRS, units, List.of(new Stratum("all", 160, 0, 16)));
  }

  private static GoldUnit gold(int i, String stratum, double pi) {
    return new GoldUnit("u" + i, Y[i] == 1, stratum, pi);
  }

  /** 4 of the 5 LLM-positives (π2 = 4/5) and 5 of the 11 LLM-negatives (π2 = 5/11). */
  private static TwoPhaseSample stratifiedReview() {
    return TwoPhaseSample.of(phase1(), CALL, F, stratifiedGold());
  }

  private static List<GoldUnit> stratifiedGold() {
    List<GoldUnit> g = new ArrayList<>();
    for (int i : new int[] {0, 3, 6, 14}) {
      g.add(gold(i, "llm_positive", 4 / 5.0));
    }
    for (int i : new int[] {1, 2, 7, 9, 12}) {
      g.add(gold(i, "llm_negative", 5 / 11.0));
    }
    return g;
  }

  /** Nine units reviewed by a Poisson (active) draw with their own π2 (also {@link KgGammaTest}'s). */
  static TwoPhaseSample activeReview() {
    Map<Integer, Double> pi = new java.util.LinkedHashMap<>();
    pi.put(0, .5);
    pi.put(2, .8);
    pi.put(3, .6);
    pi.put(7, .9);
    pi.put(9, .3);
    pi.put(10, .4);
    pi.put(12, .7);
    pi.put(13, .2);
    pi.put(15, .35);
    return poissonReview(pi);
  }

  /** The units of {@code pi} reviewed by a Poisson (active) draw, each with its π2. */
  private static TwoPhaseSample poissonReview(Map<Integer, Double> pi) {
    List<GoldUnit> g = new ArrayList<>();
    pi.forEach((i, p) -> g.add(gold(i, TwoPhaseSample.ACTIVE, p)));
    return TwoPhaseSample.of(phase1(), CALL, F, g);
  }

  private static Corrected.Estimated estimate(TwoPhaseSample s, CorrectedEstimator e) {
    return (Corrected.Estimated) Calibration.estimateOnly(s, e, CalibrationOptions.defaults());
  }

  @Test
  void stratified_ppi_tunes_one_lambda_per_llm_group_as_the_reference_does() {
    // python3 stratified_ppi_aipw.py: strat-ppi 0.5869491606386394, λ = [0.651254341930055, 0.6733194468698749]
    Corrected.Estimated e = estimate(stratifiedReview(), CorrectedEstimator.STRATIFIED_PPI);
    assertThat(e.estimate()).isCloseTo(0.5869491606386394, within(1e-12));
    assertThat(e.details().get("lambda_llm_negative")).isCloseTo(0.651254341930055, within(1e-12));
    assertThat(e.details().get("lambda_llm_positive")).isCloseTo(0.6733194468698749, within(1e-12));
    // active review: 0.5069560594902944, λ = [0.5460726377582994, 1 (3.23 clipped)]
    Corrected.Estimated a = estimate(activeReview(), CorrectedEstimator.STRATIFIED_PPI);
    assertThat(a.estimate()).isCloseTo(0.5069560594902944, within(1e-12));
    assertThat(a.details().get("lambda_llm_negative")).isCloseTo(0.5460726377582994, within(1e-12));
    assertThat(a.details().get("lambda_llm_positive")).isEqualTo(1.0);
  }

  @Test
  void active_aipw_matches_the_inverse_probability_weighted_estimator_and_its_poisson_variance() {
    // python3 stratified_ppi_aipw.py: aipw 0.4668356834245308, λ̂ 0.4541671260529656 shrunk to
    // λ 0.599770181240779; the phase-2 variance Σ_G (1 − π)(w (y − λf)/(π T))² = 0.014311732356760769
    // (phase 1 SRS adds V1)
    Corrected.Estimated a = estimate(activeReview(), CorrectedEstimator.ACTIVE_AIPW);
    assertThat(a.estimate()).isCloseTo(0.4668356834245308, within(1e-12));
    assertThat(a.details().get("lambda_fitted")).isCloseTo(0.4541671260529656, within(1e-12));
    assertThat(a.details().get("lambda")).isCloseTo(0.599770181240779, within(1e-12));
    assertThat(a.details().get("variance_phase2_linearised")).isCloseTo(0.014311732356760769, within(1e-12));
    // stratified review: λ̂ 0.8801204297474817 is within one model SE of 1, so λ = 1: 0.5957380952380953
    Corrected.Estimated s = estimate(stratifiedReview(), CorrectedEstimator.ACTIVE_AIPW);
    assertThat(s.estimate()).isCloseTo(0.5957380952380953, within(1e-12));
    assertThat(s.details().get("lambda_fitted")).isCloseTo(0.8801204297474817, within(1e-12));
    assertThat(s.details().get("lambda")).isEqualTo(1.0);
  }

  /**
   * Issue 15 (docs/calibration.md "λ at 0.15%"): κ = (1 − π2)(m d1 d2)² is 0 for a unit reviewed with
   * certainty, so a review whose positives all had π2 = 1 fits λ̂ = 0 and would drop the LLM while the
   * floor is sized for λ = 1; λ̂'s model variance pulls it back toward 1.
   */
  @Test
  void active_aipw_shrinks_lambda_toward_one_when_every_reviewed_positive_was_certain() {
    // python3 stratified_ppi_aipw.py: positives seen only at π = 1: 0.18512039074044437, λ 0.7292885218948898, λ̂ 0
    Corrected.Estimated a = estimate(poissonReview(Map.of(0, 1.0, 6, 1.0, 1, .3, 7, .25, 9, .5, 15, .4)),
        CorrectedEstimator.ACTIVE_AIPW);
    assertThat(a.details().get("lambda_fitted")).isZero();
    assertThat(a.details().get("lambda")).isCloseTo(0.7292885218948898, within(1e-12));
    assertThat(a.estimate()).isCloseTo(0.18512039074044437, within(1e-12));
  }

  @Test
  void active_aipw_keeps_lambda_at_one_when_it_is_fitted_at_one() {
    // python3 stratified_ppi_aipw.py: λ̂ clipped at 1: 0.7136583522297807, λ 1, λ̂ 1
    Corrected.Estimated a = estimate(poissonReview(Map.of(0, .5, 2, .6, 12, .7, 3, .4, 9, .3)),
        CorrectedEstimator.ACTIVE_AIPW);
    assertThat(a.details().get("lambda_fitted")).isEqualTo(1.0);
    assertThat(a.details().get("lambda")).isEqualTo(1.0);
    assertThat(a.estimate()).isCloseTo(0.7136583522297807, within(1e-12));
  }

  @Test
  void a_requested_human_only_headline_after_an_active_review_says_it_under_covers() {
    CalibrationOptions human = CalibrationOptions.defaults().withHeadline(CorrectedEstimator.HUMAN_ONLY);
    Recommendation active = Calibration.estimate(activeReview(), human).recommendation();
    assertThat(active.estimator()).isEqualTo(CorrectedEstimator.HUMAN_ONLY);
    assertThat(active.reason()).contains("requested (--estimator)",
        "caution: after a confidence-driven review its interval under-covers");
    assertThat(Calibration.estimate(activeReview(), CalibrationOptions.defaults()).recommendation().estimator())
        .isEqualTo(CorrectedEstimator.ACTIVE_AIPW);
    assertThat(Calibration.estimate(stratifiedReview(), human).recommendation().reason()).doesNotContain("caution");
    assertThat(Calibration.estimate(activeReview(), CalibrationOptions.defaults().withHeadline(
        CorrectedEstimator.STRATIFIED_PPI)).recommendation().reason()).doesNotContain("caution");
  }

  @Test
  void ppi_plus_plus_phase2_variance_is_floored_by_the_variance_the_llm_probabilities_anticipate() {
    // python3 stratified_ppi_aipw.py: ppi++ v2 model, stratified review 0.014980356396427799 from the stated f; from
    // f recalibrated on these nine gold units 0.017766805601925166 (a −0.0306, b 0.661), the larger
    Corrected.Estimated e = estimate(stratifiedReview(), CorrectedEstimator.PPI_PLUS_PLUS);
    assertThat(e.details().get("variance_phase2_model_stated")).isCloseTo(0.014980356396427799, within(1e-12));
    assertThat(e.details().get("variance_phase2_model")).isCloseTo(0.017766805601925166, within(1e-10));
    assertThat(e.details().get("floor_platt_a")).isCloseTo(-0.030573306132541802, within(1e-10));
    assertThat(e.details().get("floor_platt_b")).isCloseTo(0.661205987459166, within(1e-10));
    assertThat(e.details().get("variance_phase2")).isEqualTo(
        Math.max(e.details().get("variance_phase2_jackknife"), e.details().get("variance_phase2_model")));
    // every LLM-positive reviewed (π2 = 1) and none of the reviewed LLM-negatives a miss: the design
    // sees no rectifier variance at all, the floor keeps the interval from collapsing onto the estimate
    List<GoldUnit> g = new ArrayList<>();
    for (int i : new int[] {0, 3, 6, 10, 14}) {
      g.add(gold(i, "llm_positive", 1));
    }
    for (int i : new int[] {1, 7, 9}) {
      g.add(gold(i, "llm_negative", 3 / 11.0));
    }
    Corrected.Estimated blind = estimate(TwoPhaseSample.of(phase1(), CALL, F, g), CorrectedEstimator.PPI_PLUS_PLUS);
    assertThat(blind.details().get("variance_phase2_jackknife")).isLessThan(blind.details().get("variance_phase2_model"));
    assertThat(blind.details().get("variance_phase2")).isEqualTo(blind.details().get("variance_phase2_model"));
  }

  /**
   * h49 (docs/calibration.md, "The floor under an overconfident LLM"): an LLM stating σ(2.5·logit f) makes the
   * stated floor small; the floor is the larger of it and the floor from f recalibrated on the gold (Platt's fit
   * weighted by d1/π2, numpy's Newton in the reference), and the note says when that one is the phase-2 variance.
   */
  @Test
  void the_floor_takes_the_gold_recalibrated_confidences_when_an_overconfident_llm_states_too_little() {
    double[] over = new double[F.length];
    for (int i = 0; i < F.length; i++) {
      over[i] = 1 / (1 + Math.exp(-2.5 * Math.log(F[i] / (1 - F[i]))));
    }
    // every LLM-positive reviewed (π2 = 1), three clean LLM-negatives (3/11): the jackknife sees nothing.
    // python3 stratified_ppi_aipw.py: overconfident f, blind stratified review, ppi++ floor: stated
    // 0.033142768513046976, recalibrated 0.03540588671202063, a −1.137295837947735, b 0.22482898122737077
    List<GoldUnit> blind = new ArrayList<>();
    for (int i : new int[] {0, 3, 6, 10, 14}) {
      blind.add(gold(i, "llm_positive", 1));
    }
    for (int i : new int[] {1, 7, 9}) {
      blind.add(gold(i, "llm_negative", 3 / 11.0));
    }
    Corrected.Estimated e = estimate(TwoPhaseSample.of(phase1(), CALL, over, blind), CorrectedEstimator.PPI_PLUS_PLUS);
    assertThat(e.details().get("variance_phase2_model_stated")).isCloseTo(0.033142768513046976, within(1e-12));
    assertThat(e.details().get("variance_phase2_model")).isCloseTo(0.03540588671202063, within(1e-10));
    assertThat(e.details().get("floor_platt_a")).isCloseTo(-1.137295837947735, within(1e-10));
    assertThat(e.details().get("floor_platt_b")).isCloseTo(0.22482898122737077, within(1e-10));
    assertThat(e.details().get("variance_phase2")).isEqualTo(e.details().get("variance_phase2_model"));
    assertThat(e.details().get("floor_recalibrated")).isEqualTo(1.0);
    assertThat(e.note()).endsWith("; the gold shows more misses at low confidence than the LLM states: floor from "
        + "recalibrated confidences");
    // the stated f: the same p (Platt is affine in logit f), now below the stated floor 0.04395117217092199
    Corrected.Estimated s = estimate(TwoPhaseSample.of(phase1(), CALL, F, blind), CorrectedEstimator.PPI_PLUS_PLUS);
    assertThat(s.details().get("variance_phase2_model")).isCloseTo(0.04395117217092199, within(1e-12));
    assertThat(s.details().get("floor_platt_b")).isCloseTo(0.5620724530684265, within(1e-10));
    assertThat(s.details().get("floor_recalibrated")).isZero();
    assertThat(s.note()).doesNotContain("recalibrated");
    // active AIPW on the active review: overconfident f, active-aipw floor: stated 0.0028618733842862547,
    // recalibrated 0.028738802946762104, a −0.6052318164859205, b 0.06367415737911296; its jackknife is larger still
    List<GoldUnit> g = new ArrayList<>();
    Map.of(0, .5, 2, .8, 3, .6, 7, .9, 9, .3, 10, .4, 12, .7, 13, .2, 15, .35)
        .forEach((i, p) -> g.add(gold(i, TwoPhaseSample.ACTIVE, p)));
    Corrected.Estimated a = estimate(TwoPhaseSample.of(phase1(), CALL, over, g), CorrectedEstimator.ACTIVE_AIPW);
    assertThat(a.details().get("variance_phase2_model_stated")).isCloseTo(0.0028618733842862547, within(1e-12));
    assertThat(a.details().get("variance_phase2_model")).isCloseTo(0.028738802946762104, within(1e-10));
    // a slope this flat on nine units is ill-conditioned: Newton stops at a step < 1e-10·(1 + |a| + |b|), 1.1e-10 off
    assertThat(a.details().get("floor_platt_a")).isCloseTo(-0.6052318164859205, within(1e-9));
    assertThat(a.details().get("floor_platt_b")).isCloseTo(0.06367415737911296, within(1e-9));
    assertThat(a.details().get("variance_phase2")).isEqualTo(a.details().get("variance_phase2_jackknife"))
        .isGreaterThan(a.details().get("variance_phase2_model"));
    assertThat(a.details().get("floor_recalibrated")).isZero();
  }

  /**
   * h50: the recalibration is fitted on the gold calls, not on an error model's unbiased gold, in which one rater's
   * false flag on a confidently clean unit reads as part of a miss (docs/calibration.md, "h50"). The same review
   * with a clean unit's gold at 0.4 and a positive's at 0.8, calls unchanged, gives the exact gold's fit.
   */
  @Test
  void the_floor_is_recalibrated_on_the_gold_calls_not_on_the_unbiased_gold() {
    List<GoldUnit> noisy = new ArrayList<>();
    for (GoldUnit g : stratifiedGold()) {
      double value = g.unit().equals("u1") ? 0.4 : g.unit().equals("u0") ? 0.8 : g.probability();
      noisy.add(new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), value, null));
    }
    Corrected.Estimated e = estimate(TwoPhaseSample.of(phase1(), CALL, F, noisy), CorrectedEstimator.PPI_PLUS_PLUS);
    // python3 stratified_ppi_aipw.py: stated f, stratified review, ppi++ floor (the calls are the exact gold's y)
    assertThat(e.details().get("floor_platt_a")).isCloseTo(-0.030573306132541802, within(1e-10));
    assertThat(e.details().get("floor_platt_b")).isCloseTo(0.661205987459166, within(1e-10));
    assertThat(e.details().get("variance_phase2_model")).isCloseTo(0.017766805601925166, within(1e-10));
  }

  @Test
  void a_bare_call_gives_no_recalibrated_floor() {
    // f = ŷ: nothing to recalibrate, the floor is the stated one (0) and no fit is recorded
    TwoPhaseSample s = TwoPhaseSample.of(phase1(), CALL, CALL, stratifiedGold());
    Corrected.Estimated e = estimate(s, CorrectedEstimator.PPI_PLUS_PLUS);
    assertThat(e.details()).containsEntry("variance_phase2_model", 0.0).containsEntry("floor_recalibrated", 0.0)
        .doesNotContainKey("floor_platt_a");
  }

  @Test
  void a_bare_call_makes_stratified_ppi_double_sampling() {
    // f = ŷ is constant within each LLM group: every λ_h is 0 and the estimator is Σ (T_h/T) ȳ_h
    TwoPhaseSample s = TwoPhaseSample.of(phase1(), CALL, stratifiedReview().llm, List.of(
        gold(0, "llm_positive", .8), gold(3, "llm_positive", .8), gold(6, "llm_positive", .8), gold(14, "llm_positive", .8),
        gold(1, "llm_negative", 5 / 11.0), gold(2, "llm_negative", 5 / 11.0), gold(7, "llm_negative", 5 / 11.0),
        gold(9, "llm_negative", 5 / 11.0), gold(12, "llm_negative", 5 / 11.0)));
    Corrected.Estimated ppi = estimate(s, CorrectedEstimator.STRATIFIED_PPI);
    Corrected.Estimated ds = estimate(s, CorrectedEstimator.DOUBLE_SAMPLING);
    assertThat(ppi.details().get("lambda_llm_negative")).isZero();
    assertThat(ppi.details().get("lambda_llm_positive")).isZero();
    assertThat(ppi.estimate()).isCloseTo(ds.estimate(), within(1e-12));
  }

  @Test
  void a_poisson_review_keeps_each_units_pi_and_mixing_it_with_strata_is_refused() {
    TwoPhaseSample s = activeReview();
    assertThat(s.activeReview()).isTrue();
    assertThat(s.phase2Strata()).containsExactly(TwoPhaseSample.ACTIVE);
    assertThatThrownBy(() -> TwoPhaseSample.of(phase1(), CALL, F, List.of(gold(0, TwoPhaseSample.ACTIVE, .5),
        gold(1, "llm_negative", .5))))
        .hasMessage("the gold mixes the active (Poisson) review stratum with others: a review is either "
            + "confidence-driven or stratified");
  }
}
