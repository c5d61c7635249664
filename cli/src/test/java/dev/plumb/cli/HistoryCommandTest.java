package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {
  @TempDir Path dir;

  @Test
  void should_generate_list_and_show_a_history() throws Exception {
    String db = dir.resolve("h.duckdb").toString();
    Cli gen = Cli.run("history", "generate", "--history", db, "--days", "35", "--seed", "3");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.out()).isEqualTo("Recorded 35 synthetic daily runs (2026-10-02 .. 2026-11-05, scenario standard, seed 3) in "
        + db + "\n");
    Cli again = Cli.run("history", "generate", "--history", db, "--days", "35", "--seed", "3");
    assertThat(again.out()).endsWith(" (35 replaced)\n");

    Cli list = Cli.run("history", "list", "--history", db);
    assertThat(list.code()).as(list.err()).isZero();
    String[] lines = list.out().split("\n");
    assertThat(lines).hasSize(1 + 35 + 1);
    assertThat(lines[0]).startsWith("period      series  model         prompt      self_harm  harassment");
    assertThat(lines[1]).startsWith("2026-10-02  main    gpt-4.1-mini  ");
    assertThat(lines[31]).contains("@2"); // self_harm moved to version 2 on day 30
    assertThat(lines[36]).isEqualTo("35 runs");

    Cli show = Cli.run("history", "show", "--history", db, "--period", "2026-10-20", "--policy", "harassment");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).startsWith("day 2026-10-20 (series main), recorded 2026-10-21T06:15:00Z\n")
        .contains("harassment  harassment@1  sign-off ")
        .contains("double-sampling *  all")
        .contains("llm-only           surface=search")
        .doesNotContain("self_harm");

    Cli json = Cli.run("history", "show", "--history", db, "--json");
    JsonNode run = Json.mapper().readTree(json.out());
    assertThat(run.get("format").asText()).isEqualTo("plumb.history-run/1");
    assertThat(run.get("period").asText()).isEqualTo("2026-11-05");
    assertThat(run.get("policies")).hasSize(4);
    assertThat(run.at("/policies/0/estimates/0/recommended").asBoolean()).isTrue();
  }

  @Test
  void should_reject_a_missing_history_and_a_bad_period_with_one_line() {
    String db = dir.resolve("none.duckdb").toString();
    Cli list = Cli.run("history", "list", "--history", db);
    assertThat(list.code()).isEqualTo(2);
    assertThat(list.err()).isEqualTo(db + ": history not found (record a run with plumb history record)\n");
    Cli.run("history", "generate", "--history", dir.resolve("h.duckdb").toString(), "--days", "2");
    Cli show = Cli.run("history", "show", "--history", dir.resolve("h.duckdb").toString(), "--period", "2026-13-01");
    assertThat(show.code()).isEqualTo(2);
    assertThat(show.err()).isEqualTo(
        "--period: \"2026-13-01\" is not a period: expected a day (2026-11-25) or an ISO week (2026-W48)\n");
    Cli other = Cli.run("history", "show", "--history", dir.resolve("h.duckdb").toString(), "--period", "2026-11-01");
    assertThat(other.err()).isEqualTo(dir.resolve("h.duckdb") + ": no run of 2026-11-01 in series \"main\"\n");
  }

  @Test
  void should_write_the_dashboard_page() throws Exception {
    String db = dir.resolve("h.duckdb").toString();
    Cli.run("history", "generate", "--history", db, "--days", "20");
    Path page = dir.resolve("out/dashboard.html");
    Cli r = Cli.run("dashboard", "--history", db, "--out", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Wrote " + page + " (20 periods, 2026-10-02 .. 2026-10-21)\n");
    assertThat(java.nio.file.Files.readString(page)).contains("<h2>Latest period: 2026-10-21</h2>");
  }
}
