package dev.plumb.calibration.quality;

import dev.plumb.core.scores.Isotonic;
import java.util.ArrayList;
import java.util.List;

/**
 * A stated probability against how often its event happened, in equal-width bins: the LLM's
 * confidence against whether its decision equals gold, or a label score against whether gold is
 * positive ({@code calibration.scores}).
 *
 * @param bins the non-empty bins, in increasing probability
 * @param ece expected calibration error Σ_b (W_b/W)·|observed_b − confidence_b| (Guo et al. 2017,
 *     "On Calibration of Modern Neural Networks"); NaN when no unit has a probability
 * @param withoutConfidence units that had no probability and are not in the table
 * @param recalibration the stated probability mapped to the (weighted) share of events by isotonic
 *     regression on the reviewed units (Zadrozny &amp; Elkan 2002): what a stated probability means
 *     against gold; {@code null} when no unit has one. Fitted on the same units it describes, so it
 *     says what the probability meant here, not how well a recalibrated model would do elsewhere.
 */
public record ReliabilityTable(List<Bin> bins, double ece, int withoutConfidence, Isotonic recalibration) {
  public ReliabilityTable {
    bins = List.copyOf(bins);
  }

  /**
   * One bin [lower, upper) (the last bin includes 1).
   *
   * @param meanConfidence the (weighted) mean stated probability in the bin
   * @param observed the (weighted) share of events, with its Wilson interval on Kish's effective n
   */
  public record Bin(double lower, double upper, double meanConfidence, Rate observed) {}

  /**
   * The table of probabilities {@code p} (NaN: none stated; the unit is counted in {@code
   * withoutConfidence}) against {@code event}, each unit weighted by {@code weight} (&gt; 0), in
   * {@code bins} equal-width bins (a probability of 1 falls in the last).
   */
  public static ReliabilityTable of(double[] p, boolean[] event, double[] weight, double level, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("the reliability table needs at least one bin: " + bins);
    }
    Rate.Tally[] tallies = new Rate.Tally[bins];
    double[] confSum = new double[bins];
    double[] weightSum = new double[bins];
    int without = 0;
    List<double[]> fit = new ArrayList<>(); // {p, event, weight}
    for (int i = 0; i < p.length; i++) {
      if (Double.isNaN(p[i])) {
        without++;
        continue;
      }
      int b = Math.min(bins - 1, (int) Math.floor(p[i] * bins));
      if (tallies[b] == null) {
        tallies[b] = new Rate.Tally();
      }
      tallies[b].add(weight[i], event[i]);
      confSum[b] += weight[i] * p[i];
      weightSum[b] += weight[i];
      fit.add(new double[] {p[i], event[i] ? 1 : 0, weight[i]});
    }
    double total = 0;
    for (double w : weightSum) {
      total += w;
    }
    List<Bin> out = new ArrayList<>();
    double ece = total > 0 ? 0 : Double.NaN;
    for (int b = 0; b < bins; b++) {
      if (tallies[b] == null) {
        continue;
      }
      Rate observed = tallies[b].rate(level);
      double conf = confSum[b] / weightSum[b];
      ece += weightSum[b] / total * Math.abs(observed.estimate() - conf);
      out.add(new Bin(b / (double) bins, (b + 1) / (double) bins, conf, observed));
    }
    Isotonic recalibration = null;
    if (!fit.isEmpty()) {
      double[] x = new double[fit.size()];
      double[] y = new double[x.length];
      double[] w = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = fit.get(i)[0];
        y[i] = fit.get(i)[1];
        w[i] = fit.get(i)[2];
      }
      recalibration = Isotonic.fit(x, y, w);
    }
    return new ReliabilityTable(out, ece, without, recalibration);
  }
}
