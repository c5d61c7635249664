package dev.plumb.cli;

import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.queue.SequentialReview;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.Verdict;
import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import dev.plumb.history.RunRecord;
import dev.plumb.pipeline.Calibrate;
import dev.plumb.pipeline.LibraryDecisions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb calibrate}: corrected prevalence, decision quality and sign-off from sample + labels + gold. */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Correct the LLM's prevalence with human gold: every corrected estimator with its",
      "interval and the recommended one, the LLM's decision quality, domain breakdowns,",
      "rater agreement and a PASS/WARN/FAIL sign-off per policy. Writes report.json,",
      "report.md and a self-contained report.html to --out (docs/report.md)."
    },
    footer = {
      "",
      "Examples:",
      "  plumb calibrate --sample out/sample.jsonl --labels out/labels.jsonl --gold out/gold.jsonl --out out/report",
      "  plumb calibrate ... --by surface --signoff signoff.yaml --strict",
      "  plumb calibrate ... --answers out/answers.jsonl --truth data/truth.json",
      "  plumb calibrate ... --gold out/gold.jsonl --expert out/expert.jsonl",
      "",
      "Exit codes: 0 written (whatever the verdict), 1 with --strict when a policy FAILs, 2 bad input."
    })
final class CalibrateCommand extends ActionCommand {
  @Mixin SampleFileOptions sample;

  @Option(names = "--gold", required = true, paramLabel = "FILE",
      description = "Human gold of the review subsample, with phase2 {stratum, pi} (gold.jsonl, from plumb queue import).")
  Path gold;

  @Option(names = "--expert", paramLabel = "FILE",
      description = "The expert tier's gold (plumb queue import of the queue plumb queue export --expert-from wrote):"
          + " each reviewed unit's gold becomes its expert answer or its cell's expert rate (docs/calibration.md).")
  Path expert;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for report.json, report.md and report.html.")
  Path out;

  @Mixin SignOffOption signoff;

  @Mixin BreakdownOption by;

  @Option(names = "--answers", paramLabel = "FILE",
      description = "Raters' individual answers (JSON Lines, docs/formats.md) for agreement (Fleiss κ, α, AC1) and rater accuracy.")
  Path answers;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "Known prevalence of a synthetic data set (truth.json): shown beside the estimates with coverage.")
  Path truth;

  @Option(names = "--policies", paramLabel = "DIR",
      description = "Policy library to check every label's and gold record's decision against (default: learn them from the labels).")
  Path policies;

  @Option(names = "--strict", description = "Exit 1 when any policy's sign-off is FAIL.")
  boolean strict;

  @Option(names = "--interval", paramLabel = "METHOD", defaultValue = "kg-gamma",
      description = "Interval method (default: ${DEFAULT-VALUE}): kg-gamma: korn-graubard, human-only's gamma interval "
          + "where a review stratum reviewed in part saw no violation (docs/calibration.md, \"The default interval\"); "
          + "korn-graubard, logit, wilson or wald; mover-wilson: human-only by MOVER over a Wilson interval per review "
          + "stratum, the others korn-graubard; gamma: human-only by Fay–Feuer's gamma interval (one more violation "
          + "at the weight an unseen one would carry), the others korn-graubard.")
  String interval;

  @Mixin ConfidenceOption confidence;

  @Option(names = "--prefer-ppi++", description = "Headline PPI++ instead of human-only when there are at least 50 gold positives.")
  boolean preferPpi;

  @Option(names = "--estimator", paramLabel = "NAME",
      description = "Headline this estimator whenever it is estimable: human-only, double-sampling, ppi, ppi++, "
          + "rogan-gladen, stratified-ppi or active-aipw (default: the pre-specified rule, docs/calibration.md).")
  String estimator;

  @Option(names = "--score-floor", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Floor human-only's phase-2 variance by what a Platt model of the gold on the risk scores"
          + " (scores.<policy> in the sample) anticipates, in each review class whose gold holds at least 5 positives"
          + " and 5 negatives, where every reviewed unit has a score and the review has classes: Korn–Graubard at 3%%"
          + " covered 0.945–0.975 instead of 0.895–0.95 (docs/calibration.md, \"A guard on the score floor\"). On by"
          + " default; --no-score-floor gives the numbers without it.")
  boolean scoreFloor;

  @Option(names = "--history", paramLabel = "FILE",
      description = "Also record the report as one period's run in this history database (plumb history; docs/history.md).")
  Path history;

  @Mixin PeriodOption.Measured period;

  @Option(names = "--round-queue", paramLabel = "DIR",
      description = "Sequential review: the queue of the round just imported (queue export --round K); intervals at"
          + " that round's alpha-spending level, and whether the design's target half-width is met (docs/review.md).")
  Path roundQueue;

  @Option(names = "--recalibrate-scores", paramLabel = "METHOD",
      description = "Fit the labels' scores to gold (isotonic or platt, design-weighted) and write score-map.<policy>.json"
          + " beside the report, for plumb score --from-labels --calibration (docs/calibration.md, \"Label scores\").")
  String recalibrateScores;

  @Override
  public Integer call() {
    dev.plumb.history.Period measured = period.parsed();
    if (measured != null && history == null) {
      throw new InputException("--period applies to --history, which is not given");
    }
    SequentialReview.Round round = roundQueue == null ? null : SequentialReview.Round.read(roundQueue, "--round-queue");
    double level = round == null ? confidence.level() : round.level(confidence.level());
    CalibrationOptions options = Format.option("--interval", () -> Calibrate.options(interval, level, preferPpi));
    options = options.withScoreFloor(scoreFloor);
    if (estimator != null) {
      options = options.withHeadline(Format.option("--estimator", () -> CorrectedEstimator.parse(estimator)));
    }
    Recalibration recalibration = recalibrateScores == null ? null : Recalibration.parse(recalibrateScores);
    if (recalibrateScores != null && recalibration == null) {
      throw new InputException("--recalibrate-scores: expected isotonic or platt, found \"" + recalibrateScores + "\"");
    }
    Calibrate.Result r = Calibrate.run(new Calibrate.Request(new CalibrationReport.Request(
        sample.sample, sample.manifest(), sample.labels, gold, answers, truth, by.attributes,
        options, signoff.rules(), signoff.file, VersionProvider.createdBy(), Instant.now(), LibraryDecisions.all(policies))
        .withExpert(expert).withScoreRecalibration(recalibration), out, history, RunRecord.MAIN, measured));
    print(r.report(), options.level());
    if (round != null) {
      out().println(round.status(Calibrate.relativeHalfWidths(r.report()), confidence.level()));
      out().flush();
    }
    if (r.recorded() != null) {
      out().printf(Locale.ROOT, "%s period %s in %s%n", r.recorded().replaced() ? "Replaced" : "Recorded",
          r.recorded().run().period(), history);
      out().flush();
    }
    return strict && r.report().verdict() == Verdict.FAIL ? ExitCode.CHECK_FAILED : ExitCode.OK;
  }

  private void print(CalibrationReport report, double shown) {
    PrintWriter o = out();
    String level = Format.level(shown);
    List<String[]> rows = new ArrayList<>();
    // with --truth, the truth and whether the interval holds it, as plumb run shows them
    boolean truth = report.policies().stream().anyMatch(p -> !Double.isNaN(p.truth()));
    List<String> head = new ArrayList<>(List.of("policy", "verdict", "prevalence", level + " interval", "estimator", "gold",
        "gold+", "llm-only"));
    if (truth) {
      head.addAll(List.of("truth", "covered"));
    }
    rows.add(head.toArray(String[]::new));
    for (CalibrationReport.PolicyReport p : report.policies()) {
      Corrected h = p.corrected().headline();
      String estimate = "-";
      String interval = "-";
      if (h instanceof Corrected.Estimated e) {
        estimate = Numbers.percent(e.estimate(), 3);
        interval = "[" + Numbers.percent(e.interval().lower(), 3) + ", " + Numbers.percent(e.interval().upper(), 3) + "]";
      } else if (h instanceof Corrected.UpperBound b) {
        estimate = "≤ " + Numbers.percent(b.bound().upper(), 3);
        interval = "[0, " + Numbers.percent(b.bound().upper(), 3) + "] one-sided";
      }
      String llm = p.corrected().get(dev.plumb.calibration.corrected.CorrectedEstimator.LLM_ONLY) instanceof Corrected.Estimated l
          ? Numbers.percent(l.estimate(), 3) : "-";
      List<String> row = new ArrayList<>(List.of(p.policy(), p.signOff().verdict().name(), estimate, interval,
          p.corrected().recommendation().estimator().label(), Integer.toString(p.goldUnits()),
          Integer.toString(p.goldPositives()), llm));
      if (truth) {
        row.add(Double.isNaN(p.truth()) ? "-" : Numbers.percent(p.truth(), 3));
        row.add(Double.isNaN(p.truth()) ? "-" : covered(h, p.truth()));
      }
      rows.add(row.toArray(String[]::new));
    }
    TextTable.print(rows, o, c -> c == 0 || c == 1 || c == 4 || c == 9); // policy, verdict, estimator, covered
    for (CalibrationReport.PolicyReport p : report.policies()) {
      for (String reason : p.signOff().reasons()) {
        o.println(p.policy() + ": " + reason);
      }
    }
    for (CalibrationReport.PolicyReport p : report.policies()) {
      if (p.labelScores() != null) {
        o.println(p.policy() + ": " + p.labelScores().summary());
      }
    }
    report.notes().forEach(n -> o.println("Note: " + n));
    o.println("Wrote " + out.resolve("report.html") + " (and report.json, report.md); overall " + report.verdict().name());
    o.flush();
  }

  /** "yes" when the headline's interval (or one-sided bound) holds {@code truth}, "NO" when not, "-" without one. */
  private static String covered(Corrected h, double truth) {
    if (h instanceof Corrected.Estimated e) {
      return truth >= e.interval().lower() && truth <= e.interval().upper() ? "yes" : "NO";
    }
    if (h instanceof Corrected.UpperBound b) {
      return truth <= b.bound().upper() ? "yes" : "NO";
    }
    return "-";
  }
}
