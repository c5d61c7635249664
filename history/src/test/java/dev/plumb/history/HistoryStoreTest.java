package dev.plumb.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.history.synthetic.HistoryGenerator;
import dev.plumb.history.synthetic.HistoryGenerator.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  @TempDir Path dir;

  @Test
  void should_read_back_every_run_exactly_as_recorded() {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(7));
    Path db = dir.resolve("history.duckdb");
    try (HistoryStore store = HistoryStore.open(db)) {
      runs.forEach(store::record);
    }
    try (HistoryStore store = HistoryStore.read(db)) {
      assertThat(store.series()).containsExactly("main");
      assertThat(store.runs("main")).isEqualTo(runs);
      assertThat(store.list()).hasSize(60);
      assertThat(store.list().get(0).period().key()).isEqualTo("2026-10-02");
      assertThat(store.list().get(59).period().key()).isEqualTo("2026-11-30");
    }
  }

  @Test
  void should_replace_a_period_recorded_again_never_double_count_it() {
    List<RunRecord> first = HistoryGenerator.generate(Scenario.standard(1).withDays(5));
    List<RunRecord> rerun = HistoryGenerator.generate(Scenario.standard(2).withDays(5));
    Path db = dir.resolve("h.duckdb");
    try (HistoryStore store = HistoryStore.open(db)) {
      first.forEach(r -> assertThat(store.record(r)).isFalse());
      assertThat(store.record(rerun.get(3))).isTrue();
      assertThat(store.record(rerun.get(3))).isTrue();
      List<RunRecord> back = store.runs("main");
      assertThat(back).hasSize(5);
      assertThat(back.get(3)).isEqualTo(rerun.get(3));
      assertThat(back.get(2)).isEqualTo(first.get(2));
    }
  }

  @Test
  void should_keep_series_apart_and_refuse_a_week_in_a_series_of_days() {
    RunRecord day = HistoryGenerator.generate(Scenario.standard(1).withDays(1)).get(0);
    RunRecord other = new RunRecord("backfill:self_harm@2", day.period(), day.recordedAt(), day.provenance(), day.policies());
    RunRecord week = new RunRecord("main", Period.weekOf(LocalDate.of(2026, 11, 25)), day.recordedAt(), day.provenance(),
        day.policies());
    try (HistoryStore store = HistoryStore.open(dir.resolve("h.duckdb"))) {
      store.record(day);
      store.record(other);
      assertThat(store.series()).containsExactly("main", "backfill:self_harm@2");
      assertThat(store.runs("main")).containsExactly(day);
      assertThatThrownBy(() -> store.record(week))
          .isInstanceOf(InputException.class)
          .hasMessage("series \"main\" holds days; a week (2026-W48) cannot join it");
      assertThat(store.runs("main")).containsExactly(day);
    }
  }

  @Test
  void should_say_when_the_history_is_missing_or_not_a_history() throws Exception {
    Path missing = dir.resolve("none.duckdb");
    assertThatThrownBy(() -> HistoryStore.read(missing))
        .isInstanceOf(InputException.class)
        .hasMessage(missing + ": history not found (record a run with plumb history record)");
    Path junk = dir.resolve("junk.duckdb");
    Files.writeString(junk, "not a database");
    assertThatThrownBy(() -> HistoryStore.read(junk))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(junk + ": not a plumb history database: ");
  }

  @Test
  void should_parse_days_and_iso_weeks() {
    assertThat(Period.parse("2026-11-25")).isEqualTo(Period.day(LocalDate.of(2026, 11, 25)));
    Period w = Period.parse("2026-W48");
    assertThat(w.start()).isEqualTo(LocalDate.of(2026, 11, 23));
    assertThat(w.end()).isEqualTo(LocalDate.of(2026, 11, 29));
    assertThat(Period.weekOf(LocalDate.of(2026, 11, 29))).isEqualTo(w);
    assertThat(Period.weekOf(LocalDate.of(2027, 1, 1)).key()).isEqualTo("2026-W53");
    assertThatThrownBy(() -> Period.parse("2026-W54")).hasMessage("\"2026-W54\" is not a week of 2026 (W01..W53)");
    assertThatThrownBy(() -> Period.parse("yesterday"))
        .hasMessage("\"yesterday\" is not a period: expected a day (2026-11-25) or an ISO week (2026-W48)");
  }

  /** The run with its first policy's gold reused from {@code version}. */
  static RunRecord reused(RunRecord run, String series, String version) {
    RunRecord.PolicyResult p = run.policies().get(0);
    RunRecord.PolicyResult q = new RunRecord.PolicyResult(p.policy(), p.version(), p.recommended(), p.signoff(), p.quality(),
        p.sizes(), p.estimates(), new RunRecord.GoldReuse(version, p.sizes().gold()));
    return new RunRecord(series, run.period(), run.recordedAt(), run.provenance(), List.of(q));
  }

  @Test
  void should_store_the_gold_reused_from_another_version_and_add_its_columns_to_an_older_history() throws Exception {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(1).withDays(2));
    Path db = dir.resolve("h.duckdb");
    try (HistoryStore store = HistoryStore.open(db)) {
      store.record(runs.get(0));
    }
    // a history written before gold reuse was stored: no such columns
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
        java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER TABLE policy_results DROP COLUMN gold_reused");
      s.execute("ALTER TABLE policy_results DROP COLUMN gold_reviewed_under");
    }
    try (HistoryStore store = HistoryStore.read(db)) {
      assertThat(store.runs("main")).containsExactly(runs.get(0));
      assertThat(store.runs("main").get(0).policies()).allMatch(p -> !p.goldReuse().any());
    }
    RunRecord backfill = reused(runs.get(1), "backfill:self_harm@1", "self_harm@2");
    try (HistoryStore store = HistoryStore.open(db)) {
      store.record(backfill);
    }
    try (HistoryStore store = HistoryStore.read(db)) {
      RunRecord back = store.runs("backfill:self_harm@1").get(0);
      assertThat(back).isEqualTo(backfill);
      RunRecord.PolicyResult p = back.policies().get(0);
      assertThat(p.goldReuse()).isEqualTo(new RunRecord.GoldReuse("self_harm@2", p.sizes().gold()));
      assertThat(p.goldReuse().describe(p.sizes().gold()))
          .isEqualTo("gold reviewed under self_harm@2, reused: " + String.format(java.util.Locale.ROOT, "%,d", p.sizes().gold())
              + " of " + String.format(java.util.Locale.ROOT, "%,d", p.sizes().gold()) + " units");
      assertThat(store.runs("main")).containsExactly(runs.get(0));
    }
  }
}
