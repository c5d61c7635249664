package dev.plumb.pipeline;

import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.queue.RoundGold;
import dev.plumb.calibration.queue.SequentialReview;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.core.AtomicOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code look-rK}: round K's look of a sequential review ({@link ReviewRounds}). Merges the gold of
 * rounds 1 … K ({@link RoundGold#merge}, as {@code queue merge-rounds}; round 1's gold as it is) with
 * every round's rater answers beside it, calibrates it at round K's level 1 − α_K ({@link
 * SequentialReview.Round#level}, as {@code calibrate --round-queue}) and records whether every
 * policy's headline relative half-width is within the design's target.
 */
final class LookStage extends RunStage {
  private final ReviewRounds rounds;
  private final int k;
  private final Path sample;
  private final Path labels;

  LookStage(RunState state, ReviewRounds rounds, int k, Path sample, Path labels) {
    super("look-r" + k, state, outputs(rounds, k));
    this.rounds = rounds;
    this.k = k;
    this.sample = sample;
    this.labels = labels;
  }

  /**
   * The merged gold with every file an import writes beside it (error-model gold writes all four;
   * other gold has no raters or adjudication file, recorded as missing, so that a stale one from an
   * error-model run is deleted and a deleted one redoes the look), and the look.
   */
  private static Path[] outputs(ReviewRounds rounds, int k) {
    List<Path> all = new ArrayList<>(QueueImport.files(rounds.merged(k)));
    all.add(rounds.look(k));
    return all.toArray(Path[]::new);
  }

  @Override
  String notNeeded() {
    return rounds.notNeeded(k);
  }

  @Override
  void describe(Key key) {
    RunFile run = state.run;
    key.file("sample", sample).file("sample manifest", Sampler.manifestPath(sample)).labels("labels", labels)
        .file("queue", rounds.queue(k)).config("interval", run.report().interval())
        .config("score_floor", run.report().scoreFloor()).file("library", run.policies().dir());
    for (int j = 1; j <= k; j++) {
      key.file("gold " + j, rounds.gold(j)).file("answers " + j, GoldStage.answersJsonl(rounds.gold(j)));
    }
    if (run.signoff() != null) {
      key.input("signoff", run.signoff().fingerprint());
    }
  }

  @Override
  String run(Context context) {
    context.detail("merging rounds 1-" + k + " and calibrating");
    Path merged = rounds.merged(k);
    List<Path> golds = rounds.golds(k);
    // majority gold of one round is that round's as it is; error-model gold is always one import of
    // rounds 1 … k (it writes the merged raters file the report reads the raters' Se/Sp from)
    RoundGold.Result result = k == 1 && !RoundGold.isErrorModel(golds) ? null : RoundGold.rounds(golds, merged);
    if (result == null) {
      AtomicOutput.write(merged, read(golds.get(0)));
    }
    if (result == null || !result.errorModel()) {
      // no raters file beside it: one left by an error-model run would give the report its raters' model
      for (Path stale : QueueImport.files(merged)) {
        if (!stale.equals(merged) && !stale.equals(GoldStage.answersJsonl(merged))) {
          Inputs.delete(stale);
        }
      }
      // every round's answers beside the merged gold: the report's rater agreement is over all rounds
      // (error-model gold is one import of every round's answers, which wrote its own answers file)
      StringBuilder answers = new StringBuilder();
      for (Path g : golds) {
        Path a = GoldStage.answersJsonl(g);
        if (Files.isRegularFile(a)) {
          String text = read(a);
          answers.append(text).append(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
        }
      }
      AtomicOutput.write(GoldStage.answersJsonl(merged), answers.toString());
    }
    SequentialReview.Round round = SequentialReview.Round.read(rounds.queue(k), "review");
    double level = round.level(ReportStage.LEVEL);
    CalibrationReport report = CalibrationReport.build(ReportStage.request(state, sample, labels, merged, level));
    Map<String, Double> relative = Calibrate.relativeHalfWidths(report);
    double worst = relative.isEmpty() ? Double.POSITIVE_INFINITY : Collections.max(relative.values());
    String status = round.status(relative, ReportStage.LEVEL);
    ReviewRounds.Look look = new ReviewRounds.Look(k, round.of(), level, worst <= round.target(), status,
        round.reviewed(), round.planned());
    look.write(rounds.look(k));
    // the status without its "plumb queue export --round" hint: the run draws the next round itself
    int hint = status.indexOf(" (plumb queue export");
    return hint < 0 ? status : status.substring(0, hint);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
