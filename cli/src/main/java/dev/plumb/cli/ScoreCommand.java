package dev.plumb.cli;

import dev.plumb.calibration.scores.FrameScores;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import dev.plumb.labeler.unit.Units;
import dev.plumb.labeler.local.FrameScorer;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.local.TrainingData;
import dev.plumb.labeler.policy.Policy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb score}: attach the local classifier's risk score per policy to every unit of a frame. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Attach a risk score per policy to every unit (scores.<policy> in [0,1]) with the offline",
      "local classifier, keeping every other field of each unit as it was. Models train on the",
      "policies' examples (and --train data) once and are reused from the plumb cache directory",
      "(-Dplumb.cache.dir, default .plumb-cache) until the policy or the data change.",
      "Scores drive ML-assisted sampling designs; see docs/local-backend.md.",
      "With --from-labels, the scores are the labels' own (the model's probability of the violating",
      "answer, docs/calibration.md \"Label scores\"), through --calibration maps when given; no model runs."
    },
    footer = {
      "",
      "Examples:",
      "  plumb score --frame units.jsonl --out scored.jsonl",
      "  plumb score --frame units.jsonl --out scored.jsonl --policy self_harm --policy harassment",
      "  plumb score --frame units.jsonl --out scored.jsonl --policy self_harm \\",
      "      --train ../shared/data/moderation/samples-dev.jsonl --map SH=self_harm",
      "  plumb score --frame out/sample.jsonl --out out/sample.scored.jsonl --from-labels out/labels.jsonl \\",
      "      --calibration out/report/score-map.self_harm@2.json"
    })
final class ScoreCommand extends ActionCommand {
  @Mixin FrameOption frame;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the scored units go (written atomically).")
  Path out;

  @Mixin PolicyOptions policies;

  @Mixin TrainingOptions training;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
      description = "Units per batch; their texts are embedded together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--from-labels", paramLabel = "FILE",
      description = "Take each unit's score from its label in this file (labels' \"score\") instead of the local classifier.")
  Path fromLabels;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "With --from-labels: a map from plumb calibrate --recalibrate-scores (score-map.<policy>.json) to"
          + " turn that policy's label scores into probabilities (repeatable, one per policy).")
  List<Path> calibration = new ArrayList<>();

  @Override
  public Integer call() {
    if (fromLabels != null) {
      return fromLabels();
    }
    if (!calibration.isEmpty()) {
      throw new InputException("--calibration applies to --from-labels, which is not given");
    }
    PrintWriter err = err();
    if (batch < 1) {
      throw new InputException("--batch must be at least 1: " + batch);
    }
    if (!Files.isRegularFile(frame.file)) {
      throw new InputException(frame.file + ": file not found");
    }
    // every problem of the frame now, not the first one after minutes of training
    List<Problem> problems = Units.check(frame.file);
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    List<Policy> selected = policies.selected();
    TrainingData data = training.read(selected.stream().map(Policy::id).toList());
    try (LocalClassifier classifier = LocalClassifier.builder().training(data).build()) {
      for (Policy p : selected) {
        LocalClassifier.ModelInfo m = classifier.prepare(p);
        err.printf(Locale.ROOT, "score: %s: %s model (%,d positive, %,d negative texts; λ %.0e; %s; CV ROC-AUC %s) in %.1f s%n",
            m.policy(), m.reused() ? "reused" : "trained", m.positives(), m.negatives(), m.lambda(),
            m.grams() > 0 ? String.format(Locale.ROOT, "embeddings + %,d word grams", m.grams()) : "embeddings only",
            Double.isNaN(m.cvRocAuc()) ? "n/a" : String.format(Locale.ROOT, "%.3f", m.cvRocAuc()), m.seconds());
      }
      long[] lastReport = {System.nanoTime()};
      FrameScorer.Summary s =
          FrameScorer.score(frame.file, out, selected, classifier, batch, progress -> {
            if (System.nanoTime() - lastReport[0] >= 2_000_000_000L) {
              lastReport[0] = System.nanoTime();
              err.printf(Locale.ROOT, "score: %,d units, %,d components, %,.0f components/s%n",
                  progress.units(), progress.components(), progress.components() / Math.max(1e-9, progress.seconds()));
              err.flush();
            }
          });
      PrintWriter o = out();
      o.printf(Locale.ROOT, "scored %,d units (%,d components) for %s -> %s%n",
          s.units(), s.components(), String.join(", ", selected.stream().map(Policy::key).toList()), out);
      o.printf(Locale.ROOT, "texts read: %,d (%,d embedded, %,d from the cache) in %.1f s, %,.0f components/s%n",
          s.embeddings().textsRequested(), s.embeddings().embedded(), s.embeddings().fromCache(), s.seconds(),
          s.components() / Math.max(1e-9, s.seconds()));
    }
    return ExitCode.OK;
  }

  private int fromLabels() {
    if (training.given()) {
      throw new InputException("--train and --map apply to the local classifier, not to --from-labels");
    }
    List<String> ids = policies.policyRefs().stream().map(PolicyKey::idOf).toList();
    FrameScores.Result r = FrameScores.run(new FrameScores.Request(frame.file, fromLabels, calibration, ids, out));
    PrintWriter o = out();
    for (FrameScores.Merged m : r.policies()) {
      o.printf(Locale.ROOT, "scores.%s: %s's label scores, %s%s%n", m.id(), m.policy(),
          m.method() == null ? "as given (ranking scores, not calibrated probabilities)" : "recalibrated (" + m.method().id() + ")",
          m.labelsOutsideFrame() > 0 ? String.format(Locale.ROOT, "; %,d scored labels are of units not in the frame",
              m.labelsOutsideFrame()) : "");
    }
    o.printf(Locale.ROOT, "scored %,d units from %s -> %s%n", r.units(), fromLabels, out);
    if (r.manifest() != null) {
      o.println("sample manifest copied to " + r.manifest());
    }
    o.flush();
    return ExitCode.OK;
  }
}
