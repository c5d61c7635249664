package dev.plumb.labeler.local;

import dev.plumb.core.scores.PriorShift;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The offline classifier's prevalence estimate at a rare prevalence, on real texts: what a
 * classify-and-count at 0.5 says when the classifier's probabilities are calibrated to its training
 * base rate, and what the prior-shift EM of Saerens, Latinne &amp; Decaestecker (2002) says.
 *
 * <p>Per moderation category, the out-of-fold probabilities of {@link
 * LocalQualityBenchmark#crossValidate} (stratified 5-fold CV, seed 7; each training fold the
 * production path for a labeled file, so probabilities are calibrated to the fold's base rate plus
 * the 60 background negatives) are read as a population whose prevalence is set to π by weights:
 * π/P on each of the P positives, (1 − π)/(n − P) on each negative (label shift: the texts of each
 * class keep their scores). Over that population, exactly (no sampling noise beyond the CV's):
 *
 * <ul>
 *   <li>{@code cc@0.5}: the weighted share with p ≥ 0.5, the LLM-only estimate of labels at the
 *       classifier's own threshold;
 *   <li>{@code mean p}: the weighted mean probability (probabilistic classify-and-count);
 *   <li>{@code bayes@π}: the share with the prior-shifted p' ≥ 0.5 at the true π (the Bayes decision
 *       for accuracy, not for counting);
 *   <li>{@code EM}: Saerens et al.'s EM from π_t, the estimated π̂;
 *   <li>{@code cc@t}: the share at or above the count-matching threshold t on the EM's posteriors
 *       ({@link PriorShift#countThreshold});
 *   <li>{@code count threshold}: the share with p ≥ p*(π), p* the {@link CountThreshold} of each
 *       training fold's own out-of-fold values at π (false positives = misses), the threshold the
 *       local labeler uses with {@code --prevalence}; p* is shown averaged over the folds;
 *   <li>{@code gold threshold}: the {@link CountThreshold} at π of gold from the population — half
 *       the texts, their held-out probabilities and labels — applied to the other half; the mean
 *       over {@value #SPLITS} random halvings and the 5% and 95% quantiles.
 * </ul>
 *
 * <p>Run: {@code bench/prior-shift.sh} (prints a Markdown table; docs/benchmarks.md, "Scores as
 * probabilities").
 */
public final class PriorShiftBenchmark {
  static final double[] PREVALENCE = {0.004, 0.008, 0.016};
  /** Random halvings of the texts into gold and counted. */
  static final int SPLITS = 50;

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/moderation/samples-dev.jsonl");
    if (!Files.exists(data)) {
      System.out.println("skipped: " + data + " is absent (the moderation evaluation set lives in ../shared/data/moderation/)");
      return;
    }
    PrintStream out = System.out;
    LocalQualityBenchmark.Corpus corpus = LocalQualityBenchmark.Corpus.load(data);
    List<Features> background = corpus.background();
    out.printf(Locale.ROOT, "%d texts from %s; out-of-fold probabilities of %d-fold stratified CV, seed %d%n%n",
        corpus.texts().size(), data.getFileName(), LocalQualityBenchmark.FOLDS, LocalQualityBenchmark.SEED);
    out.println("| category | training rate π_t | π | cc@0.5 | mean p | bayes@π | EM π̂ | cc@t (t) | count threshold (p*) |"
        + " gold threshold, mean [5%, 95%] |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String[] cat : LocalQualityBenchmark.CATEGORIES) {
      LocalQualityBenchmark.Labeled l = LocalQualityBenchmark.Labeled.of(corpus.rows(), corpus.texts(), corpus.features(), cat[1]);
      boolean[] y = l.y();
      int n = y.length;
      int positives = l.positives();
      // the CV of LocalQualityBenchmark, keeping each training fold's count threshold per π
      int[] fold = Folds.stratified(y, LocalQualityBenchmark.FOLDS, LocalQualityBenchmark.SEED);
      double[] p = new double[n];
      double[][] cut = new double[PREVALENCE.length][n];
      for (int f = 0; f < LocalQualityBenchmark.FOLDS; f++) {
        int[] test = Folds.select(fold, f, true);
        boolean[][] yt = new boolean[1][];
        Trainer.BinaryFit b = LocalQualityBenchmark.fitFold(l, Folds.select(fold, f, false), background, yt);
        CountThreshold counts = CountThreshold.of(b.outOfFold(), yt[0]);
        for (int k = 0; k < PREVALENCE.length; k++) {
          double threshold = b.platt().probability(counts.at(PREVALENCE[k]));
          for (int i : test) {
            cut[k][i] = threshold;
          }
        }
        for (int i : test) {
          p[i] = b.probability(l.texts()[i], l.x()[i], l.windows()[i]);
        }
      }
      // each training fold: 4/5 of the texts plus the background negatives
      double trained = 0.8 * positives / (0.8 * n + Trainer.BACKGROUND.size());
      for (int k = 0; k < PREVALENCE.length; k++) {
        double pi = PREVALENCE[k];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
          w[i] = y[i] ? pi / positives : (1 - pi) / (n - positives);
        }
        double cc = 0;
        double counted = 0;
        double meanCut = 0;
        double mean = 0;
        double bayes = 0;
        for (int i = 0; i < n; i++) {
          cc += p[i] >= 0.5 ? w[i] : 0;
          counted += p[i] >= cut[k][i] ? w[i] : 0;
          meanCut += cut[k][i] / n;
          mean += w[i] * p[i];
          bayes += PriorShift.adjust(p[i], trained, pi) >= 0.5 ? w[i] : 0;
        }
        PriorShift.Estimate em = PriorShift.em(p, w, trained);
        double[] q = em.posteriors();
        double t = PriorShift.countThreshold(q, w);
        double ct = 0;
        for (int i = 0; i < n; i++) {
          ct += q[i] >= t ? w[i] : 0;
        }
        // gold from the population: half the texts (their out-of-fold scores and labels) set the
        // count threshold at π, the other half is counted; 50 random halvings
        java.util.SplittableRandom rng = new java.util.SplittableRandom(LocalQualityBenchmark.SEED + k);
        double[] gold = new double[SPLITS];
        for (int r = 0; r < SPLITS; r++) {
          boolean[] inGold = new boolean[n];
          int gp = 0;
          int gn = 0;
          for (int i = 0; i < n; i++) {
            inGold[i] = rng.nextBoolean();
            gp += inGold[i] && y[i] ? 1 : 0;
            gn += inGold[i] && !y[i] ? 1 : 0;
          }
          double[] gv = new double[gp + gn];
          boolean[] gy = new boolean[gp + gn];
          int j = 0;
          for (int i = 0; i < n; i++) {
            if (inGold[i]) {
              gv[j] = p[i];
              gy[j++] = y[i];
            }
          }
          double cutGold = gp > 0 && gn > 0 ? CountThreshold.of(gv, gy).at(pi) : 0.5;
          double num = 0;
          double den = 0;
          for (int i = 0; i < n; i++) {
            if (!inGold[i]) {
              num += p[i] >= cutGold ? w[i] : 0;
              den += w[i];
            }
          }
          gold[r] = num / den;
        }
        java.util.Arrays.sort(gold);
        double goldMean = java.util.Arrays.stream(gold).average().orElseThrow();
        out.printf(Locale.ROOT, "| %s | %.3f | %.1f%% | %s | %s | %s | %s | %s (%.3f) | %s (%.3f) | %s [%.2f%%, %.2f%%] |%n", cat[0],
            trained, 100 * pi, cell(cc, pi), cell(mean, pi), cell(bayes, pi), cell(em.prior(), pi), cell(ct, pi), t,
            cell(counted, pi), meanCut, cell(goldMean, pi), 100 * gold[(int) (0.05 * SPLITS)], 100 * gold[(int) (0.95 * SPLITS)]);
      }
    }
    System.exit(0);
  }

  /** "2.31% (+44%)": the estimate and its relative bias. */
  private static String cell(double estimate, double truth) {
    return String.format(Locale.ROOT, "%.2f%% (%+.0f%%)", 100 * estimate, 100 * (estimate - truth) / truth);
  }

  private PriorShiftBenchmark() {}
}
