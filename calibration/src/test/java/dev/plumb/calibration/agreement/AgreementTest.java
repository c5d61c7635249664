package dev.plumb.calibration.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTest {

  /** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units; 0 = missing. */
  private static final int[][] KRIPPENDORFF = {
    {1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
    {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
    {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
    {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
  };

  /** Fleiss (1971) Table 1: 30 patients, 6 diagnoses each (1 depression … 5 other). */
  private static final int[][] FLEISS_1971 = {
    {4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5}, {2, 2, 2, 4, 4, 4},
    {1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4}, {1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5},
    {1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4}, {2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5},
    {3, 3, 3, 3, 3, 5}, {1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
    {5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4}, {1, 4, 4, 4, 4, 5},
    {2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5},
  };

  private static final String COHEN_A = "aaaaabbbbbccccccaabbcacbaaaaabbbccca";
  private static final String COHEN_B = "aaaabbbbbcccccccabbbcaabaaaaabbccccb";

  private static Ratings krippendorff() {
    List<Rating> ratings = new ArrayList<>();
    for (int obs = 0; obs < KRIPPENDORFF.length; obs++) {
      for (int unit = 0; unit < KRIPPENDORFF[obs].length; unit++) {
        if (KRIPPENDORFF[obs][unit] != 0) {
          ratings.add(new Rating("u" + (unit + 1), "ABCD".substring(obs, obs + 1),
              Integer.toString(KRIPPENDORFF[obs][unit])));
        }
      }
    }
    return Ratings.of(ratings);
  }

  private static Ratings fleiss1971() {
    // Not the same six psychiatrists for every patient: rater ids are positions, which Fleiss' κ ignores.
    List<Rating> ratings = new ArrayList<>();
    for (int p = 0; p < FLEISS_1971.length; p++) {
      for (int r = 0; r < 6; r++) {
        ratings.add(new Rating("p" + p, "r" + r, Integer.toString(FLEISS_1971[p][r])));
      }
    }
    return Ratings.of(ratings);
  }

  private static Ratings cohenPair() {
    List<Rating> ratings = new ArrayList<>();
    for (int i = 0; i < COHEN_A.length(); i++) {
      ratings.add(new Rating("u" + i, "a", COHEN_A.substring(i, i + 1)));
      ratings.add(new Rating("u" + i, "b", COHEN_B.substring(i, i + 1)));
    }
    return Ratings.of(ratings);
  }

  @Test
  void krippendorff_alpha_reproduces_the_published_nominal_example_with_missing_data() {
    // Krippendorff (2011) section C gives α_nominal = 0.743 for this matrix.
    assertThat(Agreement.krippendorffAlpha(krippendorff())).isCloseTo(0.743, within(0.0005));
  }

  @Test
  void krippendorff_alpha_reproduces_the_published_ordinal_interval_and_ratio_values() {
    // Krippendorff (2011) sections C-E on the same matrix: ordinal 0.815, interval 0.849, ratio 0.797.
    // numpy, written from the paper (calibration/src/test/resources/reference/krippendorff.py):
    //   nominal 0.743421052631579, ordinal 0.8153875037548813, interval 0.8491071428571428, ratio 0.797402774711612
    Ratings r = krippendorff();
    assertThat(Krippendorff.NOMINAL.alpha(r)).isCloseTo(0.743421052631579, within(1e-12));
    assertThat(Krippendorff.ORDINAL.alpha(r)).isCloseTo(0.8153875037548813, within(1e-12));
    assertThat(Krippendorff.INTERVAL.alpha(r)).isCloseTo(0.8491071428571428, within(1e-12));
    assertThat(Krippendorff.RATIO.alpha(r)).isCloseTo(0.797402774711612, within(1e-12));
    assertThat(Krippendorff.INTERVAL.alpha(r)).isCloseTo(0.849, within(0.0005));
  }

  @Test
  void ordinal_alpha_follows_the_order_of_the_category_set_not_the_alphabet() {
    // the same ratings as severity words: ordinal α depends only on the order, so naming the
    // values none < low < mid < high < severe in that order gives the numeric result
    List<String> scale = List.of("none", "low", "mid", "high", "severe");
    List<Rating> words = new ArrayList<>();
    for (int obs = 0; obs < KRIPPENDORFF.length; obs++) {
      for (int unit = 0; unit < KRIPPENDORFF[obs].length; unit++) {
        if (KRIPPENDORFF[obs][unit] != 0) {
          words.add(new Rating("u" + unit, "r" + obs, scale.get(KRIPPENDORFF[obs][unit] - 1)));
        }
      }
    }
    assertThat(Krippendorff.ORDINAL.alpha(Ratings.of(words, scale))).isCloseTo(0.8153875037548813, within(1e-12));
    assertThat(Krippendorff.ORDINAL.alpha(Ratings.of(words))).isNotCloseTo(0.8153875037548813, within(1e-3));
    assertThatThrownBy(() -> Krippendorff.INTERVAL.alpha(Ratings.of(words, scale)))
        .hasMessage("interval α needs numeric categories, found \"none\"");
  }

  @Test
  void cohen_kappa_interval_is_clipped_to_its_range() {
    // statsmodels 0.13.5: r = cohens_kappa([[5,0],[1,4]]) -> kappa 0.8, std_kappa 0.18590320061795604,
    //   kappa_low 0.4356364221780818, kappa_upp 1.1643635778219183 (outside κ's range: clipped to 1)
    Kappa k = Agreement.cohen(new double[][] {{5, 0}, {1, 4}}, 0.95);
    assertThat(k.kappa()).isCloseTo(0.8, within(1e-12));
    assertThat(k.se()).isCloseTo(0.18590320061795604, within(1e-12));
    assertThat(k.interval().upper()).isEqualTo(1.0);
    assertThat(k.interval().lower()).isCloseTo(0.4356364221780818, within(1e-9));
    Kappa low = Agreement.cohen(new double[][] {{0, 5}, {4, 1}}, 0.95);
    assertThat(low.interval().lower()).isGreaterThanOrEqualTo(-1.0);
  }

  @Test
  void fleiss_kappa_reproduces_fleiss_1971_and_statsmodels() {
    // Fleiss (1971) reports κ = .430. statsmodels 0.13.5:
    //   t, _ = statsmodels.stats.inter_rater.aggregate_raters(np.array(FLEISS_1971)); fleiss_kappa(t)
    //   -> 0.43024452006014074
    assertThat(Agreement.fleissKappa(fleiss1971())).isCloseTo(0.43024452006014074, within(1e-12));
    // P̄ = .556 in the paper (observed agreement)
    assertThat(Agreement.percent(fleiss1971())).isCloseTo(0.5556, within(0.0001));
  }

  @Test
  void fleiss_kappa_and_ac1_with_missing_ratings_match_gwets_formulas_in_r() {
    // R 4.2.2, Gwet's multi-rater formulas written out as in irrCAC::gwet.ac1.raw / fleiss.kappa.raw
    // (code: calibration/src/test/resources/reference/agreement.R):
    //   pa = 0.818181818181818, fleiss = 0.761169275422411, ac1 = 0.775444068126995
    Ratings r = krippendorff();
    assertThat(Agreement.percent(r)).isCloseTo(0.818181818181818, within(1e-12));
    assertThat(Agreement.fleissKappa(r)).isCloseTo(0.761169275422411, within(1e-12));
    assertThat(Agreement.gwetAc1(r)).isCloseTo(0.775444068126995, within(1e-12));
  }

  @Test
  void cohen_kappa_matches_sklearn_and_statsmodels_with_its_standard_error() {
    // sklearn 1.2.1: cohen_kappa_score(list(COHEN_A), list(COHEN_B)) -> 0.75
    // statsmodels 0.13.5: r = cohens_kappa([[11,3,0],[0,9,2],[1,0,10]])
    //   r.std_kappa -> 0.0928129611432199, r.kappa_low -> 0.5680899388607735, r.kappa_upp -> 0.9319100611392265
    Kappa k = Agreement.cohen(cohenPair(), "a", "b", 0.95);
    assertThat(k.kappa()).isCloseTo(0.75, within(1e-12));
    assertThat(k.se()).isCloseTo(0.0928129611432199, within(1e-12));
    assertThat(k.interval().lower()).isCloseTo(0.5680899388607735, within(1e-9));
    assertThat(k.interval().upper()).isCloseTo(0.9319100611392265, within(1e-9));
    assertThat(k.n()).isEqualTo(36);
  }

  @Test
  void two_rater_ac1_from_a_table_equals_the_multi_rater_formula() {
    // R (agreement.R): gwet(cbind(a, b), c("a","b","c")) -> ac1 = 0.750216825672160, pa = 0.833333333333333
    double[][] table = {{11, 3, 0}, {0, 9, 2}, {1, 0, 10}};
    assertThat(Agreement.gwetAc1(table)).isCloseTo(0.750216825672160, within(1e-12));
    assertThat(Agreement.gwetAc1(cohenPair())).isCloseTo(0.750216825672160, within(1e-12));
    assertThat(Agreement.percent(cohenPair())).isCloseTo(0.833333333333333, within(1e-12));
  }

  @Test
  void ac1_stays_high_when_kappa_collapses_on_a_rare_category() {
    // 98 units both raters call safe, 1 each disagree: the kappa paradox (Feinstein & Cicchetti 1990).
    double[][] table = {{98, 1}, {1, 0}};
    assertThat(Agreement.cohen(table, 0.95).kappa()).isCloseTo(-0.0101, within(0.0001));
    assertThat(Agreement.gwetAc1(table)).isGreaterThan(0.97);
  }

  @Test
  void undefined_statistics_are_nan_not_exceptions() {
    Ratings oneCategory = Ratings.of(List.of(
        new Rating("u1", "a", "safe"), new Rating("u1", "b", "safe")));
    assertThat(Agreement.fleissKappa(oneCategory)).isNaN();
    assertThat(Agreement.krippendorffAlpha(oneCategory)).isNaN();
    assertThat(Agreement.gwetAc1(oneCategory)).isNaN();
    assertThat(Agreement.percent(oneCategory)).isEqualTo(1.0);
    Ratings single = Ratings.of(List.of(new Rating("u1", "a", "safe")), List.of("safe", "violating"));
    assertThat(Agreement.percent(single)).isNaN();
  }

  @Test
  void summary_lists_every_rater_pair_with_overlap() {
    AgreementSummary s = Agreement.summarize(krippendorff(), 0.95);
    assertThat(s.units()).isEqualTo(12);
    assertThat(s.pairable()).isEqualTo(11);
    assertThat(s.raters()).isEqualTo(4);
    assertThat(s.ratings()).isEqualTo(41);
    assertThat(s.pairs()).extracting(p -> p.a() + p.b())
        .containsExactly("AB", "AC", "AD", "BC", "BD", "CD");
    // the categories 1..5 in their order: the paper's ordinal α beside the nominal one
    assertThat(s.krippendorffAlpha()).isCloseTo(0.743421052631579, within(1e-12));
    assertThat(s.krippendorffAlphaOrdinal()).isCloseTo(0.8153875037548813, within(1e-12));
  }

  @Test
  void a_rater_rating_a_unit_twice_is_rejected() {
    assertThatThrownBy(() -> Ratings.of(List.of(
            new Rating("u1", "r1", "safe"), new Rating("u1", "r1", "violating"))))
        .hasMessage("rater r1 rated unit u1 twice");
  }

  @Test
  void honeypot_accuracy_has_wilson_intervals_and_flags_raters_below_the_bar() {
    // statsmodels: proportion_confint(7, 10, method="wilson") -> (0.39677814746114537, 0.8922087325936989)
    //              proportion_confint(19, 20, method="wilson") -> (0.7638688065532577, 0.9911185511992044)
    List<Rating> answers = new ArrayList<>();
    Map<String, String> truth = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      truth.put("h" + i, i % 2 == 0 ? "violating" : "safe");
      answers.add(new Rating("h" + i, "good", i == 0 ? "safe" : truth.get("h" + i)));
      if (i < 10) {
        answers.add(new Rating("h" + i, "weak", i < 3 ? "nonsense" : truth.get("h" + i)));
      }
    }
    answers.add(new Rating("not-a-honeypot", "good", "safe"));
    List<HoneypotScore> scores = Honeypots.score(answers, truth, 0.8, 0.95);
    assertThat(scores).extracting(HoneypotScore::rater).containsExactly("good", "weak");
    HoneypotScore good = scores.get(0);
    assertThat(good.correct()).isEqualTo(19);
    assertThat(good.answered()).isEqualTo(20);
    assertThat(good.interval().lower()).isCloseTo(0.7638688065532577, within(1e-12));
    assertThat(good.flagged()).isFalse();
    HoneypotScore weak = scores.get(1);
    assertThat(weak.interval().lower()).isCloseTo(0.39677814746114537, within(1e-12));
    assertThat(weak.interval().upper()).isCloseTo(0.8922087325936989, within(1e-12));
    assertThat(weak.flagged()).isTrue();
    assertThat(weak.reason()).isEqualTo(
        "accuracy 7/10 = 0.700 is below the bar 0.800 (wilson interval 0.397–0.892, which still reaches the bar)");
  }
}
