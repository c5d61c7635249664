package dev.plumb.pipeline;

import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.history.Period;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    return run(r, List.of());
  }

  /** As {@link #run(Request)}, with {@code notes} added to the report's own (a sequential review's stopping round). */
  static Result run(Request r, List<String> notes) {
    CalibrationReport report = CalibrationReport.build(r.report());
    if (!notes.isEmpty()) {
      List<String> all = new ArrayList<>(report.notes());
      all.addAll(notes);
      report = new CalibrationReport(report.created(), report.plumbVersion(), report.options(), report.rules(),
          report.policies(), report.raterFiles(), all, report.provenance());
    }
    Path html = ReportFiles.write(report, r.out());
    HistoryRecorder.Recorded recorded = r.history() == null ? null
        : HistoryRecorder.record(r.history(), report, r.out().resolve(ReportFiles.JSON), r.series(), r.period());
    return new Result(report, html, recorded);
  }

  /**
   * Each policy's headline relative half-width, (upper − lower)/2 over the estimate, in the report's
   * order: what a sequential review's target is checked against ({@link
   * dev.plumb.calibration.queue.SequentialReview.Round#status}). Infinite for a one-sided bound, a
   * policy without an estimate, or an estimate of 0 (no relative width can meet a target then).
   */
  public static Map<String, Double> relativeHalfWidths(CalibrationReport report) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (CalibrationReport.PolicyReport p : report.policies()) {
      out.put(p.policy(), p.corrected().headline() instanceof Corrected.Estimated e && e.estimate() > 0
          ? (e.interval().upper() - e.interval().lower()) / 2 / e.estimate() : Double.POSITIVE_INFINITY);
    }
    return out;
  }

  /**
   * The calibration options of an interval name: korn-graubard, logit, wilson, wald, mover-wilson
   * (human-only by MOVER over a Wilson interval per review class, the others Korn–Graubard) or gamma
   * (human-only by Fay–Feuer's gamma interval, the others Korn–Graubard) or kg-gamma, the default (Korn–Graubard,
   * human-only's gamma interval where a review stratum reviewed in part saw no violation; docs/calibration.md, "The
   * default interval").
   *
   * @throws IllegalArgumentException naming the problem when the interval name is not valid
   */
  public static CalibrationOptions options(String interval, double confidence, boolean preferPpi) {
    return new CalibrationOptions(confidence, IntervalMethod.parseCorrected(interval), preferPpi,
        CalibrationOptions.defaults().minGoldPositives());
  }

}
