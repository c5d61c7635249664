package dev.plumb.pipeline;

import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.ReportIngest;
import dev.plumb.history.RunRecord;
import java.nio.file.Path;

/**
 * Records calibrated runs in a history database (docs/history.md): the one place {@code plumb
 * calibrate --history}, the run's report stage, {@code plumb backfill} and {@code plumb history
 * record} write a period's run. Recording a period again in the same series replaces it.
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  /** What was recorded, and whether it replaced an earlier run of the same series and period. */
  public record Recorded(RunRecord run, boolean replaced) {}

  /** Records {@code run} in the database {@code history} (created when missing). */
  public static Recorded record(Path history, RunRecord run) {
    try (HistoryStore store = HistoryStore.open(history)) {
      return new Recorded(run, store.record(run));
    }
  }

  /**
   * Records a report just calibrated, from memory: the same run {@link ReportIngest#read} would
   * read back from {@code reportJson}.
   *
   * @param reportJson where the report's report.json was written (the run's provenance)
   * @param period the period measured, or null to infer it (ReportIngest's rule)
   */
  public static Recorded record(Path history, CalibrationReport report, Path reportJson, String series, Period period) {
    return record(history, ReportIngest.of(ReportFiles.json(report), reportJson, series, period));
  }
}
