package dev.plumb.labeler.batch;

import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the pre-pass over the units file found: its hash, the units, and the labels done and to do
 * (synchronous and batch labeling read the units file this way before anything is sent).
 */
record Prepass(String sha256, long units, long resumed, long todo) {

  /**
   * Reads the units file once in full before anything is sent (a bad unit or a duplicate id stops
   * the run with no output), putting every (unit, policy) pair into {@code runPairs}. Shared by
   * synchronous and batch mode.
   */
  static Prepass read(Path file, List<String> policies, LabelStore store, LongLongMap runPairs) {
    LongLongMap ids = new LongLongMap();
    long units = 0;
    long resumed = 0;
    long todo = 0;
    try (Jsonl jsonl = Jsonl.open(file)) {
      for (Jsonl.Line line : jsonl) {
        Unit unit = Units.parse(line.node(), file.toString(), line.number());
        checkUnique(ids, unit, file, line.number());
        units++;
        for (String p : policies) {
          runPairs.put(LongLongMap.key(unit.id(), p), 1);
          if (store.done(unit.id(), p)) {
            resumed++;
          } else {
            todo++;
          }
        }
      }
    }
    return new Prepass(Hashing.sha256(file), units, resumed, todo);
  }

  /** The notice a resumed run prints first ({@code resuming: R of N labels are already in OUT}); empty when none was done. */
  Optional<String> resumeNotice(Path out) {
    return resumed == 0 ? Optional.empty()
        : Optional.of("resuming: " + resumed + " of " + (resumed + todo) + " labels are already in " + out);
  }

  /** The input as run.json records it: the units file's hash, its units, the labels asked for and those resumed. */
  RunFileWriter.Input runFileInput() {
    return new RunFileWriter.Input(sha256, units, resumed + todo, resumed);
  }

  /** Records {@code unit}'s id at {@code line}; a second unit with the same id is a bad-input error naming both lines. */
  static void checkUnique(LongLongMap ids, Unit unit, Path file, int line) {
    long key = LongLongMap.key(unit.id());
    long first = ids.get(key, -1);
    if (first >= 0) {
      throw new InputException(
          Problem.at(file.toString(), line, "id", "duplicate unit id \"" + unit.id() + "\" (first on line " + first + ")"));
    }
    ids.put(key, line);
  }
}
