package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Json;
import java.util.List;
import java.util.Objects;

/**
 * What {@code plumb estimate} found: one row per policy and domain, the units left unlabeled per
 * policy, and notes on how they were handled. {@link #toJson()} is the {@code --json} output
 * (format {@code plumb.estimate/1}, documented in docs/estimation.md).
 *
 * @param sample the sample file as named by the user
 * @param design the sample's design
 * @param units distinct units in the sample
 * @param rows sampled rows (draws for PPS with replacement)
 * @param strata strata in the design
 * @param labels the labels file as named
 * @param method the interval method
 * @param confidence the confidence level
 * @param replicates bootstrap replicates, 0 unless the method is the bootstrap
 * @param seed the bootstrap seed
 * @param estimates per policy, the whole sample first, then each {@code --by} domain
 * @param unlabeled per policy with unlabeled units
 * @param notes sentences a reader needs (how unlabeled units were handled, one-sided bounds)
 */
public record PrevalenceReport(
    String sample,
    DesignType design,
    int units,
    int rows,
    int strata,
    String labels,
    IntervalMethod method,
    double confidence,
    int replicates,
    long seed,
    List<Row> estimates,
    List<Unlabeled> unlabeled,
    List<String> notes) {

  public PrevalenceReport {
    estimates = List.copyOf(estimates);
    unlabeled = List.copyOf(unlabeled);
    notes = List.copyOf(notes);
  }

  /**
   * One prevalence estimate.
   *
   * @param policy the policy as written in the labels, e.g. {@code self_harm@3}
   * @param attribute the domain's attribute ({@code --by}), or null for the whole sample
   * @param value the attribute's value, or null for the whole sample ({@code (none)} for units
   *     without the attribute)
   * @param units sampled units in the domain
   * @param labeled of those, the units with an ok label for the policy
   * @param estimate the estimate over the labeled units of the domain, or null when there is none
   *     ({@code reason} says why)
   * @param interval the interval, or null with the estimate
   * @param reason why there is no estimate, or null
   */
  public record Row(
      String policy, String attribute, String value, int units, int labeled, Estimate estimate,
      Interval interval, String reason) {
    public Row {
      Objects.requireNonNull(policy, "policy");
      if ((estimate == null) != (interval == null) || (estimate == null) == (reason == null)) {
        throw new IllegalArgumentException("a row has an estimate and an interval, or a reason");
      }
    }

    /** {@code all}, or {@code attribute=value}. */
    public String domain() {
      return attribute == null ? "all" : attribute + "=" + value;
    }
  }

  /**
   * Sampled units without an ok label for a policy.
   *
   * @param policy the policy
   * @param units how many
   * @param failed of those, units whose labeling failed
   * @param invalid of those, units whose answer never matched the schema
   * @param examples up to five of their ids, in sample order
   */
  public record Unlabeled(String policy, int units, int failed, int invalid, List<String> examples) {
    public Unlabeled {
      examples = List.copyOf(examples);
    }

    /** Units that have no label row at all for the policy. */
    public int missing() {
      return units - failed - invalid;
    }
  }

  /** The machine-readable report ({@code plumb estimate --json}): an {@link EstimateJson}. */
  public ObjectNode toJson() {
    boolean bootstrap = method == IntervalMethod.BOOTSTRAP;
    return Json.tree(new EstimateJson(EstimateJson.FORMAT, new EstimateJson.Sample(sample, design.id(), units, rows, strata),
        labels, new EstimateJson.Interval(method.label(), confidence, bootstrap ? replicates : null, bootstrap ? seed : null),
        estimates.stream().map(EstimateJson::row).toList(),
        unlabeled.stream().map(u -> new EstimateJson.Unlabeled(u.policy(), u.units(), u.failed(), u.invalid(), u.missing(),
            u.examples())).toList(),
        notes));
  }
}
