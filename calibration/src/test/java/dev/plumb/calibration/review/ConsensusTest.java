package dev.plumb.calibration.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsensusTest {

  private static final List<String> CLASSES = List.of("borderline", "safe", "violating");
  private static final double[] PRIOR = {0.1, 0.7, 0.2};
  /** TRUE[rater][truth][answer], classes in CLASSES order. */
  private static final double[][][] TRUE = {
    {{0.80, 0.10, 0.10}, {0.02, 0.95, 0.03}, {0.05, 0.05, 0.90}}, // careful
    {{0.70, 0.20, 0.10}, {0.05, 0.90, 0.05}, {0.10, 0.10, 0.80}}, // good
    {{0.60, 0.30, 0.10}, {0.10, 0.85, 0.05}, {0.10, 0.20, 0.70}}, // average
    {{0.20, 0.70, 0.10}, {0.01, 0.98, 0.01}, {0.05, 0.60, 0.35}}, // lenient: calls most things safe
    {{1 / 3.0, 1 / 3.0, 1 / 3.0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}}, // spammer
    {{0.75, 0.05, 0.20}, {0.05, 0.80, 0.15}, {0.05, 0.02, 0.93}}, // strict
  };

  private record Simulated(Ratings ratings, int[] truth) {}

  private static Simulated simulate(long seed, int units, int perUnit) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Rating> ratings = new ArrayList<>();
    int[] truth = new int[units];
    for (int i = 0; i < units; i++) {
      truth[i] = draw(rng, PRIOR);
      // perUnit distinct raters out of six (overlapping assignment)
      int[] order = {0, 1, 2, 3, 4, 5};
      for (int a = 0; a < perUnit; a++) {
        int b = a + rng.nextInt(order.length - a);
        int tmp = order[a];
        order[a] = order[b];
        order[b] = tmp;
        int rater = order[a];
        ratings.add(new Rating("u" + i, "r" + rater, CLASSES.get(draw(rng, TRUE[rater][truth[i]]))));
      }
    }
    return new Simulated(Ratings.of(ratings, CLASSES), truth);
  }

  private static int draw(SplittableRandom rng, double[] p) {
    double u = rng.nextDouble();
    for (int k = 0; k < p.length - 1; k++) {
      u -= p[k];
      if (u < 0) {
        return k;
      }
    }
    return p.length - 1;
  }

  @Test
  void dawid_skene_recovers_known_rater_confusion_matrices_and_priors() {
    Simulated sim = simulate(20261126L, 6000, 4);
    DawidSkeneFit fit = DawidSkene.fit(sim.ratings(), DawidSkene.Options.defaults());
    assertThat(fit.converged()).isTrue();
    for (int k = 0; k < CLASSES.size(); k++) {
      assertThat(fit.prior(CLASSES.get(k))).as("prior of %s", CLASSES.get(k)).isCloseTo(PRIOR[k], within(0.02));
    }
    double worst = 0;
    for (int j = 0; j < TRUE.length; j++) {
      for (int t = 0; t < 3; t++) {
        for (int a = 0; a < 3; a++) {
          double est = fit.confusion("r" + j, CLASSES.get(t), CLASSES.get(a));
          worst = Math.max(worst, Math.abs(est - TRUE[j][t][a]));
        }
      }
    }
    // Four of six raters per unit: ~4000 ratings per rater, ~400 on the rarest class, so sampling
    // error ≈ 0.02 per cell (observed worst: 0.032). With three raters per unit the spammer's
    // borderline row drifts by 0.1: the rarest class is then barely identifiable.
    assertThat(worst).isLessThan(0.05);
  }

  @Test
  void dawid_skene_beats_majority_vote_when_some_raters_are_unreliable() {
    Simulated sim = simulate(7L, 4000, 3);
    List<UnitConsensus> majority = ConsensusMethod.MAJORITY.consensus(sim.ratings());
    List<UnitConsensus> ds = ConsensusMethod.DAWID_SKENE.consensus(sim.ratings());
    assertThat(accuracy(ds, sim)).isGreaterThan(accuracy(majority, sim) + 0.02);
    assertThat(ds).allMatch(c -> c instanceof UnitConsensus.Decided);
  }

  @Test
  void posteriors_are_distributions_and_smoothing_keeps_sparse_raters_off_zero() {
    List<Rating> ratings = List.of(
        new Rating("u1", "a", "safe"), new Rating("u1", "b", "safe"), new Rating("u1", "once", "violating"),
        new Rating("u2", "a", "violating"), new Rating("u2", "b", "violating"),
        new Rating("u3", "a", "safe"), new Rating("u3", "b", "safe"));
    DawidSkeneFit fit = DawidSkene.fit(Ratings.of(ratings), DawidSkene.Options.defaults());
    for (String u : List.of("u1", "u2", "u3")) {
      assertThat(fit.posterior(u).values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(1.0, within(1e-12));
    }
    // "once" rated one unit and never saw a violating one: smoothing keeps every cell inside (0, 1).
    assertThat(fit.confusion("once", "violating", "violating")).isStrictlyBetween(0.0, 1.0);
    assertThat(fit.confusion("once", "safe", "safe")).isStrictlyBetween(0.0, 1.0);
    assertThat(fit.posterior("u1").get("safe")).isGreaterThan(0.5);
  }

  @Test
  void majority_reports_ties_for_adjudication_instead_of_guessing() {
    List<Rating> ratings = List.of(
        new Rating("u1", "a", "safe"), new Rating("u1", "b", "safe"), new Rating("u1", "c", "violating"),
        new Rating("u2", "a", "safe"), new Rating("u2", "b", "violating"));
    List<UnitConsensus> out = ConsensusMethod.MAJORITY.consensus(Ratings.of(ratings));
    assertThat(out.get(0)).isInstanceOfSatisfying(UnitConsensus.Decided.class, d -> {
      assertThat(d.decision()).isEqualTo("safe");
      assertThat(d.agreement()).isCloseTo(2 / 3.0, within(1e-12));
      assertThat(d.raters()).isEqualTo(3);
    });
    assertThat(out.get(1)).isInstanceOfSatisfying(UnitConsensus.Tied.class, t ->
        assertThat(t.candidates()).containsExactly("safe", "violating"));
  }

  private static double accuracy(List<UnitConsensus> consensus, Simulated sim) {
    int correct = 0;
    for (UnitConsensus c : consensus) {
      int i = Integer.parseInt(c.unit().substring(1));
      if (c instanceof UnitConsensus.Decided d && d.decision().equals(CLASSES.get(sim.truth()[i]))) {
        correct++;
      }
    }
    return correct / (double) consensus.size();
  }
}
