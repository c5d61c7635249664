package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.queue.ActiveReviewPlan;
import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.ReviewPlan;
import dev.plumb.calibration.queue.ReviewPanel;
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
    ReviewPanel panel = panel(c, d, pilot);
    ReviewPlan.Request request = new ReviewPlan.Request(c.sample, c.labels, d, c.reviewBudget,
        pilot == null ? null : pilot.gold(), pilot == null ? null : pilot.labels(), c.confidence.level(), panel);
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

  /** Stated rates, else the pilot's rater model when its gold has one, else none (docs/review.md). */
  private static ReviewPanel panel(PlanCommand c, GoldDesign d, PilotOptions.Pilot pilot) {
    if ((c.raterSensitivity == null) != (c.raterSpecificity == null)) {
      throw new InputException((c.raterSensitivity == null ? "--rater-sensitivity" : "--rater-specificity")
          + ": missing; stated rater rates need both --rater-sensitivity and --rater-specificity");
    }
    if (c.raterSensitivity != null) {
      for (double x : new double[] {c.raterSensitivity, c.raterSpecificity}) {
        if (!(x > 0 && x < 1)) {
          throw new InputException((x == c.raterSensitivity ? "--rater-sensitivity" : "--rater-specificity")
              + ": must be in (0, 1), found " + Numbers.plain(x));
        }
      }
      if (c.raterSensitivity + c.raterSpecificity <= 1) {
        throw new InputException("--rater-specificity: sensitivity + specificity must be above 1 (raters better than "
            + "chance), found " + Numbers.plain(c.raterSensitivity + c.raterSpecificity));
      }
      return ReviewPanel.stated(c.raterSensitivity, c.raterSpecificity, d.overlap());
    }
    if (pilot == null) {
      return null;
    }
    return ReviewPanel.ofPilot(pilot.gold(), d.overlap(), c.reviewBudget).orElse(null);
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
    rows.add(widthHeader(r.panel()));
    for (ActiveReviewPlan.Width x : r.widths()) {
      rows.add(widthRow(r.panel(), x.policy(), x.prevalence(), x.halfWidth(), x.relative(), x.designHalfWidth(),
          x.ratersHalfWidth()));
    }
    TextTable.print(rows, w, col -> col == 0);
    w.printf(Locale.ROOT, "(expected %s half-width z*SE of active AIPW: phase 1 and the phase-2 variance the scores"
        + " anticipate%s)%n", level, r.panel() == null ? "" : ", and the raters' part");
    ratersNote(r.panel(), w);
    w.println("worst relative half-width by expected reviews:");
    r.byBudget().forEach((n, worst) -> w.printf(Locale.ROOT, "  %-12s ±%s%n", String.format(Locale.ROOT, "%,d", n),
        sigPercent(worst)));
  }

  private static String[] widthHeader(String panel) {
    return panel == null ? new String[] {"policy", "expected", "half-width", "relative"}
        : new String[] {"policy", "expected", "half-width", "relative", "design", "raters"};
  }

  private static String[] widthRow(String panel, String policy, double prevalence, double half, double relative,
      double design, double raters) {
    String[] row = {policy, sigPercent(prevalence), "±" + sigPercent(half), "±" + sigPercent(relative)};
    if (panel == null) {
      return row;
    }
    return new String[] {row[0], row[1], row[2], row[3], "±" + sigPercent(design), "±" + sigPercent(raters)};
  }

  /** Which raters the raters' part assumes, or that it is left out (docs/review.md, "The raters' part"). */
  private static void ratersNote(String panel, PrintWriter w) {
    if (panel == null) {
      w.println("not included: the raters' part (their answers' noise and their error rates' uncertainty under"
          + " consensus: error-model); a pilot whose gold has its gold.raters.json, or --rater-sensitivity and"
          + " --rater-specificity, adds it");
    } else {
      w.println("design: phase 1 and 2 alone (more reviews buy it down); raters: the answers' noise and the error"
          + " rates' uncertainty alone (better raters or more per item buy it down); half-width = sqrt(design^2 +"
          + " raters^2)");
      w.println("raters: " + panel);
    }
    w.println();
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
    rows.add(widthHeader(r.panel()));
    for (ReviewPlan.Width x : o.widths()) {
      rows.add(widthRow(r.panel(), x.policy(), x.prevalence(), x.halfWidth(), x.relative(), x.designHalfWidth(),
          x.ratersHalfWidth()));
    }
    TextTable.print(rows, w, col -> col == 0);
    w.printf(Locale.ROOT, "(expected %s half-width z*SE of the human-only estimate, phase 1 and 2%s)%n", level,
        r.panel() == null ? "" : ", and the raters' part");
    ratersNote(r.panel(), w);
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
