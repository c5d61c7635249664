package dev.plumb.pipeline;

import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.history.Period;
import java.nio.file.Path;

/**
 * Calibrates, writes {@code report.json|md|html} and, when asked, records the run in a history:
 * what {@code plumb calibrate}, the run's report stage and {@code plumb backfill} share.
 */
public final class Calibrate {
  private Calibrate() {}

  /**
   * @param report what to calibrate ({@link CalibrationReport.Request})
   * @param out the folder for the three report files
   * @param history the history database to record the run in, or null
   * @param series the history series ({@link dev.plumb.history.RunRecord#MAIN} for a regular run)
   * @param period the period measured, or null to infer it
   */
  public record Request(CalibrationReport.Request report, Path out, Path history, String series, Period period) {}

  /** @param recorded what was recorded in the history, or null without one */
  public record Result(CalibrationReport report, Path html, HistoryRecorder.Recorded recorded) {}

  public static Result run(Request r) {
    CalibrationReport report = CalibrationReport.build(r.report());
    Path html = ReportFiles.write(report, r.out());
    HistoryRecorder.Recorded recorded = r.history() == null ? null
        : HistoryRecorder.record(r.history(), report, r.out().resolve(ReportFiles.JSON), r.series(), r.period());
    return new Result(report, html, recorded);
  }

  /**
   * The calibration options of an interval name: korn-graubard, logit, wilson, wald, or
   * mover-wilson (human-only by MOVER over a Wilson interval per review class, the others
   * Korn–Graubard; docs/calibration.md).
   *
   * @throws IllegalArgumentException naming the problem when the interval name is not valid
   */
  public static CalibrationOptions options(String interval, double confidence, boolean preferPpi) {
    return new CalibrationOptions(confidence, IntervalMethod.parseCorrected(interval), preferPpi,
        CalibrationOptions.defaults().minGoldPositives());
  }

}
