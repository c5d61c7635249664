package dev.plumb.cli;

import dev.plumb.calibration.estimate.SamplePlan;
import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb plan}: sample sizes (and human labels) for a target interval half-width (docs/estimation.md, "Planning"). */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = PlanGoldCommand.class,
    description = {
      "Plan a sample: the smallest sample size whose expected interval half-width meets a target,",
      "for simple random sampling at an expected prevalence, or for a design over a frame whose risk",
      "scores are read as probabilities of violating (the frame gives the design effect).",
      "With the LLM's sensitivity and specificity, also how many human labels the corrected",
      "estimate needs (two-phase: LLM on the sample, humans on a subsample). docs/estimation.md.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  plumb plan --prevalence 0.002 --half-width 0.001",
      "  plumb plan --prevalence 0.01 --half-width 0.2 --relative --population 5000000",
      "  plumb plan --frame units.jsonl --design design.yaml --half-width 0.25 --relative",
      "  plumb plan --prevalence 0.01 --half-width 0.002 --sensitivity 0.85 --specificity 0.98 --llm-units 20000",
      "  plumb plan --review-budget 900 --sample sample.jsonl --labels labels.jsonl --gold-design review.yaml",
      "  plumb plan gold --rater-sensitivity 0.95 --rater-specificity 0.95 --prevalence 0.005 --review 900",
      "",
      "The expected interval is Korn-Graubard (Clopper-Pearson on the effective sample size) at the",
      "expected prevalence; the half-width is z times the expected standard error."
    })
final class PlanCommand extends ActionCommand {
  @Option(names = "--prevalence", paramLabel = "P",
      description = "Expected prevalence, in (0, 1). With --frame, the frame's scores are shifted to it (their ranking"
          + " kept); without it they are read as probabilities as they are.")
  Double prevalence;

  @Option(names = "--half-width", paramLabel = "H",
      description = "Target half-width of the interval: absolute (0.001 = ±0.1 points), or with --relative a fraction of the prevalence.")
  Double halfWidth;

  @Option(names = "--relative", description = "Read --half-width as a fraction of the prevalence (0.2 = ±20%%).")
  boolean relative;

  @Option(names = "--population", paramLabel = "N",
      description = "Population size for the finite-population correction (SRS without a frame; default: infinite).")
  Long population;

  @Mixin ConfidenceOption confidence;

  @Option(names = "--frame", paramLabel = "FILE", description = "The frame (units.jsonl, .gz accepted), with risk scores.")
  Path frame;

  @Option(names = "--design", paramLabel = "FILE", description = "The design file (design.yaml) to plan over the frame.")
  Path design;

  @Option(names = "--policy", paramLabel = "ID",
      description = "Whose score to read as the probability of violating (default: the design's policy).")
  String policy;

  @Option(names = "--sensitivity", paramLabel = "SE", description = "The LLM's sensitivity against human gold, in (0, 1].")
  Double sensitivity;

  @Option(names = "--specificity", paramLabel = "SP", description = "The LLM's specificity against human gold, in (0, 1].")
  Double specificity;

  @Option(names = "--llm-units", paramLabel = "N1",
      description = "Units the LLM labels (phase 1) for the human-label plan (default: as many as needed).")
  Long llmUnits;

  @Option(names = "--json", description = "Print the machine-readable plan (format plumb.plan/1; with --review-budget,"
      + " its review object).")
  boolean json;

  @Option(names = "--review-budget", paramLabel = "N",
      description = "Plan a review of N human labels over a labeled sample: its allocation among review strata and"
          + " weight classes, and the expected half-width per policy; for a type: active design its inclusion"
          + " probabilities and active AIPW's expected half-width (needs --sample, --labels, --gold-design;"
          + " docs/review.md, \"Allocating a review budget\", \"Planning a confidence-driven review\").")
  Integer reviewBudget;

  @Option(names = "--sample", paramLabel = "FILE", description = "With --review-budget: sample.jsonl (sample.json beside it).")
  Path sample;

  @Option(names = "--labels", paramLabel = "FILE", description = "With --review-budget: labels.jsonl.")
  Path labels;

  @Option(names = "--gold-design", paramLabel = "FILE",
      description = "With --review-budget: review.yaml (strata, weight classes, allocation rule).")
  Path goldDesign;

  @Mixin PilotOptions pilot;

  @Option(names = "--rater-sensitivity", paramLabel = "SE",
      description = "With --review-budget: every rater's sensitivity under consensus: error-model, for the raters' part"
          + " of the half-widths (default: the pilot's rater model, its gold.raters.json, when it has one).")
  Double raterSensitivity;

  @Option(names = "--rater-specificity", paramLabel = "SP",
      description = "With --review-budget: every rater's specificity (with --rater-sensitivity).")
  Double raterSpecificity;

  @Override
  public Integer call() {
    if (reviewBudget != null || sample != null || labels != null || goldDesign != null || pilot.given()
        || raterSensitivity != null || raterSpecificity != null) {
      return PlanReview.run(this);
    }
    check();
    SamplePlan.Result r = SamplePlan.run(new SamplePlan.Request(prevalence, halfWidth, relative, population, confidence.level(),
        frame, design, policy, sensitivity, specificity, llmUnits));
    Format.jsonOrText(out(), json, r::toJson, out -> PlanText.print(r, this, out));
    return ExitCode.OK;
  }

  private void check() {
    if (halfWidth == null) {
      throw usage("Missing required option: '--half-width=H'");
    }
    confidence.level(); // checked here, in the order the options are read
    if (!(halfWidth > 0) || (!relative && halfWidth >= 1)) {
      throw new InputException("--half-width: must be " + (relative ? "> 0" : "in (0, 1)") + ", found " + Numbers.plain(halfWidth)
          + (!relative && halfWidth >= 1 ? " (for a half-width relative to the prevalence add --relative)" : ""));
    }
    if ((frame == null) != (design == null)) {
      throw new InputException(frame == null ? "--design: needs --frame (the units to plan the design over)"
          : "--frame: needs --design (the design to plan over it)");
    }
    if (frame == null) {
      if (prevalence == null) {
        throw new InputException("--prevalence: missing; the expected prevalence (or plan over a frame with --frame and --design)");
      }
      if (!(prevalence > 0 && prevalence < 1)) {
        throw new InputException("--prevalence: must be between 0 and 1 (exclusive), found " + Numbers.plain(prevalence));
      }
      if (policy != null) {
        throw new InputException("--policy: only applies with --frame (whose scores to read)");
      }
    } else {
      if (prevalence != null && !(prevalence > 0 && prevalence < 1)) {
        throw new InputException("--prevalence: must be between 0 and 1 (exclusive), found " + Numbers.plain(prevalence));
      }
      if (population != null) {
        throw new InputException("--population: not used with --frame: the frame is the population");
      }
    }
    if (population != null && population < 2) {
      throw new InputException("--population: must be >= 2, found " + population);
    }
    if ((sensitivity == null) != (specificity == null)) {
      throw new InputException(sensitivity == null ? "--specificity: needs --sensitivity too (the LLM's quality)"
          : "--sensitivity: needs --specificity too (the LLM's quality)");
    }
    if (sensitivity != null) {
      if (!(sensitivity > 0 && sensitivity <= 1)) {
        throw new InputException("--sensitivity: must be in (0, 1], found " + Numbers.plain(sensitivity));
      }
      if (!(specificity > 0 && specificity <= 1)) {
        throw new InputException("--specificity: must be in (0, 1], found " + Numbers.plain(specificity));
      }
      if (!(sensitivity + specificity > 1)) {
        throw new InputException("--sensitivity: sensitivity + specificity must exceed 1 (an LLM no better than chance"
            + " cannot stratify the review), found " + Numbers.plain(sensitivity + specificity));
      }
    }
    if (llmUnits != null) {
      if (sensitivity == null) {
        throw new InputException("--llm-units: only applies to the human-label plan (add --sensitivity and --specificity)");
      }
      if (llmUnits < 2) {
        throw new InputException("--llm-units: must be >= 2, found " + llmUnits);
      }
    }
  }
}
