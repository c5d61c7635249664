package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.labeler.local.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --train FILE --map KEY=POLICY}: labeled texts the local classifier learns from besides the policies' examples. */
final class TrainingOptions {
  @Option(names = "--train", paramLabel = "FILE",
      description = "Labeled texts to train on besides the policies' examples: JSON Lines with \"prompt\" (or \"text\") and 0/1 keys.")
  Path train;

  @Option(names = "--map", paramLabel = "KEY=POLICY[:CATEGORY]",
      description = "Use the --train file's KEY as labels for POLICY (repeatable), e.g. SH=self_harm. An absent key is unknown, not 0.")
  List<String> map = new ArrayList<>();

  boolean given() {
    return train != null || !map.isEmpty();
  }

  /** The training data for these policies, checked; {@link TrainingData#none()} without --train. */
  TrainingData read(List<String> policyIds) {
    if (train == null && !map.isEmpty()) {
      throw new InputException("--map needs a labeled file: --train FILE");
    }
    TrainingData data = train == null ? TrainingData.none() : TrainingData.read(train, map);
    data.requirePolicies(policyIds);
    return data;
  }
}
