package dev.plumb.labeler.evaluation;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Whether a candidate prompt answers worse than its baseline on the same cases: the exact McNemar
 * test on the discordant pairs, one-sided (McNemar 1947; the exact form is the sign test on the
 * discordant pairs, Agresti, <i>Categorical Data Analysis</i>, 3rd ed., §11.1).
 *
 * <p>Of the cases one side answers correctly and the other does not, {@code broken} are right in
 * the baseline only and {@code fixed} in the candidate only. Under "the change does not make things
 * worse" each discordant case is broken with probability ½ at most, so the p-value is
 * P(X ≥ broken) for X ~ Binomial(broken + fixed, ½). Cases both sides get right, or both wrong, carry
 * no information about the difference and do not enter. The test is one-sided because only a drop
 * should fail a pull request; statsmodels' {@code mcnemar(exact=True)} reports the two-sided p-value,
 * min(1, 2·P(X ≤ min(broken, fixed))), which is twice this one when broken &gt; fixed.
 *
 * @param pValue P(X ≥ broken), 1 when nothing broke
 * @param alpha the level the author set; a regression needs {@code broken > 0} and {@code pValue ≤ alpha},
 *     so α = 1 fails on any broken case
 */
public record FlipTest(int broken, int fixed, double pValue, double alpha) {
  /** The default level of {@code plumb prompt test --alpha}. */
  public static final double DEFAULT_ALPHA = 0.05;
  /** The power {@link #casesNeeded} aims for. */
  public static final double POWER = 0.8;

  public FlipTest {
    if (broken < 0 || fixed < 0) {
      throw new IllegalArgumentException("flip counts must not be negative: " + broken + ", " + fixed);
    }
    checkAlpha(alpha);
  }

  /** The test of {@code broken} against {@code fixed} discordant cases at level {@code alpha}. */
  public static FlipTest of(int broken, int fixed, double alpha) {
    return new FlipTest(broken, fixed, pValue(broken, fixed), alpha);
  }

  /** Whether the candidate is significantly worse than the baseline at level α. */
  public boolean significant() {
    return broken > 0 && pValue <= alpha;
  }

  /** P(X ≥ broken) for X ~ Binomial(broken + fixed, ½); 1 when {@code broken} is 0. */
  public static double pValue(int broken, int fixed) {
    if (broken == 0) {
      return 1;
    }
    // survivalProbability(x) is P(X > x)
    return BinomialDistribution.of(broken + fixed, 0.5).survivalProbability(broken - 1);
  }

  /**
   * The exact power of the one-sided exact test on {@code n} cases when each case is broken with
   * probability {@code pBroken} and fixed with probability {@code pFixed} (independently across cases):
   * Σ_d P(D = d)·P(B ≥ b*(d) | D = d), with D ~ Binomial(n, ψ) discordant cases, ψ = pBroken + pFixed,
   * B | D = d ~ Binomial(d, pBroken/ψ), and b*(d) the smallest count the test rejects at α. Terms of D
   * more than 12 standard deviations + 20 from its mean are left out (their mass is below 1e-14).
   */
  public static double power(int n, double pBroken, double pFixed, double alpha) {
    checkAlpha(alpha);
    double psi = pBroken + pFixed;
    if (!(pBroken >= 0 && pFixed >= 0 && psi <= 1) || n < 0) {
      throw new IllegalArgumentException("flip probabilities must be ≥ 0 with a sum ≤ 1: " + pBroken + ", " + pFixed);
    }
    if (n == 0 || pBroken == 0) {
      return 0;
    }
    BinomialDistribution discordant = BinomialDistribution.of(n, psi);
    double sd = Math.sqrt(n * psi * (1 - psi));
    int from = Math.max(1, (int) Math.floor(n * psi - 12 * sd - 20));
    int to = Math.min(n, (int) Math.ceil(n * psi + 12 * sd + 20));
    double share = pBroken / psi;
    double power = 0;
    for (int d = from; d <= to; d++) {
      int critical = critical(d, alpha);
      if (critical <= d) {
        power += discordant.probability(d) * BinomialDistribution.of(d, share).survivalProbability(critical - 1);
      }
    }
    return Math.min(1, power);
  }

  /**
   * The smallest number of cases at which the one-sided exact test at level α detects a drop in
   * accuracy of {@code drop} (a proportion, 0.05 for 5 points) with {@link #POWER} when a share
   * {@code discordance} of cases flips either way (so cases break with probability (ψ + drop)/2 and
   * get fixed with probability (ψ − drop)/2). The exact power is a saw-tooth in n; this is the first n
   * that reaches the power. The search starts below Connor's (1987) normal approximation
   * n ≈ (z_α·√ψ + z_β·√(ψ − drop²))² / drop².
   *
   * @throws IllegalArgumentException unless 0 &lt; drop ≤ discordance ≤ 1 and drop + discordance ≤ 2
   */
  public static int casesNeeded(double drop, double discordance, double alpha) {
    checkAlpha(alpha);
    if (!(drop > 0 && drop <= discordance && discordance <= 1)) {
      throw new IllegalArgumentException("need 0 < drop ≤ discordance ≤ 1: drop " + drop + ", discordance " + discordance);
    }
    double pBroken = (discordance + drop) / 2;
    double pFixed = (discordance - drop) / 2;
    int n = Math.max(1, (int) Math.floor(0.5 * connor(drop, discordance, alpha)));
    while (power(n, pBroken, pFixed, alpha) < POWER) {
      n++;
    }
    return n;
  }

  /** Connor's (1987) approximate sample size for the one-sided McNemar test at power {@link #POWER}. */
  static double connor(double drop, double discordance, double alpha) {
    NormalDistribution z = NormalDistribution.of(0, 1);
    double za = z.inverseSurvivalProbability(alpha);
    double zb = z.inverseSurvivalProbability(1 - POWER);
    double root = za * Math.sqrt(discordance) + zb * Math.sqrt(discordance - drop * drop);
    return root * root / (drop * drop);
  }

  /** The smallest broken count out of {@code d} discordant cases with P(X ≥ b) ≤ α (d + 1 when none). */
  static int critical(int d, double alpha) {
    // inverseSurvivalProbability(α) is the smallest x with P(X > x) ≤ α, so P(X ≥ x + 1) ≤ α
    int x = BinomialDistribution.of(d, 0.5).inverseSurvivalProbability(alpha);
    return Math.max(1, x + 1);
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]: " + alpha);
    }
  }
}
