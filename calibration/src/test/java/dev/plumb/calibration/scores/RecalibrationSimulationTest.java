package dev.plumb.calibration.scores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Why the recalibration is design-weighted (docs/calibration.md, "Label scores"): a review stratified
 * on something that knows more than the score — here {@code any_positive}, the LLM's calls on all
 * policies, where another policy's positive call co-occurs with this one's violations — oversamples,
 * among units of the same score, the ones more likely to violate. An unweighted fit on that gold then
 * overstates P(violating | score); weighting each reviewed unit by 1/π2 recovers it. Measured on a
 * fresh population, out of sample.
 */
class RecalibrationSimulationTest {
  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** One unit: the label score, the LLM's call, the truth. */
  private record Unit(double score, boolean call, boolean violating) {}

  private static List<Unit> population(SplittableRandom rnd, int n) {
    List<Unit> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double z = -4 + 1.5 * rnd.nextGaussian(); // the unit's true log-odds: ~3% violate
      boolean y = rnd.nextDouble() < sigmoid(z);
      // an overconfident score (twice the log-odds, shifted up); "any policy positive", which co-occurs
      // with this policy's violations beyond what its score says
      double s = sigmoid(2 * z + 3);
      boolean call = y ? rnd.nextDouble() < 0.6 : rnd.nextDouble() < 0.05;
      out.add(new Unit(s, call, y));
    }
    return out;
  }

  /** Σ_b (n_b/n)|share violating_b − mean p_b| over 10 equal-width bins of p, and the mean p vs the rate. */
  private static double[] ece(List<Unit> units, java.util.function.DoubleUnaryOperator p) {
    double[] sum = new double[10];
    double[] hit = new double[10];
    double[] cnt = new double[10];
    double mean = 0;
    double rate = 0;
    for (Unit u : units) {
      double q = p.applyAsDouble(u.score());
      int b = Math.min(9, (int) (q * 10));
      sum[b] += q;
      hit[b] += u.violating() ? 1 : 0;
      cnt[b]++;
      mean += q;
      rate += u.violating() ? 1 : 0;
    }
    double e = 0;
    for (int b = 0; b < 10; b++) {
      if (cnt[b] > 0) {
        e += cnt[b] / units.size() * Math.abs(hit[b] / cnt[b] - sum[b] / cnt[b]);
      }
    }
    return new double[] {e, mean / units.size(), rate / units.size()};
  }

  @Test
  void design_weighted_isotonic_fit_is_calibrated_out_of_sample_and_the_unweighted_one_is_not() {
    SplittableRandom rnd = new SplittableRandom(19);
    List<Unit> frame = population(rnd, 60_000);
    // review: every LLM-positive at π2 = 0.5, LLM-negatives at π2 = 0.02 (Poisson)
    List<double[]> gold = new ArrayList<>();
    for (Unit u : frame) {
      double pi2 = u.call() ? 0.5 : 0.02;
      if (rnd.nextDouble() < pi2) {
        gold.add(new double[] {u.score(), u.violating() ? 1 : 0, 1 / pi2});
      }
    }
    double[] s = new double[gold.size()];
    double[] y = new double[gold.size()];
    double[] w = new double[gold.size()];
    double[] ones = new double[gold.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = gold.get(i)[0];
      y[i] = gold.get(i)[1];
      w[i] = gold.get(i)[2];
      ones[i] = 1;
    }
    ScoreMap weighted = Recalibration.ISOTONIC.fitted("p@1", s, y, w);
    ScoreMap unweighted = Recalibration.ISOTONIC.fitted("p@1", s, y, ones);
    ScoreMap platt = Recalibration.PLATT.fitted("p@1", s, y, w);
    List<Unit> fresh = population(new SplittableRandom(20), 60_000);
    double[] raw = ece(fresh, x -> x);
    double[] iso = ece(fresh, weighted::apply);
    double[] naive = ece(fresh, unweighted::apply);
    double[] sig = ece(fresh, platt::apply);
    System.out.printf(java.util.Locale.ROOT,
        "gold %d; ECE raw %.4f (mean %.4f vs rate %.4f), isotonic weighted %.4f (mean %.4f), unweighted %.4f (mean %.4f),"
            + " platt weighted %.4f (mean %.4f)%n",
        gold.size(), raw[0], raw[1], raw[2], iso[0], iso[1], naive[0], naive[1], sig[0], sig[1]);
    assertThat(raw[0]).isGreaterThan(0.02);
    assertThat(iso[0]).isLessThan(raw[0] / 4);
    assertThat(Math.abs(iso[1] - iso[2])).isLessThan(0.15 * iso[2]);
    // unweighted: the mean probability overstates the rate (the review oversampled LLM-positives)
    assertThat(naive[1]).isGreaterThan(1.3 * naive[2]);
    assertThat(naive[0]).isGreaterThan(2 * iso[0]);
  }
}
