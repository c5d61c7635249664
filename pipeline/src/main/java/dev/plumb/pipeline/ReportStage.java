package dev.plumb.pipeline;

import dev.plumb.calibration.queue.SequentialReview;
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
import java.util.List;

/**
 * {@code report}: corrected prevalence, sign-off and the report files, recorded in the history when
 * configured ({@link Calibrate}). After a sequential review, from the gold of the rounds up to the one
 * it stopped at, at that round's α-spending level, with the round's summary as a note.
 */
final class ReportStage extends RunStage {
  /** The report's confidence level (a sequential review's looks spend 1 − this). */
  static final double LEVEL = 0.95;

  private final Path sample;
  private final Path labels;
  private final Path gold;
  private final ReviewRounds rounds;

  ReportStage(RunState state, Path sample, Path labels, Path gold) {
    this(state, sample, labels, gold, null);
  }

  /** After the sequential review {@code rounds}: the gold is the stopping round's merged gold. */
  ReportStage(RunState state, Path sample, Path labels, ReviewRounds rounds) {
    this(state, sample, labels, null, rounds);
  }

  private ReportStage(RunState state, Path sample, Path labels, Path gold, ReviewRounds rounds) {
    super("report", state, state.out.resolve(ReportFiles.JSON), state.out.resolve(ReportFiles.MARKDOWN),
        state.out.resolve(ReportFiles.HTML));
    this.sample = sample;
    this.labels = labels;
    this.gold = gold;
    this.rounds = rounds;
  }

  /** The gold calibrated: asked when the stage runs, after the review's last look. */
  private Path gold() {
    return rounds == null ? gold : rounds.merged(rounds.stop());
  }

  @Override
  void describe(Key key) {
    RunFile run = state.run;
    Path g = gold();
    key.file("sample", sample).file("sample manifest", Sampler.manifestPath(sample)).labels("labels", labels)
        .file("gold", g).file("answers", GoldStage.answersJsonl(g)).config("by", run.report().by())
        .config("interval", run.report().interval()).config("score_floor", run.report().scoreFloor())
        .file("library", run.policies().dir());
    if (rounds != null) { // the level and the note come from the stopping round's queue and look
      int stop = rounds.stop();
      key.config("round", stop).file("round queue", rounds.queue(stop)).file("look", rounds.look(stop));
    }
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
    double level = LEVEL;
    List<String> notes = List.of();
    if (rounds != null) {
      int stop = rounds.stop();
      level = SequentialReview.Round.read(rounds.queue(stop), "review").level(LEVEL);
      notes = List.of(ReviewRounds.Look.read(rounds.look(stop)).summary());
    }
    Path html = Calibrate.run(new Calibrate.Request(request(state, sample, labels, gold(), level), state.out,
        rp.history(), RunRecord.MAIN, period), notes).html();
    return "report -> " + RunState.rel(html) + (rp.history() != null ? ", recorded in " + RunState.rel(rp.history()) : "");
  }

  /** What {@code plumb calibrate --policies} is asked for this run's files, at confidence {@code level}. */
  static CalibrationReport.Request request(RunState state, Path sample, Path labels, Path gold, double level) {
    RunFile run = state.run;
    RunFile.Report rp = run.report();
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
    return new CalibrationReport.Request(sample, Sampler.manifestPath(sample), labels, gold,
        Files.isRegularFile(answers) ? answers : null, truth, rp.by(),
        Calibrate.options(rp.interval(), level, false).withScoreFloor(rp.scoreFloor()),
        rules, signoff, state.createdBy, Instant.now(), LibraryDecisions.all(run.policies().dir()))
        .withScoreRecalibration(rp.recalibrateScores());
  }
}
