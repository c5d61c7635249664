package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/** The history series a command records into or reads ({@code plumb history record/show}, {@code monitor}). */
final class SeriesOption {
  @Option(names = "--series", paramLabel = "NAME", defaultValue = RunRecord.MAIN, description = "Series (default: ${DEFAULT-VALUE}).")
  String name;

  /** The series' runs in {@code history}, oldest period first; a series with none is bad input naming the file. */
  List<RunRecord> runs(Path history) {
    List<RunRecord> runs;
    try (HistoryStore store = HistoryStore.read(history)) {
      runs = store.runs(name);
    }
    if (runs.isEmpty()) {
      throw new InputException(history + ": no runs in series \"" + name + "\"");
    }
    return runs;
  }

  /** Where {@code period}'s run stands in {@code runs}, the last one's for a null period; bad input when the series has none. */
  int indexOf(List<RunRecord> runs, Period period, Path history) {
    if (period == null) {
      return runs.size() - 1;
    }
    return IntStream.range(0, runs.size()).filter(k -> runs.get(k).period().equals(period)).findFirst()
        .orElseThrow(() -> new InputException(history + ": no run of " + period + " in series \"" + name + "\""));
  }
}
