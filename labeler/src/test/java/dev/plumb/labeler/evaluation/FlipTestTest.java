package dev.plumb.labeler.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reference values from scipy 1.10 / statsmodels 0.14 (python3, Debian bookworm):
 *
 * <pre>
 * from scipy.stats import binom, binomtest
 * binomtest(b, b + c, 0.5, alternative='greater').pvalue             # one-sided p
 * from statsmodels.stats.contingency_tables import mcnemar
 * mcnemar([[10, b], [c, 10]], exact=True).pvalue                      # two-sided p
 * # exact power, written independently of FlipTest:
 * def crit(d, a): return next((k for k in range(1, d + 1) if binom.sf(k - 1, d, .5) <= a), d + 1)
 * def power(n, pb, pf, a):
 *     psi = pb + pf
 *     return sum(binom.pmf(d, n, psi) * binom.sf(crit(d, a) - 1, d, pb / psi) for d in range(1, n + 1))
 * def needed(drop, psi, a):
 *     n = 1
 *     while power(n, (psi + drop) / 2, (psi - drop) / 2, a) &lt; 0.8: n += 1
 *     return n
 * </pre>
 */
class FlipTestTest {
  @Test
  void should_match_scipy_one_sided_exact_p_values_and_be_half_of_statsmodels_two_sided() {
    assertThat(FlipTest.pValue(1, 3)).isCloseTo(0.9375, within(1e-12));
    assertThat(FlipTest.pValue(5, 0)).isCloseTo(0.03125, within(1e-12));
    assertThat(FlipTest.pValue(6, 2)).isCloseTo(0.14453125, within(1e-12));
    assertThat(FlipTest.pValue(10, 4)).isCloseTo(0.08978271484375, within(1e-12));
    assertThat(FlipTest.pValue(0, 4)).isEqualTo(1.0);
    assertThat(FlipTest.pValue(12, 12)).isCloseTo(0.5805901288986206, within(1e-12));
    // statsmodels' two-sided p for broken > fixed is twice the one-sided one
    assertThat(2 * FlipTest.pValue(10, 4)).isCloseTo(0.1795654296875, within(1e-12));
    assertThat(2 * FlipTest.pValue(5, 0)).isCloseTo(0.0625, within(1e-12));
  }

  @Test
  void should_call_a_regression_only_when_significant_and_any_broken_case_at_alpha_1() {
    assertThat(FlipTest.of(5, 0, 0.05).significant()).isTrue();
    assertThat(FlipTest.of(4, 0, 0.05).significant()).as("p = 1/16 > 0.05").isFalse();
    assertThat(FlipTest.of(1, 0, 0.05).significant()).isFalse();
    assertThat(FlipTest.of(1, 3, 1).significant()).as("α = 1: any broken case").isTrue();
    assertThat(FlipTest.of(0, 3, 1).significant()).as("nothing broke").isFalse();
    assertThatThrownBy(() -> FlipTest.of(1, 0, 0)).hasMessageContaining("alpha must be in (0, 1]");
    assertThatThrownBy(() -> FlipTest.of(1, 0, 1.5)).hasMessageContaining("alpha must be in (0, 1]");
  }

  @Test
  void should_find_the_critical_count_from_the_binomial_tail() {
    // 5 of 5 has p = 1/32 ≤ 0.05; 4 of 4 has 1/16 > 0.05: no count of 4 discordant cases rejects
    assertThat(FlipTest.critical(5, 0.05)).isEqualTo(5);
    assertThat(FlipTest.critical(4, 0.05)).isEqualTo(5);
    assertThat(FlipTest.critical(10, 0.05)).isEqualTo(9); // P(X ≥ 9) = 11/1024; P(X ≥ 8) = 56/1024
    assertThat(FlipTest.critical(10, 1)).isEqualTo(1);
  }

  @Test
  void should_match_the_independent_exact_power_computation() {
    assertThat(FlipTest.power(50, 0.06, 0.01, 0.05)).isCloseTo(0.12022894441938838, within(1e-12));
    assertThat(FlipTest.power(100, 0.06, 0.02, 0.05)).isCloseTo(0.2621855794849365, within(1e-12));
    assertThat(FlipTest.power(200, 0.05, 0.03, 0.05)).isCloseTo(0.1901086710203853, within(1e-12));
    assertThat(FlipTest.power(30, 0.2, 0.05, 0.05)).isCloseTo(0.34420977118532886, within(1e-12));
  }

  @Test
  void should_give_the_first_case_count_reaching_80_percent_power() {
    assertThat(FlipTest.casesNeeded(0.05, 0.05, 0.05)).isEqualTo(134);
    assertThat(FlipTest.casesNeeded(0.05, 0.10, 0.05)).isEqualTo(268);
    assertThat(FlipTest.casesNeeded(0.10, 0.20, 0.05)).isEqualTo(134);
    // Connor's approximation (python: (norm.isf(.05)*sqrt(psi) + norm.isf(.2)*sqrt(psi - drop**2))**2 / drop**2)
    assertThat(FlipTest.connor(0.05, 0.05, 0.05)).isCloseTo(121.540723686266, within(1e-9));
    assertThat(FlipTest.connor(0.05, 0.10, 0.05)).isCloseTo(245.20085722119651, within(1e-9));
    assertThatThrownBy(() -> FlipTest.casesNeeded(0.1, 0.05, 0.05)).hasMessageContaining("drop ≤ discordance");
  }

  /**
   * Seeded simulation: under no change (breaks as likely as fixes) the test rejects at most α of the
   * time; with the drop {@link FlipTest#casesNeeded} was asked for it rejects about 80% of the time.
   */
  @Test
  void should_hold_its_level_and_reach_its_power_in_simulation() {
    SplittableRandom rnd = new SplittableRandom(20261207);
    int reps = 4000;
    int n = FlipTest.casesNeeded(0.05, 0.10, 0.05);
    int nullRejections = 0;
    int altRejections = 0;
    for (int r = 0; r < reps; r++) {
      nullRejections += simulate(rnd, n, 0.05, 0.05) ? 1 : 0;
      altRejections += simulate(rnd, n, 0.075, 0.025) ? 1 : 0;
    }
    // SE of a rate near 0.05 over 4000 draws is 0.0034; the exact test is conservative, so ≤ 0.05 + 2 SE
    assertThat(nullRejections / (double) reps).isLessThan(0.057);
    // SE near 0.8 is 0.0063
    assertThat(altRejections / (double) reps).isBetween(0.78, 0.84);
  }

  private static boolean simulate(SplittableRandom rnd, int n, double pBroken, double pFixed) {
    int broken = 0;
    int fixed = 0;
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      if (u < pBroken) {
        broken++;
      } else if (u < pBroken + pFixed) {
        fixed++;
      }
    }
    return FlipTest.of(broken, fixed, 0.05).significant();
  }
}
