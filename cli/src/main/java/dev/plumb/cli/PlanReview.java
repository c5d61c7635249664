package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.ReviewPlan;
import dev.plumb.core.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code plumb plan --review-budget N}: its options (a mixin of {@code plan}, in the order help lists
 * them), and the mode itself: checks the options, calls {@link ReviewPlan#run}, prints the plan.
 */
final class PlanReview {
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

  /** Any option of this mode given: {@code plan} plans a review budget rather than a sample. */
  boolean given() {
    return reviewBudget != null || sample != null || labels != null || goldDesign != null || pilot.given();
  }

  /** Plans the review at {@code plan}'s confidence and prints it to {@code w}; returns the exit code. */
  int run(ConfidenceOption confidence, PrintWriter w) {
    if (reviewBudget == null) {
      throw new InputException("--review-budget: missing; --sample, --labels, --gold-design and the pilot options plan a review budget");
    }
    if (sample == null || labels == null || goldDesign == null) {
      throw new InputException((sample == null ? "--sample" : labels == null ? "--labels" : "--gold-design")
          + ": missing; --review-budget plans over a labeled sample (--sample, --labels) and a review design (--gold-design)");
    }
    if (reviewBudget < 1) {
      throw new InputException("--review-budget: must be at least 1 review, found " + reviewBudget);
    }
    PilotOptions.Pilot files = pilot.files();
    GoldDesign d = GoldDesign.read(goldDesign);
    double level = confidence.level();
    ReviewPlan.Result r = ReviewPlan.run(new ReviewPlan.Request(sample, labels, d, reviewBudget,
        files == null ? null : files.gold(), files == null ? null : files.labels(), level));
    if (files != null && files.found() != null) {
      w.println(files.found().describe(pilot.history));
    }
    print(r, level, w);
    return ExitCode.OK;
  }

  private static void print(ReviewPlan.Result r, double level, PrintWriter w) {
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
    String confidence = Format.level(level);
    rows.clear();
    rows.add(new String[] {"policy", "expected", "half-width", "relative"});
    for (ReviewPlan.Width x : o.widths()) {
      rows.add(new String[] {x.policy(), sigPercent(x.prevalence()), "±" + sigPercent(x.halfWidth()), "±" + sigPercent(x.relative())});
    }
    TextTable.print(rows, w, col -> col == 0);
    w.printf(Locale.ROOT, "(expected %s half-width z*SE of the human-only estimate, phase 1 and 2)%n%n", confidence);
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
