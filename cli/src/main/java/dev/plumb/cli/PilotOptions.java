package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.pipeline.HistoryPilot;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An earlier review whose violation rates guide the allocation of a new one ({@code plumb queue export},
 * {@code plan --review-budget}): a gold file with its labels, or the last period of a history series.
 */
final class PilotOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--pilot", paramLabel = "FILE",
      description = "An earlier review's gold.jsonl whose rates per policy x LLM call guide the allocation (docs/review.md).")
  Path pilot;

  @Option(names = "--pilot-labels", paramLabel = "FILE",
      description = "The labels of the pilot's units (default: --labels; give the pilot period's labels.jsonl).")
  Path labels;

  @Option(names = "--pilot-history", paramLabel = "FILE",
      description = "The pilot is the last period of --series in this history: that run folder's gold.jsonl and"
          + " labels.jsonl (the folder of its recorded report.json, or --pilot-runs).")
  Path history;

  @Option(names = "--pilot-runs", paramLabel = "TEMPLATE",
      description = "With --pilot-history: each period's run folder with {period} for the period, e.g. 'out/{period}'"
          + " (as plumb backfill --runs).")
  String runs;

  @Mixin SeriesOption series;

  /** The pilot's gold and labels (labels null: the review's own), or null without a pilot. */
  record Pilot(Path gold, Path labels, HistoryPilot.Found found) {}

  /** Any pilot option given (they plan a review budget). */
  boolean given() {
    return pilot != null || labels != null || history != null || runs != null;
  }

  /**
   * The pilot: {@code --pilot} (with {@code --pilot-labels}), or the last period of
   * {@code --series} in {@code --pilot-history}; null when neither.
   */
  Pilot files() {
    if (labels != null && pilot == null) {
      throw new InputException("--pilot-labels: needs --pilot (the gold those labels belong to)");
    }
    if (history == null) {
      if (runs != null || mixee.commandLine().getParseResult().hasMatchedOption("--series")) {
        throw new InputException((runs != null ? "--pilot-runs" : "--series")
            + ": needs --pilot-history (the history whose last period is the pilot)");
      }
      return pilot == null ? null : new Pilot(pilot, labels, null);
    }
    if (pilot != null) {
      throw new InputException("--pilot-history: the pilot is the history's last period; give it or --pilot, not both");
    }
    HistoryPilot.Found f = HistoryPilot.last(history, series.name, runs, "--pilot-history");
    return new Pilot(f.gold(), f.labels(), f);
  }
}
