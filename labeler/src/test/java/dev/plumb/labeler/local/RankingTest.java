package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingTest {
  // Reference values from scikit-learn 1.2.1:
  //   from sklearn.metrics import roc_auc_score, average_precision_score
  //   y=[1,0,1,1,0,0,1,0,0,1,0,0]
  //   s=[0.9,0.8,0.8,0.7,0.6,0.6,0.5,0.4,0.3,0.3,0.2,0.1]
  //   roc_auc_score(y,s)            -> 0.7428571428571429
  //   average_precision_score(y,s)  -> 0.6976190476190476
  private static final boolean[] Y = {true, false, true, true, false, false, true, false, false, true, false, false};
  private static final double[] S = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.1};

  @Test
  void roc_auc_matches_sklearn_with_ties() {
    assertThat(Ranking.rocAuc(S, Y)).isCloseTo(0.7428571428571429, within(1e-12));
  }

  @Test
  void average_precision_matches_sklearn_with_ties() {
    assertThat(Ranking.averagePrecision(S, Y)).isCloseTo(0.6976190476190476, within(1e-12));
  }

  @Test
  void auc_is_one_for_a_perfect_ranking_and_one_half_for_constant_scores() {
    boolean[] y = {false, false, true, true};
    assertThat(Ranking.rocAuc(new double[] {0.1, 0.2, 0.3, 0.4}, y)).isEqualTo(1.0);
    assertThat(Ranking.rocAuc(new double[] {0.5, 0.5, 0.5, 0.5}, y)).isEqualTo(0.5);
    assertThat(Ranking.averagePrecision(new double[] {0.1, 0.2, 0.3, 0.4}, y)).isEqualTo(1.0);
  }

  @Test
  void metrics_are_nan_when_a_class_is_missing() {
    assertThat(Ranking.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
    assertThat(Ranking.averagePrecision(new double[] {0.1, 0.2}, new boolean[] {false, false})).isNaN();
  }
}
