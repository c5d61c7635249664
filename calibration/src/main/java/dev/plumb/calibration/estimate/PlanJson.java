package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.core.Json;

/**
 * The objects of {@code plumb.plan/1} (docs/formats.md, docs/estimation.md "Planning"), one record
 * each: keys are the components in snake_case, in component order; a null component is JSON
 * {@code null}. {@link SamplePlan.Result#toJson()} puts them together (which of them a plan has
 * depends on the request).
 */
public final class PlanJson {
  private PlanJson() {}

  /** {@code target}: the requested half-width and the absolute one it means. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Target(double halfWidth, boolean relative, double absoluteHalfWidth) {}

  /**
   * {@code frame}: the planning frame.
   *
   * @param shiftedTo the prevalence the scores were shifted to, null when they were not
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Frame(String path, int units, String policy, double impliedPrevalence, Double shiftedTo) {
    static Frame of(String path, PlanningFrame f) {
      return new Frame(path, f.units(), f.policy(), f.impliedPrevalence(), Double.isNaN(f.shiftedTo()) ? null : f.shiftedTo());
    }
  }

  /** {@code plan}, {@code at_design_n} and {@code srs}: one sample size and what it is expected to give. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Plan(String design, int n, double expectedPositives, double se, double halfWidth, double deff,
      ExpectedInterval expectedInterval, boolean reached) {
    static Plan of(Planner.Plan x) {
      return new Plan(x.design(), x.n(), x.expectedPositives(), x.se(), x.halfWidth(), x.deff(),
          new ExpectedInterval("korn-graubard", x.expectedInterval().lower(), x.expectedInterval().upper()), x.reached());
    }
  }

  /** A plan's {@code expected_interval}: the interval at the expected prevalence, and its method. */
  public record ExpectedInterval(String method, double lower, double upper) {}

  /**
   * {@code human_labels}: the two-phase plan.
   *
   * @param llmUnits phase 1's units as requested, null for "as many as needed"
   * @param phase1Effective null when phase 1 is unbounded
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record HumanLabels(Double sensitivity, Double specificity, Long llmUnits, Double phase1Effective,
      double llmPositiveShare, double ppv, double falseOmissionRate, DoubleSampling doubleSampling, HumanOnly humanOnly) {
    static HumanLabels of(SamplePlan.Request c, Planner.TwoPhasePlan t) {
      return new HumanLabels(c.sensitivity(), c.specificity(), c.llmUnits(), Json.finite(t.phase1()), t.llmPositiveShare(),
          t.ppv(), t.falseOmission(), new DoubleSampling(t.n2(), t.n2Positive(), t.n2Negative(), t.expectedGoldPositives(),
              t.se(), t.halfWidth(), t.reached()), new HumanOnly(t.humanOnly(), t.humanOnlyReached()));
    }
  }

  /** {@code double_sampling}: the human labels of the LLM-positive and LLM-negative groups. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DoubleSampling(long n, long llmPositive, long llmNegative, double expectedGoldPositives, double se,
      double halfWidth, boolean reached) {}

  /** {@code human_only}: the human labels an estimate without the LLM would need. */
  public record HumanOnly(long n, boolean reached) {}
}
