package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expert tier as a third phase ({@link ExpertPhase}) against a worked example computed with numpy. */
class ExpertPhaseTest {
  // id, exposure, pi1, review stratum, vendor call, expert answer (-1: not in the expert subsample);
  // the same table as reference/expert_phase.py
  private static final Object[][] REVIEWED = {
      {"u01", 12, 0.9, "llm_positive", 1, 1}, {"u02", 3, 0.5, "llm_positive", 1, 1},
      {"u03", 7, 0.8, "llm_positive", 1, 0}, {"u04", 1, 0.2, "llm_positive", 1, 1},
      {"u05", 25, 1.0, "llm_positive", 1, 1},
      {"u06", 4, 0.4, "llm_positive", 0, 1}, {"u07", 9, 0.7, "llm_positive", 0, 0},
      {"u08", 2, 0.3, "llm_positive", 0, -1}, {"u09", 5, 0.6, "llm_positive", 0, -1},
      {"u10", 1, 0.1, "llm_positive", 0, -1},
      {"u11", 6, 0.5, "llm_negative", 1, 0}, {"u12", 2, 0.25, "llm_negative", 1, 1},
      {"u13", 1, 0.05, "llm_negative", 0, 0}, {"u14", 3, 0.1, "llm_negative", 0, 0},
      {"u15", 8, 0.4, "llm_negative", 0, 1}, {"u16", 1, 0.08, "llm_negative", 0, -1},
      {"u17", 2, 0.12, "llm_negative", 0, -1}, {"u18", 4, 0.2, "llm_negative", 0, -1},
      {"u19", 1, 0.06, "llm_negative", 0, -1}, {"u20", 15, 0.9, "llm_negative", 0, -1},
      {"u21", 2, 0.15, "llm_negative", 0, -1}, {"u22", 1, 0.07, "llm_negative", 0, -1},
  };

  private record Example(TwoPhaseSample vendor, TwoPhaseSample expert, List<GoldUnit> expertGold) {}

  /** 30 sampled units: the 22 reviewed, 2 more LLM-positive and 6 more LLM-negative (π2 = 10/12 and 12/18). */
  private static Example example(int replicates) {
    List<SampledUnit> units = new ArrayList<>();
    List<Double> llm = new ArrayList<>();
    List<GoldUnit> gold = new ArrayList<>();
    Map<String, String> cellOf = new HashMap<>();
    Map<String, Double> expert = new HashMap<>();
    Map<String, Double> weight = new HashMap<>();
    for (Object[] r : REVIEWED) {
      String id = (String) r[0];
      String stratum = (String) r[3];
      boolean call = (int) r[4] == 1;
      units.add(SampledUnit.of(id, (int) r[1], new Inclusion.WithoutReplacement("all", (double) r[2])));
      llm.add(stratum.equals("llm_positive") ? 1.0 : 0.0);
      gold.add(new GoldUnit(id, call, stratum, stratum.equals("llm_positive") ? 10 / 12.0 : 12 / 18.0));
      cellOf.put(id, ExpertPhase.cell(stratum, call));
      weight.put(id, (int) r[1] / (double) r[2]);
      if ((int) r[5] >= 0) {
        expert.put(id, (double) (int) r[5]);
      }
    }
    for (int k = 0; k < 8; k++) {
      units.add(SampledUnit.of("x" + k, 1 + k, new Inclusion.WithoutReplacement("all", 0.3)));
      llm.add(k < 2 ? 1.0 : 0.0);
    }
    DesignSample phase1 = DesignSample.of(DesignType.PRIORITY, units, List.of(new Stratum("all", 100, 0, 30)));
    double[] calls = llm.stream().mapToDouble(Double::doubleValue).toArray();
    List<GoldUnit> withExperts = ExpertPhase.apply(gold, cellOf, expert, weight::get, 7, replicates);
    return new Example(TwoPhaseSample.of(phase1, calls, gold), TwoPhaseSample.of(phase1, calls, withExperts), withExperts);
  }

  /**
   * {@code python3 calibration/src/test/resources/reference/expert_phase.py} printed
   * human-only estimate = 0.406075303096516, vendor-call human-only = 0.233321632148170 and
   * V_gold = 3.463582e-02 (the expectation over the replicates; 2 000 000 draws per cell).
   */
  @Test
  void should_match_the_numpy_worked_example() {
    Example e = example(40_000);
    Corrected vendor = Calibration.estimateOnly(e.vendor(), CorrectedEstimator.HUMAN_ONLY, CalibrationOptions.defaults());
    Corrected.Estimated expert = (Corrected.Estimated) Calibration.estimateOnly(e.expert(), CorrectedEstimator.HUMAN_ONLY,
        CalibrationOptions.defaults());
    assertThat(((Corrected.Estimated) vendor).estimate()).isCloseTo(0.233321632148170, within(1e-12));
    assertThat(expert.estimate()).isCloseTo(0.406075303096516, within(1e-12));
    // 40 000 replicates: V_gold's own Monte Carlo error is about 1%
    assertThat(expert.details().get("variance_gold_model")).isCloseTo(3.463582e-02, within(0.04 * 3.463582e-02));
  }

  @Test
  void should_give_each_unit_its_expert_answer_or_its_cells_rate() {
    Map<String, GoldUnit> out = new HashMap<>();
    example(ExpertPhase.REPLICATES).expertGold().forEach(g -> out.put(g.unit(), g));
    assertThat(out.get("u03").probability()).isZero(); // the expert overrules a vendor positive
    assertThat(out.get("u03").positive()).isFalse();
    assertThat(out.get("u06").probability()).isEqualTo(1); // and finds a vendor miss
    // the cells' rates weighted by m/π1: 10/(10 + 12.857…) and 20/(20 + 30 + 20)
    assertThat(out.get("u08").probability()).isCloseTo(0.4375, within(1e-15));
    assertThat(out.get("u20").probability()).isCloseTo(2 / 7.0, within(1e-15));
    assertThat(out.get("u20").positive()).isFalse(); // the call stays the vendor's
    // a cell seen whole has no replicate variance
    assertThat(out.get("u01").replicates()).containsOnly(1.0);
    assertThat(out.get("u08").replicates()).hasSize(ExpertPhase.REPLICATES).contains(0.0, 1.0);
  }

  @Test
  void should_refuse_a_cell_reviewed_in_part_with_one_expert_answer() {
    List<GoldUnit> gold = List.of(new GoldUnit("a", false, "all", 1), new GoldUnit("b", false, "all", 1),
        new GoldUnit("c", false, "all", 1));
    Map<String, String> cells = Map.of("a", "all/consensus_negative", "b", "all/consensus_negative",
        "c", "all/consensus_negative");
    assertThatThrownBy(() -> ExpertPhase.apply(gold, cells, Map.of("a", 0.0), u -> 1, 1))
        .hasMessage("cell all/consensus_negative has 3 reviewed units and 1 expert answer; a cell reviewed in part"
            + " needs at least 2");
    assertThatThrownBy(() -> ExpertPhase.apply(gold, cells, Map.of("a", 0.0, "b", 0.0, "z", 1.0), u -> 1, 1))
        .hasMessage("unit z has an expert answer but no gold");
  }
}
