package dev.plumb.calibration.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.quality.ReliabilityTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Reference values from calibration/src/test/resources/reference/label_scores.py (sklearn 1.2.1)
 * and label_scores_delong.R (pROC 1.18.0), on the fixture both build.
 */
class ScoreQualityTest {
  static final int N = 60;

  static double[] scores() {
    double[] s = new double[N];
    for (int i = 0; i < N; i++) {
      s[i] = ((i * 37) % 101) / 100.0;
    }
    s[7] = s[8];
    return s;
  }

  static boolean[] gold(double[] s) {
    boolean[] y = new boolean[N];
    for (int i = 0; i < N; i++) {
      y[i] = ((i * 13) % 7) < 1 + 5 * s[i];
    }
    return y;
  }

  static double[] weights() {
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      w[i] = 1 + (i % 4) * 0.5;
    }
    return w;
  }

  static double[] ones() {
    double[] w = new double[N];
    Arrays.fill(w, 1);
    return w;
  }

  @Test
  void auc_brier_and_delong_interval_match_sklearn_and_proc_with_equal_weights() {
    double[] s = scores();
    ScoreQuality q = ScoreQuality.assess(s, gold(s), ones(), 0.95, 10);
    // roc_auc_score(y, s); brier_score_loss(y, s)
    assertThat(q.auc()).isCloseTo(0.6988571428571428, within(1e-12));
    assertThat(q.brier()).isCloseTo(0.23846666666666663, within(1e-12));
    // pROC: sqrt(var(roc, method = "delong")), ci.auc(roc, method = "delong")
    assertThat(q.aucSe()).isCloseTo(0.069304115492297189, within(1e-12));
    assertThat(q.aucInterval().lower()).isCloseTo(0.56302357251183599, within(1e-9));
    assertThat(q.aucInterval().upper()).isCloseTo(0.8346907132024497, within(1e-9));
    assertThat(q.aucInterval().method()).isEqualTo("delong");
    assertThat(q.units()).isEqualTo(N);
  }

  @Test
  void weighted_auc_and_brier_match_sklearn_with_sample_weight() {
    double[] s = scores();
    ScoreQuality q = ScoreQuality.assess(s, gold(s), weights(), 0.95, 10);
    // roc_auc_score(y, s, sample_weight=w); brier_score_loss(y, s, sample_weight=w)
    assertThat(q.auc()).isCloseTo(0.7107766183396436, within(1e-12));
    assertThat(q.brier()).isCloseTo(0.2309761904761905, within(1e-12));
  }

  @Test
  void ece_is_the_weighted_mean_gap_between_bin_score_and_gold_share() {
    double[] s = {0.05, 0.08, 0.15, 0.92, 0.95, Double.NaN};
    boolean[] y = {false, true, false, true, true, true};
    double[] w = {1, 3, 2, 1, 1, 1};
    ScoreQuality q = ScoreQuality.assess(s, y, w, 0.95, 10);
    ReliabilityTable t = q.reliability();
    assertThat(q.withoutScore()).isEqualTo(1);
    assertThat(t.bins()).hasSize(3);
    // bin [0, .1): mean score (0.05 + 0.24)/4 = 0.0725, gold share 3/4; [.1, .2): 0.15 vs 0; [.9, 1]: 0.935 vs 1
    double ece = 4.0 / 8 * Math.abs(0.75 - 0.0725) + 2.0 / 8 * 0.15 + 2.0 / 8 * (1 - 0.935);
    assertThat(q.reliability().ece()).isCloseTo(ece, within(1e-12));
    assertThat(q.brier()).isCloseTo((0.0025 + 3 * 0.8464 + 2 * 0.0225 + 0.0064 + 0.0025) / 8, within(1e-12));
  }

  @Test
  void auc_is_not_defined_without_both_gold_classes() {
    ScoreQuality q = ScoreQuality.assess(new double[] {0.2, 0.4}, new boolean[] {false, false}, new double[] {1, 1}, 0.95, 10);
    assertThat(q.auc()).isNaN();
    assertThat(q.aucInterval()).isNull();
    assertThat(q.positives()).isZero();
  }
}
