package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.estimate.Planner;
import dev.plumb.calibration.estimate.SamplePlan;
import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  @Option(names = "--json", description = "Print the machine-readable plan (format plumb.plan/1).")
  boolean json;

  @Option(names = "--review-budget", paramLabel = "N",
      description = "Plan a review of N human labels over a labeled sample: its allocation among review strata and"
          + " weight classes, and the expected half-width per policy (needs --sample, --labels, --gold-design;"
          + " docs/review.md, \"Allocating a review budget\").")
  Integer reviewBudget;

  @Option(names = "--sample", paramLabel = "FILE", description = "With --review-budget: sample.jsonl (sample.json beside it).")
  Path sample;

  @Option(names = "--labels", paramLabel = "FILE", description = "With --review-budget: labels.jsonl.")
  Path labels;

  @Option(names = "--gold-design", paramLabel = "FILE",
      description = "With --review-budget: review.yaml (strata, weight classes, allocation rule).")
  Path goldDesign;

  @Mixin PilotOptions pilot;

  @Override
  public Integer call() {
    if (reviewBudget != null || sample != null || labels != null || goldDesign != null || pilot.given()) {
      return PlanReview.run(this);
    }
    check();
    SamplePlan.Result r = SamplePlan.run(new SamplePlan.Request(prevalence, halfWidth, relative, population, confidence.level(),
        frame, design, policy, sensitivity, specificity, llmUnits));
    Format.jsonOrText(out(), json, r::toJson, out -> print(r, out));
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

  /** The plan for people: the target, the plan beside the design's own n and SRS, the human labels, warnings. */
  private void print(SamplePlan.Result r, PrintWriter w) {
    PlanCommand c = this;
    Planner.Plan plan = r.plan();
    Planner.Plan atDesign = r.atDesign();
    Planner.Plan srs = r.srs();
    PlanningFrame frame = r.frame();
    SamplingDesign design = r.design();
    Planner.TwoPhasePlan twoPhase = r.twoPhase();
    List<String> warnings = r.warnings();
    String level = Format.level(c.confidence.level());
    double p = plan.prevalence();
    if (frame == null) {
      w.printf(Locale.ROOT, "Plan: simple random sample, expected prevalence %s, %s%n", sigPercent(p),
          c.population == null ? "population unknown (no finite-population correction)"
              : "population " + Numbers.count(c.population));
    } else {
      w.printf(Locale.ROOT, "Plan: %s design %s over %s (%,d units)%n", design.type(), c.design, c.frame, frame.units());
      design.sizeMeasure().ifPresent(m -> w.printf(Locale.ROOT, "size %s%s%n", m.text(), m.usesScores()
          ? " (floor " + Format.sig(m.floor()) + "; " + Numbers.count(frame.floored()) + " units raised to it)" : ""));
      if (!frame.strataIds().isEmpty()) {
        w.printf(Locale.ROOT, "%,d strata, %s allocation%n", frame.strataIds().size(),
            ((SamplingDesign.Stratified) design).allocation().id());
      }
      if (Double.isNaN(frame.shiftedTo())) {
        w.printf(Locale.ROOT, "%s scores read as probabilities: expected prevalence %s%n", frame.policy(), sigPercent(p));
      } else {
        w.printf(Locale.ROOT, "%s scores shifted to the expected prevalence %s (they imply %s as they are)%n",
            frame.policy(), sigPercent(p), sigPercent(frame.impliedPrevalence()));
      }
    }
    w.printf(Locale.ROOT, "Target: half-width %s%s, %s confidence%n%n",
        c.relative ? "±" + Format.sig(c.halfWidth * 100) + "% of the prevalence" : "±" + sigPercent(c.halfWidth),
        c.relative ? " (±" + sigPercent(c.halfWidth * p) + ")" : "", level);
    List<String[]> rows = new ArrayList<>();
    List<Planner.Plan> cols = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of(""));
    cols.add(plan);
    head.add("planned");
    if (atDesign != null) {
      cols.add(atDesign);
      head.add(c.design.getFileName() + " (n = " + Numbers.count(design.n()) + ")");
    }
    if (srs != null) {
      cols.add(srs);
      head.add("srs on this frame");
    }
    rows.add(head.toArray(new String[0]));
    rows.add(row(cols, "sample size n" + (design instanceof SamplingDesign.Ppswr ? " (draws)" : ""),
        x -> Numbers.count(x.n())));
    rows.add(row(cols, "expected positives", x -> Numbers.fixed(x.expectedPositives(), 1)));
    rows.add(row(cols, "expected SE", x -> sigPercent(x.se())));
    rows.add(row(cols, "expected half-width", x -> "±" + sigPercent(x.halfWidth()) + (x.reached() ? "" : " (misses)")));
    rows.add(row(cols, "design effect", x -> Numbers.fixed(x.deff(), 2)));
    rows.add(row(cols, "expected " + level + " interval", x -> interval(x.expectedInterval())));
    TextTable.print(rows, w, col -> col < 2 || col == 7); // as the estimate table
    w.println("(expected interval: Korn-Graubard at the expected prevalence and effective sample size n/deff)");
    if (twoPhase != null) {
      Planner.TwoPhasePlan t = twoPhase;
      w.println();
      w.printf(Locale.ROOT, "Human labels, LLM sensitivity %s and specificity %s; phase 1: %s%n",
          Format.sig(c.sensitivity), Format.sig(c.specificity),
          Double.isInfinite(t.phase1()) ? "as many LLM-labeled units as needed"
              : Numbers.count(c.llmUnits) + " LLM-labeled units" + (frame == null ? "" : String.format(Locale.ROOT,
                  " (effective %,.0f)", t.phase1())));
      w.printf(Locale.ROOT, "  the LLM calls %s of units positive; %s of those violate, %s of the rest%n",
          sigPercent(t.llmPositiveShare()), sigPercent(t.ppv()), sigPercent(t.falseOmission()));
      w.printf(Locale.ROOT, "  double sampling (review stratified by the LLM's decision): %,d human labels%s%n", t.n2(),
          t.reached() ? "" : " (misses the target)");
      w.printf(Locale.ROOT, "    %,d of LLM positives, %,d of LLM negatives; %.1f gold positives expected; half-width ±%s%n",
          t.n2Positive(), t.n2Negative(), t.expectedGoldPositives(), sigPercent(t.halfWidth()));
      w.printf(Locale.ROOT, "  human-only (SRS review, plumb calibrate's default headline): %,d human labels%s%n",
          t.humanOnly(), t.humanOnlyReached() ? "" : " (misses the target)");
    }
    if (!warnings.isEmpty()) {
      w.println();
      warnings.forEach(x -> w.println("warning: " + x));
    }
  }

  private static String[] row(List<Planner.Plan> cols, String name, java.util.function.Function<Planner.Plan, String> f) {
    String[] r = new String[cols.size() + 1];
    r[0] = name;
    for (int i = 0; i < cols.size(); i++) {
      r[i + 1] = f.apply(cols.get(i));
    }
    return r;
  }

  private static String interval(Interval i) {
    return "[" + sigPercent(i.lower()) + ", " + sigPercent(i.upper()) + "]";
  }
}
