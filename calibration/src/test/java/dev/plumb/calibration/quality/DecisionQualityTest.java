package dev.plumb.calibration.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reference values from calibration/src/test/resources/reference/quality_fixture.py (sklearn
 * 1.2.1 with sample_weight for the point estimates, statsmodels 0.13.5 proportion_confint(p·n_eff,
 * n_eff, method="wilson") for the intervals), which also wrote the fixture quality/judgements.csv.
 */
class DecisionQualityTest {
  private static List<Judgement> judgements;
  private static QualityReport report;

  @BeforeAll
  static void load() throws IOException {
    judgements = new ArrayList<>();
    try (InputStream in = DecisionQualityTest.class.getResourceAsStream("/quality/judgements.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split(",", -1);
        judgements.add(new Judgement(f[0], f[1], Double.parseDouble(f[2]), f[3], Boolean.parseBoolean(f[4]),
            f[5].isEmpty() ? null : f[5], f[6].isEmpty() ? Double.NaN : Double.parseDouble(f[6]),
            f[7], Boolean.parseBoolean(f[8]), f[9].isEmpty() ? null : f[9]));
      }
    }
    report = DecisionQuality.assess(judgements, 0.95, 10);
  }

  private static void assertRate(Rate r, double p, double nEff, double lo, double hi) {
    assertThat(r.estimate()).isCloseTo(p, within(1e-12));
    assertThat(r.effectiveN()).isCloseTo(nEff, within(1e-9));
    assertThat(r.interval().lower()).isCloseTo(lo, within(1e-9));
    assertThat(r.interval().upper()).isCloseTo(hi, within(1e-9));
  }

  @Test
  void unweighted_quality_matches_sklearn_and_statsmodels() {
    BinaryQuality q = report.unweighted().overall();
    // confusion_matrix(y, yhat) -> [[39, 3], [3, 15]]
    assertThat(new double[] {q.trueNegative(), q.falsePositive(), q.falseNegative(), q.truePositive()})
        .containsExactly(39, 3, 3, 15);
    assertRate(q.sensitivity(), 0.8333333333333334, 18, 0.6077796189608428, 0.9416342319413856);
    assertRate(q.specificity(), 0.9285714285714286, 42, 0.8099057319884169, 0.9754095901266941);
    assertRate(q.precision(), 0.8333333333333334, 18, 0.6077796189608428, 0.9416342319413856);
    assertRate(q.npv(), 0.9285714285714286, 42, 0.8099057319884169, 0.9754095901266941);
    assertThat(q.f1()).isCloseTo(0.8333333333333334, within(1e-12));
    assertThat(q.kappa()).isCloseTo(0.7619047619047619, within(1e-12)); // cohen_kappa_score
    assertThat(q.ac1()).isCloseTo(0.8275862068965518, within(1e-12));
    // F1 = TP/(TP + (FP+FN)/2) as a ratio over the 21 units positive for either side: Kish n 19.64
    assertThat(q.f1Interval().lower()).isCloseTo(0.6184816930394933, within(1e-9));
    assertThat(q.f1Interval().upper()).isCloseTo(0.9391044764126816, within(1e-9));
  }

  @Test
  void design_weighted_quality_matches_sklearn_sample_weight_and_wilson_on_kish_n() {
    BinaryQuality q = report.weighted().overall();
    // confusion_matrix(y, yhat, sample_weight=w) -> [[519.152, 29.909], [5.175, 96.28]]
    assertThat(q.trueNegative()).isCloseTo(519.152, within(1e-9));
    assertThat(q.falsePositive()).isCloseTo(29.909, within(1e-9));
    assertThat(q.falseNegative()).isCloseTo(5.175, within(1e-9));
    assertThat(q.truePositive()).isCloseTo(96.28, within(1e-9));
    assertRate(q.sensitivity(), 0.948992164013602, 4.415096115024202, 0.48287703647621627, 0.9973095726958567);
    assertRate(q.specificity(), 0.94552699973227, 22.539850820127224, 0.7724462839774595, 0.9888587647124261);
    assertRate(q.precision(), 0.762982510361442, 5.760028308293823, 0.3689356163053859, 0.9465960683010062);
    assertRate(q.npv(), 0.990130205005655, 21.24282891707538, 0.8306284021994137, 0.9995129357465069);
    assertThat(q.f1()).isCloseTo(0.845882166892165, within(1e-12));
    // Kish n 5.32 of the F1 ratio's weights (precision's 5.76, sensitivity's 4.42): the interval lies between theirs
    assertThat(q.f1Interval().lower()).isCloseTo(0.4257898516071864, within(1e-9));
    assertThat(q.f1Interval().upper()).isCloseTo(0.9759757672312029, within(1e-9));
    assertThat(q.kappa()).isCloseTo(0.813663399030757, within(1e-12));
    assertThat(q.ac1()).isCloseTo(0.9241760318090433, within(1e-12));
  }

  @Test
  void per_stratum_and_per_category_quality_match_the_reference() {
    BinaryQuality high = report.weighted().byStratum().get("high");
    assertRate(high.sensitivity(), 0.8230527251589961, 11.108086664239151, 0.5295314123783392, 0.9505497608989868);
    assertRate(high.specificity(), 0.9808602408195051, 6.347028584425934, 0.5996842645159031, 0.9994299262837218);
    BinaryQuality low = report.unweighted().byStratum().get("low");
    assertRate(low.sensitivity(), 1.0, 4, 0.5101091635454025, 1.0);
    assertRate(low.specificity(), 0.9354838709677419, 31, 0.7928136326370187, 0.9821252164780855);
    assertThat(report.weighted().byCategory().keySet()).containsExactly("instructions", "promotion");
    BinaryQuality promotion = report.weighted().byCategory().get("promotion");
    assertThat(promotion.precision().estimate()).isCloseTo(0.370350097892676, within(1e-12));
    assertThat(promotion.sensitivity().estimate()).isCloseTo(0.5762578616352202, within(1e-12));
    assertThat(promotion.f1()).isCloseTo(0.45090927731997077, within(1e-12));
    assertThat(report.unweighted().byCategory().get("instructions").f1()).isCloseTo(0.875, within(1e-12));
  }

  @Test
  void decision_confusion_matrix_and_reliability_table_match_the_reference() {
    ConfusionMatrix m = report.unweighted().decisions();
    assertThat(m.decisions()).containsExactly("borderline", "safe", "violating");
    assertThat(m.counts()).isDeepEqualTo(new int[][] {{5, 5, 0}, {7, 22, 3}, {0, 3, 15}});
    assertThat(report.weighted().decisions().weighted()[1][0]).isCloseTo(114.918, within(1e-9));
    assertThat(report.unweighted().reliability().ece()).isCloseTo(0.2946428571428572, within(1e-12));
    assertThat(report.weighted().reliability().ece()).isCloseTo(0.3889739128482589, within(1e-12));
    assertThat(report.unweighted().reliability().withoutConfidence()).isEqualTo(4);
    int binned = report.unweighted().reliability().bins().stream().mapToInt(b -> b.observed().units()).sum();
    assertThat(binned).isEqualTo(56);
  }

  @Test
  void confidence_is_recalibrated_on_the_gold_as_sklearn_isotonic_regression_does() {
    // sklearn 1.2.1 on the fixture's units with a confidence, c = confidence, y = (llm == gold):
    //   IsotonicRegression(out_of_bounds="clip").fit(c, y, sample_weight=weight).predict([...])
    //   -> 0.7167135448571365 everywhere; without weights 0.7321428571428571 (the fixture's
    //   confidence is unrelated to being right, so the violators pool into one block)
    for (double c : new double[] {0.5, 0.62, 0.75, 0.9, 0.99}) {
      assertThat(report.weighted().reliability().recalibration().apply(c)).isCloseTo(0.7167135448571365, within(1e-12));
      assertThat(report.unweighted().reliability().recalibration().apply(c)).isCloseTo(0.7321428571428571, within(1e-12));
    }
  }

  @Test
  void empty_denominators_give_no_estimate_rather_than_a_made_up_one() {
    List<Judgement> allNegative = List.of(
        new Judgement("u1", "s", 1, "safe", false, null, 0.9, "safe", false, null),
        new Judgement("u2", "s", 1, "safe", false, null, 0.7, "safe", false, null));
    BinaryQuality q = DecisionQuality.assess(allNegative, 0.95, 5).unweighted().overall();
    assertThat(q.sensitivity().estimate()).isNaN();
    assertThat(q.sensitivity().interval()).isNull();
    assertThat(q.precision().units()).isZero();
    assertThat(q.specificity().estimate()).isEqualTo(1.0);
    assertThat(q.f1()).isNaN();
    assertThat(q.f1Interval()).isNull();
  }
}
