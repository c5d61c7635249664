package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Logistic regression, Platt scaling and folds, without the embedding model. */
class LearningTest {

  @Test
  void logistic_regression_matches_sklearn_with_l2_and_sample_weights() {
    // scikit-learn 1.2.1; our objective (1/Σc) Σ cᵢ lossᵢ + (λ/2)‖w‖² equals sklearn's with C = 1/(λ Σc):
    //   X=np.array([[0.1,0.2],[0.4,-0.1],[-0.3,0.5],[0.8,0.9],[-0.5,-0.4],[0.2,0.7],[0.9,-0.2],[-0.1,-0.8],[0.3,0.3],[-0.7,0.1]])
    //   y=np.array([1,0,0,1,0,1,1,0,1,0]); lam=0.05
    //   c=np.where(y==1, len(y)/(2*y.sum()), len(y)/(2*(len(y)-y.sum())))
    //   m=LogisticRegression(C=1/(lam*c.sum()), tol=1e-12, max_iter=10000).fit(X,y,sample_weight=c)
    //   m.coef_ -> [[1.5442863440085581, 1.0840549903012346]], m.intercept_ -> [-0.30252837223283924]
    float[][] x = {{0.1f, 0.2f}, {0.4f, -0.1f}, {-0.3f, 0.5f}, {0.8f, 0.9f}, {-0.5f, -0.4f}, {0.2f, 0.7f}, {0.9f, -0.2f},
        {-0.1f, -0.8f}, {0.3f, 0.3f}, {-0.7f, 0.1f}};
    boolean[] y = {true, false, false, true, false, true, true, false, true, false};
    double[] c = new double[10];
    java.util.Arrays.fill(c, 1.0); // 5 and 5: balanced weights are all 1
    int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    LogisticRegression.Fit fit = LogisticRegression.fit(x, y, c, rows, 0.05, null);
    assertThat(fit.weights()[0]).isCloseTo(1.5442863440085581, within(1e-5));
    assertThat(fit.weights()[1]).isCloseTo(1.0840549903012346, within(1e-5));
    assertThat(fit.bias()).isCloseTo(-0.30252837223283924, within(1e-5));
  }

  @Test
  void platt_recovers_the_calibration_of_logistic_data() {
    // decision values f ~ N(0, 2²), P(y=1|f) = 1/(1+exp(-1.5 f + 0.7)): Platt's A≈-1.5, B≈0.7
    Random random = new Random(1);
    int n = 20_000;
    double[] f = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      f[i] = 2 * random.nextGaussian();
      y[i] = random.nextDouble() < 1 / (1 + Math.exp(-1.5 * f[i] + 0.7));
    }
    Platt p = Platt.fit(f, y);
    assertThat(p.a()).isCloseTo(-1.5, within(0.08));
    assertThat(p.b()).isCloseTo(0.7, within(0.08));
    // reliability: in each probability decile, the predicted mean matches the observed rate
    double[] sumP = new double[10];
    double[] sumY = new double[10];
    int[] count = new int[10];
    for (int i = 0; i < n; i++) {
      double q = p.probability(f[i]);
      int bin = Math.min(9, (int) (q * 10));
      sumP[bin] += q;
      sumY[bin] += y[i] ? 1 : 0;
      count[bin]++;
    }
    for (int b = 0; b < 10; b++) {
      if (count[b] >= 200) {
        assertThat(sumY[b] / count[b]).as("bin %d", b).isCloseTo(sumP[b] / count[b], within(0.05));
      }
    }
  }

  @Test
  void platt_stays_finite_on_separable_data() {
    Platt p = Platt.fit(new double[] {-2, -1, 1, 2}, new boolean[] {false, false, true, true});
    assertThat(p.a()).isFinite().isNegative();
    // Platt's smoothed targets: never 0 or 1 even when the data are separated
    assertThat(p.probability(2)).isLessThan(1.0).isGreaterThan(0.5);
  }

  @Test
  void folds_are_stratified_and_reproducible() {
    boolean[] y = new boolean[103];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 5 == 0; // 21 positives
    }
    int[] a = Folds.stratified(y, 5, 42);
    assertThat(Folds.stratified(y, 5, 42)).isEqualTo(a);
    for (int f = 0; f < 5; f++) {
      int positives = 0;
      for (int i : Folds.select(a, f, true)) {
        positives += y[i] ? 1 : 0;
      }
      assertThat(positives).isBetween(4, 5);
      assertThat(Folds.select(a, f, true).length).isBetween(20, 21);
    }
  }

  @Test
  void windows_cut_long_texts_into_sentences_and_leave_short_ones_whole() {
    assertThat(Windows.of("A short text. Two sentences.")).isEmpty();
    String sentence = "This sentence is about forty characters. ";
    String text = sentence.repeat(20);
    var windows = Windows.of(text);
    assertThat(windows).hasSizeGreaterThan(3);
    assertThat(windows).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(Windows.SIZE));
    assertThat(String.join(" ", windows)).isEqualTo(text.strip());
    assertThat(Windows.of("word ".repeat(2000))).hasSize(Windows.MAX);
  }
}
