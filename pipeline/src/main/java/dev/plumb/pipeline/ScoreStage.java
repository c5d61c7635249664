package dev.plumb.pipeline;

import dev.plumb.labeler.local.FrameScorer;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.policy.Policy;
import java.nio.file.Path;
import java.util.Locale;

/** {@code score}: the offline classifier's risk score per policy for every unit ({@link FrameScorer}). */
final class ScoreStage extends RunStage {
  private final Path units;
  private final Path scored;

  ScoreStage(RunState state, Path units, Path scored) {
    super("score", state, scored);
    this.units = units;
    this.scored = scored;
  }

  @Override
  void describe(Key key) {
    key.file("units", units).config("batch", state.run.scoring().batch()).config("model", "local classifier");
    state.policies().forEach(p -> key.input("policy " + p.key(), p.sha256()));
    RunState.describeTraining(key, state.run.scoring().train());
  }

  @Override
  String run(Context context) {
    LocalClassifier c = state.classifier(state.run.scoring().train());
    for (Policy p : state.policies()) {
      context.detail("training or loading the " + p.key() + " model");
      c.prepare(p);
    }
    long total = RunState.lines(units);
    FrameScorer.Summary s = FrameScorer.score(units, scored, state.policies(), c, state.run.scoring().batch(),
        p -> context.detail(String.format(Locale.ROOT, "%,d/%,d units, %,.0f components/s", p.units(), total,
            p.components() / Math.max(1e-9, p.seconds()))));
    return String.format(Locale.ROOT, "%,d units scored; %,d texts embedded, %,d from the cache",
        s.units(), s.embeddings().embedded(), s.embeddings().fromCache());
  }
}
