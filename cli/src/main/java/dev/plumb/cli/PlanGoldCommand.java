package dev.plumb.cli;

import static dev.plumb.cli.Format.sigPercent;

import dev.plumb.calibration.estimate.GoldErrorPlan;
import dev.plumb.core.InputException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb plan gold}: the gold-error bias of a review and what keeps it under a target (docs/calibration.md). */
@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Plan against rater error: given the raters' sensitivity and specificity, the prevalence among",
      "the reviewed units and the review size, the expected bias of majority-vote gold, the error the",
      "rater-error model leaves with these honeypots and overlaps, and an expert tier's; and the",
      "smallest numbers of honeypots and expert reviews that keep it under --target (the |bias| of a",
      "biased gold, the standard deviation of an unbiased one).",
      ""
    },
    footer = {
      "",
      "  plumb plan gold --rater-sensitivity 0.95 --rater-specificity 0.95 --prevalence 0.005 --review 900 \\",
      "                  --overlap 3 --honeypots-violating 20 --honeypots-clean 40 --target 0.1 --expert-negatives 0.2",
      "",
      "Formulas: docs/calibration.md, section Planning against gold error."
    })
final class PlanGoldCommand extends ActionCommand {
  @Option(names = "--rater-sensitivity", required = true, paramLabel = "SE", description = "A rater's sensitivity, in (0, 1].")
  double sensitivity;

  @Option(names = "--rater-specificity", required = true, paramLabel = "SP", description = "A rater's specificity, in (0, 1].")
  double specificity;

  @Option(names = "--prevalence", required = true, paramLabel = "P",
      description = "The prevalence among the reviewed units, in (0, 1) (plan each review stratum on its own).")
  double prevalence;

  @Option(names = "--review", required = true, paramLabel = "N", description = "Reviewed units.")
  int review;

  @Option(names = "--overlap", paramLabel = "R", defaultValue = "3", description = "Raters per unit (default: ${DEFAULT-VALUE}).")
  int overlap;

  @Option(names = "--honeypots-violating", paramLabel = "H", defaultValue = "0", description = "Violating honeypots (default: 0).")
  int violating;

  @Option(names = "--honeypots-clean", paramLabel = "H", defaultValue = "0", description = "Clean honeypots (default: 0).")
  int clean;

  @Option(names = "--target", paramLabel = "T", defaultValue = "0.1",
      description = "The largest gold error wanted, a fraction of the prevalence (default: ${DEFAULT-VALUE}).")
  double target;

  @Mixin ExpertNegativesOption expertNegatives;

  @Override
  public Integer call() {
    GoldErrorPlan.Plan plan;
    try {
      plan = GoldErrorPlan.plan(new GoldErrorPlan.Request(sensitivity, specificity, overlap, prevalence, review, violating,
          clean, target, expertNegatives.share == null ? Double.NaN : expertNegatives.share));
    } catch (GoldErrorPlan.BadValue e) {
      String flag = e.field().equals("sensitivity") || e.field().equals("specificity") ? "rater-" + e.field() : e.field();
      throw new InputException("--" + flag + ": " + e.getMessage());
    }
    PrintWriter w = out();
    double p = prevalence;
    w.printf(Locale.ROOT, "Gold error: raters Se %s, Sp %s, %,d per unit; prevalence %s among %,d reviewed units;"
        + " target ±%s of the prevalence%n%n", Format.sig(sensitivity), Format.sig(specificity), overlap, sigPercent(p), review,
        sigPercent(target));
    w.printf(Locale.ROOT, "majority of %,d:  calls %s of clean units violating and misses %s of violations: bias %s (%s points)%n",
        overlap, sigPercent(plan.majorityFalsePositive()), sigPercent(1 - plan.majoritySensitivity()), signedPct(plan.majorityBias() / p),
        signedPct(plan.majorityBias()).replace("%", ""));
    if (Double.isNaN(plan.errorModel()) || Double.isInfinite(plan.errorModel())) {
      w.printf(Locale.ROOT, "error model:    the rates cannot be estimated (%s); add overlap or honeypots of both classes%n",
          overlap < 2 ? "one rater per unit" : "no unit of one class");
    } else {
      w.printf(Locale.ROOT, "error model:    with %,d violating + %,d clean honeypots and %s: error ±%s (1 SD)%n",
          violating, clean, overlap >= 2 ? overlap + " raters on every unit" : "no overlap", sigPercent(plan.errorModel() / p));
      w.printf(Locale.ROOT, "                for ±%s: %,d clean honeypots%s%n", sigPercent(target), plan.cleanHoneypots(),
          plan.violatingHoneypots() > violating ? " and " + plan.violatingHoneypots() + " violating" : " (with "
              + violating + " violating)");
    }
    w.printf(Locale.ROOT, "expert tier:    every consensus-positive (about %,.0f units); on those alone: bias %s%n",
        plan.consensusPositives(), signedPct(plan.positivesOnlyBias() / p));
    if (expertNegatives.share != null) {
      w.printf(Locale.ROOT, "                + %,d of about %,.0f consensus-negatives (%s): bias 0, error ±%s (1 SD)%n",
          plan.expertReviews(), plan.consensusNegatives(), Format.sig(expertNegatives.share), sigPercent(plan.expertError() / p));
    }
    if (plan.expertReviewsNeeded() == 0) {
      w.printf(Locale.ROOT, "                for ±%s: the consensus-positives alone (about %,d expert reviews)%n", sigPercent(target),
          Math.round(plan.consensusPositives()));
    } else {
      w.printf(Locale.ROOT, "                for ±%s: %,d of the consensus-negatives (%,d expert reviews in all)%n", sigPercent(target),
          plan.expertReviewsNeeded(), Math.round(plan.consensusPositives()) + plan.expertReviewsNeeded());
    }
    w.println("(bias: of a biased gold; error: one standard deviation of an unbiased one; docs/calibration.md)");
    w.flush();
    return ExitCode.OK;
  }

  private static String signedPct(double v) {
    return (v >= 0 ? "+" : "") + sigPercent(v);
  }
}
