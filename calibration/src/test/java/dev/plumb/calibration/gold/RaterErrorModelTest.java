package dev.plumb.calibration.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RaterErrorModelTest {
  /** The data of reference/anchored_dawid_skene.py: item, stratum, known class, answers of r1–r4. */
  private static final String DATA = "i00 hp 1 - 1 - 1;i01 hp 0 0 0 0 -;i02 hp 1 1 1 - 1;i03 hp 0 0 0 - -;"
      + "i04 hp 1 1 - 1 1;i05 hp 0 0 0 0 -;i06 hp 1 - 1 - 0;i07 hp 0 0 0 1 -;i08 pos - - 0 0 0;i09 pos - 0 - - 0;"
      + "i10 pos - - 1 1 1;i11 pos - 0 0 - 0;i12 pos - 0 - 0 -;i13 pos - 1 1 - 1;i14 pos - 1 1 0 -;i15 pos - - - 0 0;"
      + "i16 pos - 0 0 - 0;i17 pos - 0 0 0 -;i18 pos - 0 1 - -;i19 pos - 1 - 1 0;i20 pos - 0 - 0 0;i21 pos - - - 0 1;"
      + "i22 pos - 1 1 - 1;i23 pos - 1 1 - 1;i24 pos - - 0 - 1;i25 pos - 0 - 1 0;i26 pos - 0 0 1 -;i27 pos - - 0 - 0;"
      + "i28 pos - 0 0 0 -;i29 pos - 0 0 - 0;i30 neg - - 0 - 0;i31 neg - - 0 1 0;i32 neg - 1 1 - 1;i33 neg - 0 - - 0;"
      + "i34 neg - - 0 0 0;i35 neg - 0 - 0 0;i36 neg - - 0 0 -;i37 neg - 0 0 - 0;i38 neg - 0 0 - 0;i39 neg - 0 - 0 -;"
      + "i40 neg - 0 0 - 0;i41 neg - - 0 0 0;i42 neg - 1 1 - -;i43 neg - 0 - 0 0;i44 neg - 0 0 0 -;i45 neg - - - 0 0;"
      + "i46 neg - 0 0 - 0;i47 neg - 0 - 0 0;i48 neg - - 0 0 -;i49 neg - 0 0 - 0;i50 neg - 0 - 1 0;i51 neg - - - 0 0;"
      + "i52 neg - 0 0 - 0;i53 neg - - 0 0 0;i54 neg - 0 - 0 -;i55 neg - - 1 0 0;i56 neg - 0 0 0 -;i57 neg - 0 - - 0;"
      + "i58 neg - - 1 0 0;i59 neg - 0 - 0 0";

  private static List<ReviewItem> items(String data) {
    return items(data, false);
  }

  /** With {@code weighted}, item number i weighs 2^((5i mod 7) − 3), as in the reference's second part. */
  private static List<ReviewItem> items(String data, boolean weighted) {
    List<ReviewItem> out = new ArrayList<>();
    for (String row : data.split(";")) {
      String[] f = row.split(" ");
      Map<String, Boolean> answers = new TreeMap<>();
      for (int j = 3; j < f.length; j++) {
        if (!f[j].equals("-")) {
          answers.put("r" + (j - 2), f[j].equals("1"));
        }
      }
      Boolean known = f[2].equals("-") ? null : f[2].equals("1");
      double weight = weighted ? Math.pow(2, (5 * out.size()) % 7 - 3) : 1;
      out.add(new ReviewItem(f[0], f[1], known, answers, weight));
    }
    return out;
  }

  private static RaterError rater(RaterErrorFit fit, String id) {
    return fit.raters().stream().filter(r -> r.rater().equals(id)).findFirst().orElseThrow();
  }

  /**
   * Against reference/anchored_dawid_skene.py (numpy EM from the formulas, pseudo-count 0.01):
   * iterations 77, prior neg 0.0722941923, pos 0.3661679505, se [0.9957832244 0.9095665325 0.5765449746
   * 0.8171624933], sp [0.9996365481 0.9042816277 0.8321384784 0.9983769266]; the leave-one-out
   * posteriors plumb uses, of i08 i10 i19 i31 i32 i42, [0.0057600324 0.9998797603 0.9988549091
   * 0.0050466021 0.9999981845 0.9990871696] (the EM's own: [0.0053552782 0.9998946689 0.9989965698
   * 0.0048780663 0.999999021 0.9995073531]); their unbiased gold g = (q − e0)/(e1 − e0) at the same
   * prior and rates [-0.0540933929 1.1062370961 1.0017124995 -0.0097044445 1.0089903861 1.0114638366];
   * its answer noise [0.0256148375 0.0634602122 0.0014779098 0.0048346017 0.0036912288 0.0047459184].
   */
  @Test
  void should_match_the_numpy_reference_with_honeypots_clamped_and_a_prior_per_stratum() {
    RaterErrorFit fit = RaterErrorModel.fit(items(DATA), RaterErrorModel.Options.defaults().withReplicates(50));
    assertReference(fit, new double[] {0.9957832244, 0.9095665325, 0.5765449746, 0.8171624933},
        new double[] {0.9996365481, 0.9042816277, 0.8321384784, 0.9983769266}, 0.0722941923, 0.3661679505,
        new double[] {0.0057600324, 0.9998797603, 0.9988549091, 0.0050466021, 0.9999981845, 0.9990871696},
        new double[] {-0.0540933929, 1.1062370961, 1.0017124995, -0.0097044445, 1.0089903861, 1.0114638366},
        new double[] {0.0256148375, 0.0634602122, 0.0014779098, 0.0048346017, 0.0036912288, 0.0047459184});
    assertThat(fit.honeypots()).isEqualTo(8);
    assertThat(fit.posterior()).hasSize(52);
    assertThat(fit.replicates().get("i08")).hasSize(50);
    // the bootstrap interval holds the estimate, and a rater with 0.58 sensitivity is seen as unsure
    RaterError r3 = rater(fit, "r3");
    assertThat(r3.sensitivityInterval().lower()).isLessThanOrEqualTo(r3.sensitivity());
    assertThat(r3.sensitivityInterval().upper()).isGreaterThanOrEqualTo(r3.sensitivity());
    assertThat(r3.sensitivityInterval().width()).isGreaterThan(0.2);
  }

  /**
   * The logistic prior in the log design weight, against {@code anchored_dawid_skene.py weighted}
   * (numpy, the M-step's logistic fit by Newton's method to convergence): iterations 25, prior at the
   * stratum's typical weight neg 0.0632520504, pos 0.3549485896, slope −0.4324527458, se [0.9983087326
   * 0.9071033209 0.57931366 0.8192617078], sp [0.9996348369 0.9035078375 0.8322900421 0.9994319398];
   * leave-one-out posteriors of i08 i10 i19 i31 i32 i42 [0.0029953264 0.9999778092 0.9984649288
   * 0.0080180904 0.9999981564 0.9995833528]; unbiased gold [-0.0356628147 1.0794856473 1.0003087948
   * -0.0110255314 1.0135543916 1.0050846704]; answer noise [0.0137968143 0.0449743591 0.000628647
   * 0.0063559869 0.0066853308 0.0018028346].
   */
  @Test
  void should_match_the_numpy_reference_with_a_prior_logistic_in_the_log_weight() {
    RaterErrorFit fit = RaterErrorModel.fit(items(DATA, true), RaterErrorModel.Options.defaults().withReplicates(50));
    assertReference(fit, new double[] {0.9983087326, 0.9071033209, 0.57931366, 0.8192617078},
        new double[] {0.9996348369, 0.9035078375, 0.8322900421, 0.9994319398}, 0.0632520504, 0.3549485896,
        new double[] {0.0029953264, 0.9999778092, 0.9984649288, 0.0080180904, 0.9999981564, 0.9995833528},
        new double[] {-0.0356628147, 1.0794856473, 1.0003087948, -0.0110255314, 1.0135543916, 1.0050846704},
        new double[] {0.0137968143, 0.0449743591, 0.000628647, 0.0063559869, 0.0066853308, 0.0018028346});
  }

  /**
   * Se, Sp of r1–r4, the priors of neg and pos, the posteriors, unbiased gold and its answer noise
   * q Var(g | violating) + (1 − q) Var(g | clean) of i08 i10 i19 i31 i32 i42, to 1e-7.
   */
  private static void assertReference(RaterErrorFit fit, double[] se, double[] sp, double neg, double pos,
      double[] q, double[] g, double[] noise) {
    for (int j = 0; j < 4; j++) {
      assertThat(rater(fit, "r" + (j + 1)).sensitivity()).isCloseTo(se[j], within(1e-7));
      assertThat(rater(fit, "r" + (j + 1)).specificity()).isCloseTo(sp[j], within(1e-7));
    }
    assertThat(fit.priors().get("neg")).isCloseTo(neg, within(1e-7));
    assertThat(fit.priors().get("pos")).isCloseTo(pos, within(1e-7));
    String[] ids = {"i08", "i10", "i19", "i31", "i32", "i42"};
    for (int i = 0; i < ids.length; i++) {
      assertThat(fit.posterior().get(ids[i])).as(ids[i]).isCloseTo(q[i], within(1e-7));
      assertThat(fit.gold().get(ids[i])).as(ids[i]).isCloseTo(g[i], within(1e-7));
      assertThat(fit.goldVariance().get(ids[i])).as(ids[i]).isCloseTo(noise[i], within(1e-7));
      assertThat(fit.goldReplicates().get(ids[i])).hasSize(50);
    }
  }

  @Test
  void should_give_posteriors_of_0_and_1_to_six_decimals_when_raters_never_err() {
    exactRaters(false);
  }

  /** The logistic prior too, with the violating units the light ones (the slope runs large). */
  @Test
  void should_give_posteriors_of_0_and_1_to_six_decimals_when_raters_never_err_and_units_are_weighted() {
    exactRaters(true);
  }

  private static void exactRaters(boolean weighted) {
    List<ReviewItem> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean y = i % 10 == 0;
      double weight = weighted ? (y ? 1 : 50) * (1 + i % 7) : 1;
      items.add(new ReviewItem("u" + i, i < 100 ? "a" : "b", null, Map.of("r1", y, "r2", y, "r3", y), weight));
    }
    items.add(new ReviewItem("h1", "", true, Map.of("r1", true, "r2", true)));
    items.add(new ReviewItem("h2", "", false, Map.of("r1", false, "r3", false)));
    RaterErrorFit fit = RaterErrorModel.fit(items, RaterErrorModel.Options.defaults().withReplicates(20));
    for (int i = 0; i < 200; i++) {
      double expected = i % 10 == 0 ? 1 : 0;
      assertThat(fit.posterior().get("u" + i)).isCloseTo(expected, within(5e-7));
      for (double v : fit.replicates().get("u" + i)) {
        assertThat(v).isCloseTo(expected, within(5e-7));
      }
      // the unbiased gold to five decimals: the pseudo-count leaves each rate about 1e-4 from 1, so a
      // violating unit's expected posterior is 1 − 1e-6 and its unbiased gold 1.000001
      assertThat(fit.gold().get("u" + i)).isCloseTo(expected, within(5e-6));
      // and no answer noise: every pattern but the unanimous right one has probability about 1e-4
      assertThat(fit.goldVariance().get("u" + i)).isCloseTo(0, within(1e-3));
      for (double v : fit.goldReplicates().get("u" + i)) {
        assertThat(v).isCloseTo(expected, within(5e-6));
      }
    }
  }

  @Test
  void should_refuse_answers_without_overlap_or_honeypots() {
    List<ReviewItem> items = List.of(new ReviewItem("u1", "a", null, Map.of("r1", true)),
        new ReviewItem("u2", "a", null, Map.of("r2", false)));
    assertThatThrownBy(() -> RaterErrorModel.fit(items, RaterErrorModel.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rater error cannot be estimated: every reviewed item has one answer and there is no honeypot; "
            + "give items to two or more raters (overlap) or add honeypots");
  }

  @Test
  void should_refuse_one_answer_per_item_when_no_honeypot_knows_the_class_a_rate_needs() {
    // one rater per item and only clean honeypots: Se·p is all the answers tell, and EM drifted to
    // Se 0.5 with a stratum prior above one half, calling lone "safe" answers violating
    List<ReviewItem> cleanPots = new ArrayList<>();
    List<ReviewItem> violatingPots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ReviewItem unit = new ReviewItem("u" + i, "a", null, Map.of("r" + (i % 3), i % 4 == 0));
      cleanPots.add(unit);
      violatingPots.add(unit);
    }
    for (int i = 0; i < 6; i++) {
      cleanPots.add(new ReviewItem("h" + i, "", false, Map.of("r" + (i % 3), false)));
      violatingPots.add(new ReviewItem("h" + i, "", true, Map.of("r" + (i % 3), true)));
    }
    assertThatThrownBy(() -> RaterErrorModel.fit(cleanPots, RaterErrorModel.Options.defaults().withReplicates(20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rater sensitivity cannot be estimated: every reviewed item has one answer and no honeypot has a"
            + " violating known answer, so a low sensitivity and a high prevalence fit the answers alike; add honeypots"
            + " with a violating known answer, or give items to two or more raters (overlap)");
    assertThatThrownBy(() -> RaterErrorModel.fit(violatingPots, RaterErrorModel.Options.defaults().withReplicates(20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rater specificity cannot be estimated: every reviewed item has one answer and no honeypot has a"
            + " clean known answer, so false flags and violations fit the answers alike; add honeypots with a clean"
            + " known answer, or give items to two or more raters (overlap)");
    // honeypots of both classes identify both rates
    List<ReviewItem> both = new ArrayList<>(cleanPots);
    both.add(new ReviewItem("h-v", "", true, Map.of("r0", true)));
    assertThat(RaterErrorModel.fit(both, RaterErrorModel.Options.defaults().withReplicates(20)).raters()).isNotEmpty();
  }

  @Test
  void should_refuse_a_panel_whose_errors_flip_the_labels() {
    // the honeypots say every rater answers the opposite of the truth
    List<ReviewItem> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      boolean y = i % 2 == 0;
      items.add(new ReviewItem("h" + i, "", y, Map.of("r1", !y, "r2", !y)));
      items.add(new ReviewItem("u" + i, "a", null, Map.of("r1", y, "r2", y)));
    }
    assertThatThrownBy(() -> RaterErrorModel.fit(items, RaterErrorModel.Options.defaults().withReplicates(20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the answers do not identify the raters' errors: the fitted panel sensitivity 0.0");
  }

  @Test
  void should_say_how_many_more_items_a_thin_review_needs() {
    List<ReviewItem> items = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      boolean y = i % 8 == 0;
      boolean flip = i % 7 == 3;
      items.add(new ReviewItem("u" + i, "a", null, Map.of("r1", y, "r2", flip != y)));
    }
    RaterErrorFit fit = RaterErrorModel.fit(items, RaterErrorModel.Options.defaults().withReplicates(100));
    assertThat(fit.warnings()).anySatisfy(w -> assertThat(w).matches(
        "panel sensitivity [0-9.]+ is known only to ±[0-9.]+ from [0-9.]+ violating items with overlap or a "
            + "known answer; about [0-9]+ more \\(violating honeypots, or violating units reviewed by two or more "
            + "raters\\) would bring it to ±0.10"));
  }

  @Test
  void should_warn_that_sensitivity_is_not_estimable_when_nobody_answers_positive() {
    List<ReviewItem> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      items.add(new ReviewItem("u" + i, "a", null, Map.of("r1", false, "r2", false)));
    }
    RaterErrorFit fit = RaterErrorModel.fit(items, RaterErrorModel.Options.defaults().withReplicates(20));
    assertThat(fit.warnings()).contains("no rater answered positive and no honeypot is positive: sensitivity "
        + "cannot be estimated, and the posteriors take every unanimous negative as negative; add violating honeypots");
    assertThat(fit.posterior().get("u0")).isLessThan(1e-6);
  }

  /**
   * Issue 14: round 1 of a sequential review on the demo's sample, self_harm@2 — 302 reviewed units, 4 of them
   * violating, 2 violating honeypots. Bootstrap replicates that draw too few of them re-fit some raters'
   * sensitivity to about 0.001 (Youden J ≈ 0); scored at those rates, one unit's unbiased gold reached 1,214 and
   * V_gold made self_harm's interval [0.0%, 62.8%]. Such a rater now scores the gold at the full data's rates.
   */
  @Test
  void should_bound_the_unbiased_golds_replicates_when_a_replicate_leaves_a_rater_at_chance() throws Exception {
    List<ReviewItem> items = new ArrayList<>();
    try (var in = getClass().getResourceAsStream("/gold/small-review-self-harm.txt")) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        Map<String, Boolean> answers = new TreeMap<>();
        for (int j = 4; j < f.length; j++) {
          answers.put(f[j].substring(0, f[j].indexOf('=')), f[j].endsWith("=1"));
        }
        Boolean known = f[2].equals("-") ? null : f[2].equals("1");
        items.add(new ReviewItem(f[0], f[1].equals("hp") ? "" : f[1], known, answers, Double.parseDouble(f[3])));
      }
    }
    // the seed plumb queue import gave this policy
    RaterErrorFit fit = RaterErrorModel.fit(items, RaterErrorModel.Options.defaults().withSeed(1663341873553828002L));

    // the raw re-fits still reach chance (the raters' own intervals show it) ...
    assertThat(fit.raters().stream().mapToDouble(r -> r.sensitivityInterval().lower()).min().orElseThrow())
        .isLessThan(RaterErrorModel.CHANCE);
    // ... but the gold's replicates stay bounded: at most 3.10 (two raters at Se 0.27 and 0.12, a real draw),
    // where before they reached 1,214
    double[] worst = {0, 0};
    fit.goldReplicates().values().forEach(reps -> {
      for (double g : reps) {
        worst[0] = Math.min(worst[0], g);
        worst[1] = Math.max(worst[1], g);
      }
    });
    assertThat(worst[0]).isGreaterThan(-0.5);
    assertThat(worst[1]).isLessThan(5);
  }
}
