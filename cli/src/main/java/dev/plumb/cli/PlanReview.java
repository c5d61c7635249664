package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.queue.ActiveReviewPlan;
import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.ReviewPlan;
import dev.plumb.calibration.queue.ReviewPlanJson;
import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code plumb plan --review-budget N}: checks the options, calls {@link ReviewPlan#run} (or {@link ActiveReviewPlan#run}
 * for a {@code type: active} design), prints the plan.
 */
final class PlanReview {
  private PlanReview() {}

  static int run(PlanCommand c) {
    if (c.reviewBudget == null) {
      throw new InputException("--review-budget: missing; --sample, --labels, --gold-design and the pilot options plan a review budget");
    }
    if (c.sample == null || c.labels == null || c.goldDesign == null) {
      throw new InputException((c.sample == null ? "--sample" : c.labels == null ? "--labels" : "--gold-design")
          + ": missing; --review-budget plans over a labeled sample (--sample, --labels) and a review design (--gold-design)");
    }
    if (c.reviewBudget < 1) {
      throw new InputException("--review-budget: must be at least 1 review, found " + c.reviewBudget);
    }
    PilotOptions.Pilot pilot = c.pilot.files();
    GoldDesign d = GoldDesign.read(c.goldDesign);
    ReviewPlan.Request request = new ReviewPlan.Request(c.sample, c.labels, d, c.reviewBudget,
        pilot == null ? null : pilot.gold(), pilot == null ? null : pilot.labels(), c.confidence.level());
    // a confidence-driven review has no strata to allocate: its own plan (docs/review.md)
    boolean active = GoldDesign.ACTIVE.equals(d.type());
    ActiveReviewPlan.Result a = active ? ActiveReviewPlan.run(request) : null;
    ReviewPlan.Result r = active ? null : ReviewPlan.run(request);
    PrintWriter w = c.out();
    String found = pilot != null && pilot.found() != null ? pilot.found().describe(c.pilot.history) : null;
    if (c.json) {
      Format.jsonOrText(w, true, () -> active ? ReviewPlanJson.of(a, c.confidence.level(), found)
          : ReviewPlanJson.of(r, c.confidence.level(), found), x -> {});
      return ExitCode.OK;
    }
    if (found != null) {
      w.println(found);
    }
    if (active) {
      print(a, c, w);
    } else {
      print(r, c, w);
    }
    return ExitCode.OK;
  }

  private static void print(ActiveReviewPlan.Result r, PlanCommand c, PrintWriter w) {
    w.printf(Locale.ROOT, "Review plan: %,d expected reviews of %,d sampled units, confidence-driven (type: active),"
        + " floor %s (smallest workable budget %,d)%n", r.budget(), r.units(), Format.sig(r.floor()), r.minimumBudget());
    w.printf(Locale.ROOT, "violation rates from %s%n%n", r.rates());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"inclusion", "units", "n", "pi"});
    for (ActiveReviewPlan.Band b : r.bands()) {
      rows.add(new String[] {b.id(), Integer.toString(b.units()), Numbers.fixed(b.reviews(), 1),
          b.units() == 0 ? "-" : Format.sig(b.meanPi())});
    }
    TextTable.print(rows, w, col -> col == 0);
    w.println("(n: expected reviews; pi: the mean inclusion probability, as queue export draws them)");
    w.println();
    String level = Format.level(c.confidence.level());
    rows.clear();
    rows.add(new String[] {"policy", "expected", "half-width", "relative"});
    for (ActiveReviewPlan.Width x : r.widths()) {
      rows.add(new String[] {x.policy(), sigPercent(x.prevalence()), "±" + sigPercent(x.halfWidth()), "±" + sigPercent(x.relative())});
    }
    TextTable.print(rows, w, col -> col == 0);
    w.printf(Locale.ROOT, "(expected %s half-width z*SE of active AIPW: phase 1 and the phase-2 variance the scores"
        + " anticipate; not the raters' noise)%n%n", level);
    w.println("worst relative half-width by expected reviews:");
    r.byBudget().forEach((n, worst) -> w.printf(Locale.ROOT, "  %-12s ±%s%n", String.format(Locale.ROOT, "%,d", n),
        sigPercent(worst)));
  }

  private static void print(ReviewPlan.Result r, PlanCommand c, PrintWriter w) {
    ReviewPlan.Option o = r.chosen();
    w.printf(Locale.ROOT, "Review plan: %,d reviews of %,d sampled units, %s allocation (smallest workable budget %,d)%n",
        r.budget(), r.units(), o.rule().id(), r.minimumBudget());
    w.printf(Locale.ROOT, "violation rates from %s%n%n", r.rates());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"stratum", "units", "n", "pi"});
    for (ReviewPlan.Stratum s : o.strata()) {
      rows.add(new String[] {s.id(), Integer.toString(s.units()), Integer.toString(s.n()), Format.sig(s.pi())});
    }
    TextTable.print(rows, w, col -> col == 0);
    w.println();
    String level = Format.level(c.confidence.level());
    rows.clear();
    rows.add(new String[] {"policy", "expected", "half-width", "relative"});
    for (ReviewPlan.Width x : o.widths()) {
      rows.add(new String[] {x.policy(), sigPercent(x.prevalence()), "±" + sigPercent(x.halfWidth()), "±" + sigPercent(x.relative())});
    }
    TextTable.print(rows, w, col -> col == 0);
    w.printf(Locale.ROOT, "(expected %s half-width z*SE of the human-only estimate, phase 1 and 2)%n%n", level);
    for (ReviewPlan.Unseen u : o.unseen()) {
      // a variance cannot speak for violations the review will probably not see (docs/review.md)
      w.println("warning: " + u.message());
    }
    if (!o.unseen().isEmpty()) {
      w.println();
    }
    w.println("worst relative half-width by allocation (optimal minimises it; neyman the sum of squared relative SEs):");
    for (ReviewPlan.Option x : r.compared()) {
      w.printf(Locale.ROOT, "  %-12s ±%s%n", x.rule().id(), sigPercent(x.worst()));
    }
  }
}
