package dev.plumb.calibration.report;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import java.nio.file.Path;

/** Writes a report's three files into one directory. */
public final class ReportFiles {
  private ReportFiles() {}

  /** The file names, in the order they are written. */
  public static final String JSON = "report.json";
  public static final String MARKDOWN = "report.md";
  public static final String HTML = "report.html";

  /** The content of report.json ({@code plumb.report/1}, docs/report.md), e.g. for recording it in a history. */
  public static com.fasterxml.jackson.databind.node.ObjectNode json(CalibrationReport report) {
    return ReportJson.of(report);
  }

  /**
   * Renders {@code report} as report.json, report.md and report.html and writes them into {@code
   * dir} (created if needed), with each policy's label-score map ({@code score-map.<policy>.json},
   * {@code plumb.score-map/1}) when the request asked for one. All are rendered before any is
   * written, and each file is replaced atomically, so a failure never leaves a half-written file.
   *
   * @return the path of report.html
   */
  public static Path write(CalibrationReport report, Path dir) {
    String json = Json.pretty(ReportJson.of(report));
    String md = ReportMarkdown.of(report);
    String html = ReportHtml.of(report);
    AtomicOutput.write(dir.resolve(JSON), json.endsWith("\n") ? json : json + "\n");
    AtomicOutput.write(dir.resolve(MARKDOWN), md);
    AtomicOutput.write(dir.resolve(HTML), html);
    ScoreMaps.write(report, dir);
    return dir.resolve(HTML);
  }
}
