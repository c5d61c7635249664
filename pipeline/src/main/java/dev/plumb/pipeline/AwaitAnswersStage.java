package dev.plumb.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code answers} from a vendor: pauses the run until the answer files are there. */
final class AwaitAnswersStage extends Stage {
  private final Path queue;
  private final List<Path> answers;
  private final String round;

  AwaitAnswersStage(Path queue, List<Path> answers) {
    this("answers", queue, answers, "");
  }

  /**
   * @param round what the pause message says first, e.g. "round 2 of 4: " (empty for a review in one go)
   */
  AwaitAnswersStage(String name, Path queue, List<Path> answers, String round) {
    super(name);
    this.queue = queue;
    this.answers = List.copyOf(answers);
    this.round = round;
  }

  @Override
  void describe(Key key) {
    key.file("queue", queue);
    answers.forEach(a -> key.file(a.toString(), a));
  }

  @Override
  String run(Context context) {
    List<Path> missing = answers.stream().filter(a -> !Files.isRegularFile(a)).toList();
    if (!missing.isEmpty()) {
      throw new Stage.Paused(round + "the review queue is ready in " + queue + "; send it to the reviewers and put"
          + " their answers at " + String.join(", ", missing.stream().map(Path::toString).toList())
          + ", then run the same command again to import them and " + (round.isEmpty() ? "write the report"
          : "go on from there"));
    }
    return answers.size() + " answers file" + (answers.size() == 1 ? "" : "s") + " from the vendor";
  }
}
