package dev.plumb.pipeline;

import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.List;

/** {@code gold}: checks the raters' answers and builds consensus gold with phase-2 weights ({@link QueueImport}). */
final class GoldStage extends RunStage {
  /** The level of the raters' honeypot accuracy intervals, as {@code plumb queue import}'s. */
  static final double LEVEL = 0.95;

  private final List<Path> answers;
  private final Path queue;
  private final Path gold;

  GoldStage(RunState state, List<Path> answers, Path queue, Path gold) {
    this("gold", state, answers, queue, gold);
  }

  /** Named {@code gold-rK} in round K of a sequential review: that round's answers only. */
  GoldStage(String name, RunState state, List<Path> answers, Path queue, Path gold) {
    // every file import writes: a resumed run redoes the import when any is missing (look-rK reads the
    // round's raters and answers files)
    super(name, state, QueueImport.files(gold).toArray(Path[]::new));
    this.answers = List.copyOf(answers);
    this.queue = queue;
    this.gold = gold;
  }

  @Override
  void describe(Key key) {
    RunFile.Review r = state.run.review();
    key.file("queue", queue).config("consensus", r.consensus());
    key.fileIfGiven("adjudicated", r.adjudicated());
    for (int i = 0; i < answers.size(); i++) {
      key.file("answers " + i, answers.get(i));
    }
  }

  @Override
  String run(Context context) {
    RunFile.Review r = state.run.review();
    ConsensusMethod method;
    try {
      method = ConsensusMethod.parse(r.consensus());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(state.run.source() + ": review.consensus: " + e.getMessage()));
    }
    QueueImport.Result x = QueueImport.run(new QueueImport.Request(answers, queue, gold, method, r.adjudicated(), LEVEL,
        false));
    return StageLines.queueImport(x, method);
  }


  /** The raters' individual answers {@code queue import} writes beside the gold file. */
  static Path answersJsonl(Path gold) {
    String name = gold.getFileName().toString();
    return gold.resolveSibling((name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + ".answers.jsonl");
  }
}
