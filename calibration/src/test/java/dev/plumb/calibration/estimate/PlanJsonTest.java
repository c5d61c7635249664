package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import org.junit.jupiter.api.Test;

class PlanJsonTest {
  /** Sensitivity and specificity 1: phase 1 is unbounded (its effective size null) and n is capped. */
  private static final SamplePlan.Request UNREACHABLE =
      new SamplePlan.Request(0.5, 0.00001, false, null, 0.99, null, null, null, 1.0, 1.0, null);

  @Test
  void should_write_plumb_plan_1_byte_for_byte_as_before_its_objects_were_records() {
    // captured from `plumb plan --json --prevalence 0.5 --half-width 0.00001 --confidence 0.99
    // --sensitivity 1 --specificity 1` before the writer built records (doubles as Java writes them)
    assertThat(Json.pretty(SamplePlan.run(UNREACHABLE).toJson())).isEqualTo("""
        {
          "format" : "plumb.plan/1",
          "confidence" : 0.99,
          "target" : {
            "half_width" : 1.0E-5,
            "relative" : false,
            "absolute_half_width" : 1.0E-5
          },
          "prevalence" : 0.5,
          "population" : null,
          "plan" : {
            "design" : "srs",
            "n" : 2147483647,
            "expected_positives" : 1.0737418235E9,
            "se" : 1.078959322130102E-5,
            "half_width" : 2.7792150392799747E-5,
            "deff" : 1.0,
            "expected_interval" : {
              "method" : "korn-graubard",
              "lower" : 0.49997220761716266,
              "upper" : 0.5000277923828373
            },
            "reached" : false
          },
          "human_labels" : {
            "sensitivity" : 1.0,
            "specificity" : 1.0,
            "llm_units" : null,
            "phase1_effective" : null,
            "llm_positive_share" : 0.5,
            "ppv" : 1.0,
            "false_omission_rate" : 0.0,
            "double_sampling" : {
              "n" : 4,
              "llm_positive" : 2,
              "llm_negative" : 2,
              "expected_gold_positives" : 2.0,
              "se" : 0.0,
              "half_width" : 0.0,
              "reached" : true
            },
            "human_only" : {
              "n" : 16587241503,
              "reached" : true
            }
          },
          "warnings" : [ "the target half-width is not reached at n = 2147483647", "human labels: only 2.0 gold positives expected; plan for at least 10 (docs/estimation.md, \\"Planning human labels\\")", "human labels: fewer than 30 reviews in an LLM group: the group's gold rate, and the interval, rest on very few units" ]
        }
        """);
  }

  @Test
  void should_read_its_objects_back_into_the_records_that_wrote_them() throws Exception {
    SamplePlan.Result r = SamplePlan.run(UNREACHABLE);
    ObjectNode o = r.toJson();
    JsonNode read = Json.mapper().readTree(Json.pretty(o));
    assertThat(Json.mapper().treeToValue(read.get("plan"), PlanJson.Plan.class)).isEqualTo(PlanJson.Plan.of(r.plan()));
    assertThat(Json.mapper().treeToValue(read.get("human_labels"), PlanJson.HumanLabels.class))
        .isEqualTo(PlanJson.HumanLabels.of(UNREACHABLE, r.twoPhase()));
  }
}
