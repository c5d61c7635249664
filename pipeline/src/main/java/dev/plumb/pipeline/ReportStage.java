package dev.plumb.pipeline;

import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.calibration.report.SignOffRules;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code report}: corrected prevalence, sign-off and the report files, recorded in the history when configured ({@link Calibrate}). */
final class ReportStage extends RunStage {
  private final Path sample;
  private final Path labels;
  private final Path gold;

  ReportStage(RunState state, Path sample, Path labels, Path gold) {
    super("report", state, state.out.resolve(ReportFiles.JSON), state.out.resolve(ReportFiles.MARKDOWN),
        state.out.resolve(ReportFiles.HTML));
    this.sample = sample;
    this.labels = labels;
    this.gold = gold;
  }

  @Override
  void describe(Key key) {
    RunFile run = state.run;
    key.file("sample", sample).file("sample manifest", Sampler.manifestPath(sample)).labels("labels", labels)
        .file("gold", gold).file("answers", GoldStage.answersJsonl(gold)).config("by", run.report().by())
        .config("interval", run.report().interval()).file("library", run.policies().dir());
    if (run.report().history() != null) {
      key.config("history", run.report().history().toString());
      key.config("period", String.valueOf(run.report().period()));
    }
    if (run.signoff() != null) {
      key.input("signoff", run.signoff().fingerprint());
    }
    key.fileIfGiven("truth", state.truth.truth());
    if (run.report().recalibrateScores() != null) { // only then: a run without it keeps its fingerprint
      key.config("recalibrate_scores", run.report().recalibrateScores().id());
    }
  }

  @Override
  String run(Context context) {
    context.detail("calibrating and writing the report");
    RunFile run = state.run;
    RunFile.Report rp = run.report();
    Period period = null;
    if (rp.period() != null) {
      try {
        period = Period.parse(rp.period());
      } catch (IllegalArgumentException e) {
        throw new InputException(Problem.of(run.source() + ": report.period: " + e.getMessage()));
      }
    }
    SignOffRules rules = SignOffRules.defaults();
    Path signoff = null;
    if (run.signoff() != null) {
      signoff = run.signoff().materialize(state.config, "signoff");
      try {
        rules = SignOffRules.read(signoff);
      } catch (InputException e) {
        throw run.signoff().relocate(e, signoff);
      }
    }
    Path answers = GoldStage.answersJsonl(gold);
    Path truth = state.truth.truth() != null && Files.isRegularFile(state.truth.truth()) ? state.truth.truth() : null;
    // the policy library gives every decision (a decision no label happens to use is still known)
    CalibrationReport.Request request = new CalibrationReport.Request(sample, Sampler.manifestPath(sample), labels, gold,
        Files.isRegularFile(answers) ? answers : null, truth, rp.by(), Calibrate.options(rp.interval(), 0.95, false),
        rules, signoff, state.createdBy, Instant.now(), LibraryDecisions.all(run.policies().dir()))
        .withScoreRecalibration(rp.recalibrateScores());
    Path html = Calibrate.run(new Calibrate.Request(request, state.out, rp.history(), RunRecord.MAIN, period)).html();
    return "report -> " + RunState.rel(html) + (rp.history() != null ? ", recorded in " + RunState.rel(rp.history()) : "");
  }
}
