package dev.plumb.pipeline;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An earlier period's review as the pilot of a review allocation (docs/review.md, "Allocating a
 * review budget"): the last run recorded in a series of the history, and that run's
 * {@code gold.jsonl} and {@code labels.jsonl} in its run folder — found as {@link Backfill} finds a
 * period's files: {@code runs} with {@code {period}} replaced, or, without a template, the folder of
 * the run's recorded report.json (where {@code plumb run} writes its report, beside its gold and labels).
 * {@code plan --review-budget} and {@code queue export} take it with {@code --pilot-history}; a run's
 * review with {@code pilot: previous}.
 */
public final class HistoryPilot {
  /** The files a run folder holds that a pilot reads. */
  static final String GOLD = "gold.jsonl";
  static final String LABELS = "labels.jsonl";

  private HistoryPilot() {}

  /**
   * The pilot found.
   *
   * @param series the series it was read from
   * @param period the period whose review it is
   * @param folder that period's run folder
   * @param gold its gold.jsonl
   * @param labels its labels.jsonl (the LLM's calls on the pilot's units)
   */
  public record Found(String series, Period period, Path folder, Path gold, Path labels) {

    /** E.g. {@code pilot: 2026-11-24 of series main (history.duckdb): out/2026-11-24/gold.jsonl, labels out/2026-11-24/labels.jsonl}. */
    public String describe(Path history) {
      return "pilot: " + period + " of series " + series + " (" + history + "): " + gold + ", labels " + labels;
    }
  }

  /**
   * The last recorded period of {@code series} as the pilot.
   *
   * @param runs each period's run folder with {@code {period}} in place of the period, or null: the
   *     folder of the period's recorded report.json
   * @param field what a problem is blamed on, e.g. {@code --pilot-history}
   * @throws InputException when the history, the series, the run folder or its gold or labels are
   *     missing (one line naming the path)
   */
  public static Found last(Path history, String series, String runs, String field) {
    List<RunRecord> all;
    List<String> names;
    try (HistoryStore store = HistoryStore.read(history)) {
      names = store.series();
      all = store.runs(series);
    }
    if (all.isEmpty()) {
      throw new InputException(Problem.of(field + ": " + history + " has no run recorded in series \"" + series + "\""
          + (names.isEmpty() ? " (it has no run at all)" : " (its series: " + String.join(", ", names) + ")")));
    }
    return files(history, all.get(all.size() - 1), runs, field);
  }

  /**
   * The last run of {@code series} recorded for a period before {@code period}, or empty when there
   * is none (a first run; also when the history does not exist yet).
   *
   * @param own this run's folder: a previous run recorded from it had its labels replaced by this
   *     run's, which is bad input
   */
  public static Optional<Found> before(Path history, String series, Period period, Path own, String field) {
    if (!Files.isRegularFile(history)) {
      return Optional.empty();
    }
    List<RunRecord> all;
    try (HistoryStore store = HistoryStore.read(history)) {
      all = store.runs(series);
    }
    RunRecord previous = null;
    for (RunRecord r : all) { // oldest period first
      if (r.period().start().isBefore(period.start())) {
        previous = r;
      }
    }
    if (previous == null) {
      return Optional.empty();
    }
    Found found = folder(history, previous, null, field);
    if (own != null && found.folder().toAbsolutePath().normalize().equals(own.toAbsolutePath().normalize())) {
      throw new InputException(Problem.of(field + ": the previous run (" + previous.period() + " in " + history
          + ") was written to this run's output folder " + own + ", whose labels are now this run's; give each period"
          + " its own output folder"));
    }
    return Optional.of(checked(found, history, previous, field));
  }

  /** The run folder of {@code run} and its pilot files, each checked to exist. */
  private static Found files(Path history, RunRecord run, String runs, String field) {
    return checked(folder(history, run, runs, field), history, run, field);
  }

  /** {@code f} once its gold and labels are found to exist. */
  private static Found checked(Found f, Path history, RunRecord run, String field) {
    for (Path p : List.of(f.gold(), f.labels())) {
      if (!Files.isRegularFile(p)) {
        throw new InputException(Problem.of(field + ": the run of " + run.period() + " in series " + run.series()
            + " of " + history + " has no " + p.getFileName() + ": " + p + " not found"));
      }
    }
    return f;
  }

  private static Found folder(Path history, RunRecord run, String runs, String field) {
    Path folder;
    if (runs != null) {
      folder = Backfill.runDir(runs, run.period());
    } else {
      String source = run.provenance().source();
      if (!source.endsWith(".json")) { // e.g. generated:seed=1 (plumb history generate) has no files
        throw new InputException(Problem.of(field + ": the run of " + run.period() + " in series " + run.series() + " of "
            + history + " was recorded from " + (source.isEmpty() ? "no report" : source) + ", not a report in a run"
            + " folder" + (field.startsWith("--") ? "; name the run folders with --pilot-runs 'DIR/{period}'" : "")));
      }
      folder = Path.of(source).toAbsolutePath().getParent();
    }
    if (!Files.isDirectory(folder)) {
      throw new InputException(Problem.of(field + ": the run folder of " + run.period() + " in series " + run.series()
          + " of " + history + " is gone: " + folder + " not found"));
    }
    return new Found(run.series(), run.period(), folder, folder.resolve(GOLD), folder.resolve(LABELS));
  }
}
