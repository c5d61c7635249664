package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.calibration.report.SignOffRules;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.ReportIngest;
import dev.plumb.history.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibrating, writing the report and recording it in a history, as calibrate, run and backfill share it. */
class CalibrateTest {
  @TempDir Path dir;

  private Calibrate.Request request(TwoPhaseFixture f, Path out, Path history, Period period) {
    return new Calibrate.Request(new CalibrationReport.Request(f.sample(), Sampler.manifestPath(f.sample()), f.labels(),
        f.gold(), f.answers(), f.truthFile(), List.of(), Calibrate.options("korn-graubard", 0.95, false),
        SignOffRules.defaults(), null, "plumb test (commit 1)", Instant.parse("2026-11-26T08:00:00Z"), Map.of()),
        out, history, RunRecord.MAIN, period);
  }

  @Test
  void should_record_the_same_run_a_reader_of_the_written_report_would() {
    TwoPhaseFixture f = TwoPhaseFixture.write(dir, 11, 20_000, TwoPhaseFixture.SELF_HARM);
    Path history = dir.resolve("history.duckdb");
    Calibrate.Result r = Calibrate.run(request(f, dir.resolve("report"), history, Period.parse("2026-11-25")));

    assertThat(r.html()).isEqualTo(dir.resolve("report").resolve(ReportFiles.HTML)).isRegularFile();
    assertThat(r.recorded().replaced()).isFalse();
    RunRecord fromFile = ReportIngest.read(dir.resolve("report").resolve(ReportFiles.JSON), RunRecord.MAIN,
        Period.parse("2026-11-25"));
    // the same record but the moment it was read
    assertThat(r.recorded().run()).usingRecursiveComparison().ignoringFields("recordedAt").isEqualTo(fromFile);
    try (HistoryStore store = HistoryStore.open(history)) {
      assertThat(store.runs(RunRecord.MAIN)).hasSize(1);
    }

    Calibrate.Result again = Calibrate.run(request(f, dir.resolve("report"), history, Period.parse("2026-11-25")));
    assertThat(again.recorded().replaced()).isTrue();
  }

  @Test
  void should_write_no_history_without_one() {
    TwoPhaseFixture f = TwoPhaseFixture.write(dir, 3, 5_000, TwoPhaseFixture.HATE);
    Calibrate.Result r = Calibrate.run(request(f, dir.resolve("report"), null, null));
    assertThat(r.recorded()).isNull();
    assertThat(dir.resolve("history.duckdb")).doesNotExist();
    assertThat(Files.exists(dir.resolve("report").resolve(ReportFiles.JSON))).isTrue();
  }

  @Test
  void should_map_interval_names_to_options() {
    CalibrationOptions kg = Calibrate.options("korn-graubard", 0.9, true);
    assertThat(kg.interval()).isEqualTo(IntervalMethod.KORN_GRAUBARD);
    assertThat(kg.level()).isEqualTo(0.9);
    assertThat(kg.preferPpiPlusPlus()).isTrue();
    assertThat(Calibrate.options("wilson", 0.95, false).interval()).isEqualTo(IntervalMethod.WILSON);
    // mover-wilson is its own method, not Korn–Graubard
    assertThat(Calibrate.options("mover-wilson", 0.95, false)).isNotEqualTo(Calibrate.options("korn-graubard", 0.95, false));
    assertThatThrownBy(() -> Calibrate.options("bootstrap", 0.95, false))
        .hasMessage("bootstrap is not available for corrected estimators; use korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma");
  }
}
