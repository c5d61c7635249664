package dev.plumb.calibration.quality;

import dev.plumb.calibration.agreement.Agreement;
import dev.plumb.calibration.stats.Interval;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The LLM's decision quality against gold: confusion matrices in the policy's decision order,
 * sensitivity, specificity, precision, NPV, accuracy and F1 with Wilson intervals, Cohen's κ and
 * Gwet's AC1 — overall, per category and per stratum — the agreement over every decision
 * ({@link DecisionAgreement}: borderline is a decision of its own, not folded into "negative"),
 * and a reliability table of its confidence; design-weighted and unweighted.
 *
 * <p>Weighted rates are Hájek ratios Σ w·[success]/Σ w with w = exposure/(π₁π₂); their Wilson
 * interval uses Kish's effective sample size (Σ w)²/Σ w² of the denominator set, so with equal
 * weights it is the ordinary Wilson interval (statsmodels {@code proportion_confint(x, n,
 * method="wilson")}). Point estimates equal sklearn's with {@code sample_weight}.
 */
public final class DecisionQuality {
  private DecisionQuality() {}

  /**
   * Assesses {@code judgements} at confidence {@code level} with {@code bins} equal-width
   * confidence bins (at least 1), with the decisions learned from the judgements ({@link
   * DecisionScheme#learned(Map)}).
   */
  public static QualityReport assess(List<Judgement> judgements, double level, int bins) {
    return assess(judgements, DecisionScheme.learned(judgements), level, bins);
  }

  /**
   * Assesses {@code judgements} with the policy's decisions in {@code scheme}'s order (a decision
   * the judgements use and the scheme lacks is appended).
   */
  public static QualityReport assess(List<Judgement> judgements, DecisionScheme scheme, double level, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("the reliability table needs at least one bin: " + bins);
    }
    DecisionScheme all = scheme.covering(judgements);
    return new QualityReport(
        quality(judgements, all, true, level, bins), quality(judgements, all, false, level, bins));
  }

  private static Quality quality(List<Judgement> judgements, DecisionScheme scheme, boolean weighted, double level, int bins) {
    BinaryQuality overall = binary(judgements, j -> true, Judgement::llmPositive, Judgement::goldPositive, weighted, level);
    TreeSet<String> categories = new TreeSet<>();
    TreeSet<String> strata = new TreeSet<>();
    for (Judgement j : judgements) {
      if (j.llmPositive() && j.llmCategory() != null) {
        categories.add(j.llmCategory());
      }
      if (j.goldPositive() && j.goldCategory() != null) {
        categories.add(j.goldCategory());
      }
      strata.add(j.stratum());
    }
    Map<String, BinaryQuality> byCategory = new TreeMap<>();
    for (String c : categories) {
      byCategory.put(c, binary(judgements, j -> true,
          j -> j.llmPositive() && c.equals(j.llmCategory()),
          j -> j.goldPositive() && c.equals(j.goldCategory()), weighted, level));
    }
    Map<String, BinaryQuality> byStratum = new TreeMap<>();
    for (String s : strata) {
      byStratum.put(s, binary(judgements, j -> j.stratum().equals(s),
          Judgement::llmPositive, Judgement::goldPositive, weighted, level));
    }
    return new Quality(overall, byCategory, byStratum, confusion(judgements, scheme, weighted),
        reliability(judgements, weighted, level, bins), DecisionAgreement.of(judgements, scheme, weighted, level));
  }

  static BinaryQuality binary(
      List<Judgement> judgements, Predicate<Judgement> in, Predicate<Judgement> llm,
      Predicate<Judgement> gold, boolean weighted, double level) {
    Rate.Tally sens = new Rate.Tally();
    Rate.Tally spec = new Rate.Tally();
    Rate.Tally ppv = new Rate.Tally();
    Rate.Tally npv = new Rate.Tally();
    Rate.Tally acc = new Rate.Tally();
    Rate.Tally f1Tally = new Rate.Tally();
    double tp = 0;
    double fp = 0;
    double fn = 0;
    double tn = 0;
    int units = 0;
    for (Judgement j : judgements) {
      if (!in.test(j)) {
        continue;
      }
      double w = weighted ? j.weight() : 1;
      boolean yhat = llm.test(j);
      boolean y = gold.test(j);
      units++;
      if (y && yhat) {
        tp += w;
      } else if (!y && yhat) {
        fp += w;
      } else if (y) {
        fn += w;
      } else {
        tn += w;
      }
      if (y) {
        sens.add(w, yhat);
      } else {
        spec.add(w, !yhat);
      }
      if (yhat) {
        ppv.add(w, y);
      } else {
        npv.add(w, !y);
      }
      acc.add(w, y == yhat);
      // F1 = TP / (TP + (FP + FN)/2): a ratio over the units that are positive for the LLM or the
      // gold, an error counting half — so it gets the same Wilson-on-Kish interval as the rates
      if (y || yhat) {
        f1Tally.add(y && yhat ? w : w / 2, y && yhat);
      }
    }
    double errors = fp + fn;
    double f1 = tp + errors > 0 ? 2 * tp / (2 * tp + errors) : Double.NaN;
    Interval f1Interval = Double.isNaN(f1) ? null : f1Tally.rate(level).interval();
    double[][] table = {{tp, fn}, {fp, tn}};
    double kappa = units == 0 ? Double.NaN : Agreement.cohen(table, level).kappa();
    double ac1 = units == 0 ? Double.NaN : Agreement.gwetAc1(table);
    return new BinaryQuality(units, tp, fp, fn, tn, sens.rate(level), spec.rate(level),
        ppv.rate(level), npv.rate(level), acc.rate(level), f1, f1Interval, kappa, ac1);
  }

  private static ConfusionMatrix confusion(List<Judgement> judgements, DecisionScheme scheme, boolean weighted) {
    int q = scheme.decisions().size();
    double[][] w = new double[q][q];
    int[][] c = new int[q][q];
    for (Judgement j : judgements) {
      int g = scheme.indexOf(j.goldDecision());
      int l = scheme.indexOf(j.llmDecision());
      w[g][l] += weighted ? j.weight() : 1;
      c[g][l]++;
    }
    return new ConfusionMatrix(scheme.decisions(), scheme.positive(), w, c);
  }

  static ReliabilityTable reliability(List<Judgement> judgements, boolean weighted, double level, int bins) {
    double[] c = new double[judgements.size()];
    boolean[] correct = new boolean[c.length];
    double[] w = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      Judgement j = judgements.get(i);
      c[i] = j.confidence();
      correct[i] = j.correct();
      w[i] = weighted ? j.weight() : 1;
    }
    return ReliabilityTable.of(c, correct, w, level, bins);
  }
}
