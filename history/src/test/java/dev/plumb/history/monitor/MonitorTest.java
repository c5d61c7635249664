package dev.plumb.history.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.core.InputException;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import dev.plumb.history.RunRecord.DecisionQuality;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import dev.plumb.history.RunRecord.Provenance;
import dev.plumb.history.RunRecord.Signoff;
import dev.plumb.history.RunRecord.Sizes;
import dev.plumb.history.synthetic.HistoryGenerator;
import dev.plumb.history.synthetic.HistoryGenerator.Scenario;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorTest {
  @Test
  void should_write_alerts_json_with_undefined_figures_as_null_and_other_than_numbers_as_text() {
    java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
    values.put("z", Double.NaN);
    values.put("periods", 3);
    values.put("sample", 5L);
    Monitor.Result r = new Monitor.Result(List.of("2026-11-25"), 2,
        List.of(new Monitor.Alert("r", "change", "2026-11-25", "self_harm@2", "all", "m", values)),
        List.of(new Monitor.Skipped("q", "2026-11-25", "harassment@1", "search", "why")));
    assertThat(dev.plumb.core.Json.line(r.toJson("h.duckdb", "main", "rules.yaml"))).isEqualTo("{\"format\":\"plumb.alerts/1\","
        + "\"history\":\"h.duckdb\",\"series\":\"main\",\"rules\":\"rules.yaml\",\"periods\":[\"2026-11-25\"],\"tests\":2,"
        + "\"fired\":true,\"alerts\":[{\"rule\":\"r\",\"type\":\"change\",\"period\":\"2026-11-25\",\"policy\":\"self_harm@2\","
        + "\"domain\":\"all\",\"message\":\"m\",\"values\":{\"z\":null,\"periods\":3,\"sample\":\"5\"}}],"
        + "\"skipped\":[{\"rule\":\"q\",\"period\":\"2026-11-25\",\"policy\":\"harassment@1\",\"domain\":\"search\","
        + "\"reason\":\"why\"}]}");
  }

  static final Rules CHANGE = Rules.parse("""
      rules:
        - name: shift
          type: change
          domains: ["*"]
          trailing: 14
          min_periods: 7
          alpha: 0.01
      """, "rules.yaml");

  @Test
  void should_fire_on_the_injected_shift_in_harassment_on_search_for_every_seed() {
    for (long seed = 1; seed <= 20; seed++) {
      List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(seed));
      Monitor.Result r = Monitor.evaluate(CHANGE, runs, List.of(HistoryGenerator.SHIFT_DAY));
      assertThat(r.periods()).containsExactly("2026-11-21");
      assertThat(r.alerts()).as("seed %d", seed)
          .anyMatch(a -> a.policy().equals("harassment") && a.domain().equals("surface=search"))
          .allMatch(a -> a.policy().equals("harassment"));
      // the day before the shift is quiet
      assertThat(Monitor.evaluate(CHANGE, runs, List.of(HistoryGenerator.SHIFT_DAY - 1)).alerts()).as("seed %d", seed).isEmpty();
    }
  }

  /**
   * The false-alarm rate on pure noise (sampling noise, a weekly cycle, a prompt change, a policy
   * version change and a model change, no real shift): every period of 100 seeded 60-day histories
   * is evaluated as a daily run would be; a period "alarms" when any of its 16 change tests fires.
   * Measured: 3 of 3,200 periods (0.09%) at family-wise α = 1%.
   */
  @Test
  void should_stay_quiet_on_noise_below_the_family_wise_level() {
    int periods = 0;
    int alarmed = 0;
    for (long seed = 1; seed <= 100; seed++) {
      List<RunRecord> runs = HistoryGenerator.generate(Scenario.noise(seed));
      for (int t = 0; t < runs.size(); t++) {
        Monitor.Result r = Monitor.evaluate(CHANGE, runs, List.of(t));
        if (r.tests() > 0) {
          periods++;
          alarmed += r.alerts().isEmpty() ? 0 : 1;
        }
      }
    }
    assertThat(periods).isEqualTo(3200);
    assertThat(alarmed / (double) periods).isLessThanOrEqualTo(0.01);
  }

  @Test
  void should_not_compare_across_a_policy_version_prompt_or_model_change() {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(3));
    Monitor.Result r = Monitor.evaluate(CHANGE, runs, List.of(HistoryGenerator.POLICY_CHANGE_DAY + 2));
    assertThat(r.tests()).isZero();
    assertThat(r.skipped()).filteredOn(s -> s.policy().equals("self_harm") && s.domain().equals("all"))
        .extracting(Monitor.Skipped::reason)
        .containsExactly("2 comparable earlier periods, fewer than min_periods 7 (policy version changed to self_harm@2 on 2026-11-01)");
    assertThat(r.skipped()).filteredOn(s -> s.policy().equals("harassment") && s.domain().equals("all"))
        .extracting(Monitor.Skipped::reason)
        .containsExactly("2 comparable earlier periods, fewer than min_periods 7 (prompt fingerprint changed on 2026-11-01)");
  }

  /**
   * Reference values from scipy (python3 with numpy 1.26 / scipy 1.11):
   * <pre>
   * e=np.array([0.010,0.012,0.011,0.009,0.013,0.010,0.011]); s=np.array([0.0010,0.0011,0.0012,0.0010,0.0013,0.0009,0.0011])
   * k=len(e); m=e.mean(); vb=max((s**2).sum()/k**2, e.var(ddof=1)/k)
   * z=(0.016-m)/np.sqrt(0.0015**2+vb)   # 3.247110840972221, two-sided p 2*norm.sf(abs(z)) = 0.0011658297711625647
   * e2=[0.010,0.0101,0.0099,0.0100,0.0102,0.0098,0.0100]: vb2 = 1.7061224489795917e-07 (the SE term),
   * z2=(0.0125-e2.mean())/np.sqrt(0.0015**2+vb2) = 1.606857616712766, one-sided norm.sf(z2) = 0.05404280283327573
   * </pre>
   */
  @Test
  void should_compute_the_wald_statistic_against_the_trailing_mean_as_scipy_does() {
    double[] ses = {0.0010, 0.0011, 0.0012, 0.0010, 0.0013, 0.0009, 0.0011};
    List<RunRecord> runs = series(new double[] {0.010, 0.012, 0.011, 0.009, 0.013, 0.010, 0.011, 0.016}, ses, 0.0015);
    Rules rules = Rules.parse("rules:\n  - {name: c, type: change, trailing: 7, min_periods: 7, alpha: 0.05}\n", "r.yaml");
    Monitor.Alert a = Monitor.latest(rules, runs).alerts().get(0);
    assertThat((double) a.values().get("baseline")).isCloseTo(0.010857142857142857, within(1e-15));
    assertThat(Math.pow((double) a.values().get("baseline_se"), 2)).isCloseTo(2.5850340136054423e-07, within(1e-18));
    assertThat((double) a.values().get("z")).isCloseTo(3.247110840972221, within(1e-9));
    assertThat((double) a.values().get("p")).isCloseTo(0.0011658297711625647, within(1e-12));
    assertThat(a.message()).isEqualTo("1.600% vs 1.086% over 7 comparable earlier periods (+47%; z = 3.25, p = 0.0012 < 0.05/1)");

    List<RunRecord> quiet = series(new double[] {0.010, 0.0101, 0.0099, 0.0100, 0.0102, 0.0098, 0.0100, 0.0125}, ses, 0.0015);
    Rules up = Rules.parse("rules:\n  - {name: c, type: change, trailing: 7, direction: up, alpha: 0.06}\n", "r.yaml");
    Monitor.Alert b = Monitor.latest(up, quiet).alerts().get(0);
    assertThat(Math.pow((double) b.values().get("baseline_se"), 2)).isCloseTo(1.7061224489795917e-07, within(1e-18));
    assertThat((double) b.values().get("z")).isCloseTo(1.606857616712766, within(1e-9));
    assertThat((double) b.values().get("p")).isCloseTo(0.05404280283327573, within(1e-12));
    Rules strict = Rules.parse("rules:\n  - {name: c, type: change, trailing: 7, direction: up, alpha: 0.05}\n", "r.yaml");
    assertThat(Monitor.latest(strict, quiet).alerts()).isEmpty();
  }

  @Test
  void should_fire_threshold_quality_and_size_rules_on_the_standard_scenario() {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(5));
    Rules rules = Rules.parse("""
        rules:
          - name: harassment-ceiling
            type: threshold
            policies: [harassment]
            bound: lower
            above: 0.012
          - name: llm-quality
            type: quality
            sensitivity: 0.5
            kappa: 0.2
          - name: sizes
            type: sizes
            min_fraction: 0.9
        """, "rules.yaml");
    Monitor.Result gold = Monitor.evaluate(rules, runs, List.of(HistoryGenerator.GOLD_OUTAGE_DAY));
    assertThat(gold.alerts()).extracting(Monitor.Alert::rule).containsOnly("sizes");
    assertThat(gold.alerts()).filteredOn(a -> a.rule().equals("sizes")).hasSize(4)
        .allMatch(a -> a.message().startsWith("gold size "));
    Monitor.Result sample = Monitor.evaluate(rules, runs, List.of(HistoryGenerator.SAMPLE_OUTAGE_DAY));
    assertThat(sample.alerts()).extracting(Monitor.Alert::message)
        .contains("sample size 11000 is short of 90% of the 20000 planned (18000)");
    Monitor.Result after = Monitor.evaluate(rules, runs, List.of(HistoryGenerator.SHIFT_DAY + 5));
    assertThat(after.alerts()).extracting(Monitor.Alert::rule).containsExactly("harassment-ceiling");
    assertThat(after.alerts().get(0).message()).startsWith("lower bound of 1.");
    Monitor.Result before = Monitor.evaluate(rules, runs, List.of(10));
    assertThat(before.alerts()).isEmpty();
    assertThat(before.tests()).isEqualTo(1 + 4 * 2 + 4 * 2);
  }

  @Test
  void should_locate_every_problem_in_the_rules_file() {
    assertThatThrownBy(() -> Rules.parse("rules:\n  - name: a\n    type: treshold\n", "rules.yaml"))
        .isInstanceOf(InputException.class)
        .hasMessage("rules.yaml:3:11: rules[0].type: unknown rule type \"treshold\" (one of threshold, change, quality, sizes)");
    assertThatThrownBy(() -> Rules.parse("rules:\n  - type: change\n    alpha: 2\n", "rules.yaml"))
        .hasMessage("rules.yaml:3:12: rules[0].alpha: must be between 0.000000000001 and 0.5, got 2");
    assertThatThrownBy(() -> Rules.parse("rules:\n  - type: threshold\n    abve: 0.1\n", "rules.yaml"))
        .hasMessage("rules.yaml:3:5: rules[0].abve: not an option of a threshold rule (its options: name, type, policies, domains, bound, above, below)");
    assertThatThrownBy(() -> Rules.parse("rules:\n  - type: threshold\n  - type: threshold\n    above: 0.1\n", "rules.yaml"))
        .hasMessage("rules.yaml:2:5: rules[0]: a threshold rule needs above: or below: (a proportion, e.g. 0.01)");
    assertThatThrownBy(() -> Rules.parse("rules:\n  - {type: sizes, gold: 10}\n  - {type: sizes, gold: 5}\n", "rules.yaml"))
        .hasMessage("rules.yaml:3:5: rules[1].name: duplicate rule name \"sizes\"");
    assertThatThrownBy(() -> Rules.parse("", "rules.yaml"))
        .hasMessage("rules.yaml: empty rules file; it needs rules: with at least one rule");
  }

  /** One policy "p" with a headline estimate per period and the same provenance throughout. */
  static List<RunRecord> series(double[] estimates, double[] ses, double lastSe) {
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < estimates.length; i++) {
      double se = i < ses.length ? ses[i] : lastSe;
      EstimateRow row = new EstimateRow("ppi++", EstimateRow.ALL, "estimate", estimates[i], se,
          estimates[i] - 1.96 * se, estimates[i] + 1.96 * se, 0.95, "wald", true, "");
      PolicyResult p = new PolicyResult("p", "p@1", "ppi++", Signoff.NONE, DecisionQuality.UNKNOWN,
          new Sizes(1000, 0, 100, 0), List.of(row));
      runs.add(new RunRecord("main", Period.day(LocalDate.of(2026, 11, 1).plusDays(i)), Instant.EPOCH,
          new Provenance("sha256:x", "m", "", "", ""), List.of(p)));
    }
    return runs;
  }
}
