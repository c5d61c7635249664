package dev.plumb.calibration.corrected;

import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.calibration.scores.ScoreMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Human-only's phase-2 variance floor from the risk score (docs/calibration.md, "Korn–Graubard at 3%: the SE moves
 * with the estimate"): V2 = max(V2, V2_ant), V2_ant what a working model of the gold anticipates.
 *
 * <p>Why: human-only's linearised V2 is the stratified-SRS variance of z_i = c_i (y_i − P̂) over the review classes h,
 * c_i = m_i d1_i/(π2_i Σ_G w) with w = m·d1/π2: V2 = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{G_h} (z_i − z̄_h)², f_h = π2 of
 * class h. A review that drew only light violations leaves V2 small exactly when P̂ is low, and Korn–Graubard then
 * misses below (coverage 0.895–0.920 at 3%). The working model y_i ~ Bernoulli(q_i), independent, decouples V2 from
 * the draw. With μ_i = c_i (q_i − P̂) and σ_i² = c_i² q_i (1 − q_i), E z_i = μ_i and Var z_i = σ_i², so
 * E Σ_{G_h} (z_i − z̄_h)² = Σ (μ_i − μ̄_h)² + (1 − 1/n_h) Σ σ_i², and
 *
 * <pre>  V2_ant = Σ_h (1 − f_h) [Σ_{G_h} c_i² q_i (1 − q_i) + n_h/(n_h − 1) Σ_{G_h} (μ_i − μ̄_h)²]</pre>
 *
 * <p>({@link #phase2}), P̂ held fixed: the model-anticipated variance of Isaki &amp; Fuller (1982, "Survey design under
 * the regression superpopulation model", JASA 77:89–96), the floor active AIPW, stratified PPI and PPI++ already take
 * from the LLM's probabilities. With every q_i of class h at its rate p̂_h it is
 * Σ_h (1 − f_h) [p̂_h (1 − p̂_h) Σ c_i² + n_h/(n_h − 1) (p̂_h − P̂)² Σ (c_i − c̄_h)²] (h41's class-rate floor, 1.5×
 * Korn–Graubard's width at 3%: the clean low-score units, which carry the large c_i when phase 1 draws ∝ m·score,
 * got p̂_h (1 − p̂_h)).
 *
 * <p>q_i ({@link #model}) is per review class the Platt (1999) fit of the class's gold on logit(score), weighted by
 * m·d1 ({@link Recalibration#PLATT}, the fit {@code plumb calibrate --recalibrate-scores} makes): its intercept
 * equation keeps the class's rate, Σ m d1 q = Σ m d1 y, and the score spreads it. A class whose gold is all one way or
 * separated by the score (no MLE) keeps p̂_h, its Hájek rate with weights m·d1. Measured (h42, 200 replicates per
 * seed): Korn–Graubard at 3% 0.895–0.950 → 0.950–0.980 at 1.17–1.23× the width, no kg-gamma row at 0.1%/0.5% losing
 * coverage.
 *
 * <p>The guard ({@link #evidence}, {@link #trusted}, {@link #guarded}; h48, docs/calibration.md "A guard on the score
 * floor (h48)"): a class whose gold cannot vouch for its model keeps its own V2 term. Why: with few violations in a
 * class's gold its Platt slope is guesswork, and unguarded the floor cost 1.55–1.68× the width at 0.5% with a weak
 * score, where the cleared class's gold held 0–5 violations; with G1 (5 positives and 5 negatives) the 0.5% rows keep
 * no floor's width and 3% keeps 0.945–0.975 at 1.16–1.22×.
 */
final class ScoreFloor {
  private ScoreFloor() {}

  /**
   * The working model's q per unit of S (only G's entries are set), or {@code null} when some reviewed unit has no
   * score or the review is the active (Poisson) one, which has no classes: then there is no floor.
   */
  static double[] model(TwoPhaseSample s) {
    return s.poisson || !s.scored() ? null : model(s, s.score);
  }

  /** The working model with {@code score} per unit of S (G's entries in [0, 1]) in place of the sample's own. */
  static double[] model(TwoPhaseSample s, double[] score) {
    double[] q = classRates(s);
    for (int h = 0; h < s.strata2.size(); h++) {
      int k = 0;
      for (int i : s.goldIndex) {
        // a unit without weight adds nothing to the fit (and the fit refuses a weight of 0)
        k += s.stratum2[i] == h && base(s, i) > 0 ? 1 : 0;
      }
      double[] scores = new double[k];
      double[] gold = new double[k];
      double[] weight = new double[k];
      k = 0;
      for (int i : s.goldIndex) {
        if (s.stratum2[i] == h && base(s, i) > 0) {
          scores[k] = score[i];
          // the unbiased gold of an error model can leave [0, 1]; the model is of a probability
          gold[k] = Math.min(1, Math.max(0, s.y[i]));
          weight[k] = base(s, i);
          k++;
        }
      }
      ScoreMap platt;
      try {
        platt = Recalibration.PLATT.fitted("", scores, gold, weight);
      } catch (IllegalArgumentException noMle) {
        continue; // all one way, separated, or no unit: the class rate
      }
      for (int i : s.goldIndex) {
        if (s.stratum2[i] == h) {
          q[i] = platt.apply(score[i]);
        }
      }
    }
    return q;
  }

  /** p̂_h, class h's Hájek rate with weights m·d1 (0 for a class without weight), for every reviewed unit of h. */
  static double[] classRates(TwoPhaseSample s) {
    int g = s.strata2.size();
    double[] w = new double[g];
    double[] wy = new double[g];
    for (int i : s.goldIndex) {
      w[s.stratum2[i]] += base(s, i);
      wy[s.stratum2[i]] += base(s, i) * s.y[i];
    }
    double[] q = new double[s.phase1.size()];
    for (int i : s.goldIndex) {
      int h = s.stratum2[i];
      q[i] = w[h] > 0 ? wy[h] / w[h] : 0;
    }
    return q;
  }

  /**
   * V2_ant at the estimate {@code p} under y_i ~ Bernoulli(q_i) (the formula in the class comment), over the domain
   * ({@code null}: all of S; c_i = 0 outside it, as human-only's residuals are); 0 for an active review. A class with
   * fewer than two reviews adds nothing, as in human-only's V2.
   */
  static double phase2(TwoPhaseSample s, boolean[] domain, double p, double[] q) {
    double v = 0;
    for (double vh : phase2ByClass(s, domain, p, q)) {
      v += vh;
    }
    return v;
  }

  /** V2_ant's term of each review class ({@link #phase2}'s summands, in class order); empty for an active review. */
  static double[] phase2ByClass(TwoPhaseSample s, boolean[] domain, double p, double[] q) {
    if (s.poisson) {
      return new double[0];
    }
    int g = s.strata2.size();
    double[] v = new double[g];
    double sw = 0;
    for (int i : s.goldIndex) {
      sw += in(domain, i) ? base(s, i) / s.pi2[i] : 0;
    }
    if (!(sw > 0)) {
      return v;
    }
    double[] var = new double[g];
    double[] mu = new double[g];
    double[] mu2 = new double[g];
    int[] n = new int[g];
    double[] f = new double[g];
    for (int i : s.goldIndex) {
      int h = s.stratum2[i];
      double c = in(domain, i) ? base(s, i) / (s.pi2[i] * sw) : 0;
      double m = c * (q[i] - p);
      var[h] += c * c * q[i] * (1 - q[i]);
      mu[h] += m;
      mu2[h] += m * m;
      n[h]++;
      f[h] = s.pi2[i];
    }
    for (int h = 0; h < g; h++) {
      if (n[h] >= 2) {
        v[h] = (1 - f[h]) * (var[h] + n[h] / (n[h] - 1.0) * (mu2[h] - mu[h] * mu[h] / n[h]));
      }
    }
    return v;
  }

  /**
   * What the guard looks at, per review class, over the units the class's Platt fit uses (weight m·d1 &gt; 0) with gold
   * clipped to [0, 1]: {@code [h][0]} gold positives Σ y, {@code [h][1]} negatives Σ (1 − y), {@code [h][2]} the
   * within-class AUC of {@code score} on the gold (NaN without both kinds).
   *
   * <p>The AUC is Mann–Whitney's with weights m·d1, a unit counting as a positive with weight m·d1·y and as a negative
   * with m·d1·(1 − y) (an error model's fractional gold is on both sides), ties ½, a unit never paired with itself:
   * Σ_{i≠j} w⁺_i w⁻_j [s_i &gt; s_j] / Σ_{i≠j} w⁺_i w⁻_j. With weights m·d1 it estimates the class's population AUC
   * (the cleared class's units of low score weigh more, as they stand for more).
   */
  static double[][] evidence(TwoPhaseSample s, double[] score) {
    int g = s.strata2.size();
    double[][] out = new double[g][3];
    for (int h = 0; h < g; h++) {
      List<Integer> units = new ArrayList<>();
      for (int i : s.goldIndex) {
        if (s.stratum2[i] == h && base(s, i) > 0) {
          units.add(i);
        }
      }
      units.sort(Comparator.comparingDouble(i -> score[i]));
      double positives = 0;
      double negatives = 0;
      double wPos = 0;
      double wNeg = 0;
      double self = 0; // Σ w⁺_i w⁻_i: the pairs of a unit with itself, counted as ties below and taken out
      double wins = 0;
      for (int a = 0; a < units.size(); ) {
        int b = a;
        double tiePos = 0;
        double tieNeg = 0;
        while (b < units.size() && score[units.get(b)] == score[units.get(a)]) {
          int i = units.get(b);
          double y = Math.min(1, Math.max(0, s.y[i]));
          positives += y;
          negatives += 1 - y;
          tiePos += base(s, i) * y;
          tieNeg += base(s, i) * (1 - y);
          self += base(s, i) * y * base(s, i) * (1 - y);
          b++;
        }
        wins += tiePos * wNeg + 0.5 * tiePos * tieNeg;
        wPos += tiePos;
        wNeg += tieNeg;
        a = b;
      }
      double pairs = wPos * wNeg - self;
      out[h][0] = positives;
      out[h][1] = negatives;
      out[h][2] = pairs > 0 ? (wins - 0.5 * self) / pairs : Double.NaN;
    }
    return out;
  }

  /** Whether class h's model may floor: its gold holds the guard's positives and negatives, and its AUC clears the bar. */
  static boolean[] trusted(double[][] evidence, CalibrationOptions.FloorGuard guard) {
    boolean[] ok = new boolean[evidence.length];
    for (int h = 0; h < ok.length; h++) {
      ok[h] = evidence[h][0] >= guard.minPositives() && evidence[h][1] >= guard.minPositives()
          && (guard.minAuc() <= 0 || evidence[h][2] >= guard.minAuc());
    }
    return ok;
  }

  /**
   * The guarded floor Σ_h (trusted(h) ? V2_ant,h : V2_h), written V2 + Σ_{trusted h} (V2_ant,h − V2_h) with
   * {@code v2} = Σ_h V2_h human-only's own V2 and {@code own[h]} class h's term of it (read for trusted classes only):
   * with no class trusted it is {@code v2} exactly, so the floor cannot bind by rounding.
   */
  static double guarded(double v2, double[] anticipated, boolean[] trusted, double[] own) {
    double v = v2;
    for (int h = 0; h < anticipated.length; h++) {
      v += trusted[h] ? anticipated[h] - own[h] : 0;
    }
    return v;
  }

  private static boolean in(boolean[] domain, int i) {
    return domain == null || domain[i];
  }

  /** m·d1 of unit i of S. */
  private static double base(TwoPhaseSample s, int i) {
    return s.phase1.exposure(i) * s.phase1.designWeight(i);
  }
}
