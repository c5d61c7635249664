package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.estimate.Planner;
import dev.plumb.calibration.estimate.SamplePlan;
import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Numbers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code plumb plan} without {@code --json}: a sample plan ({@link SamplePlan}) as text. */
final class PlanText {
  private PlanText() {}

  /**
   * The plan for people: the target, the plan beside the design's own n and SRS, the human labels,
   * warnings; {@code c} gives the options as typed (the target and the files' names).
   */
  static void print(SamplePlan.Result r, PlanCommand c, PrintWriter w) {
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
