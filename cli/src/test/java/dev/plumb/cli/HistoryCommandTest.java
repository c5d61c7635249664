package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import dev.plumb.pipeline.TwoPhaseFixture;
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
  void should_keep_the_list_narrow_with_a_long_model_id_and_give_it_whole_in_json() throws Exception {
    String model = "ft:gpt-4.1-mini-2025-04-14:acme-trust-and-safety:harassment-self-harm-adult-misinfo-v7:"
        + "Bq3xYz9K:ckpt-step-000120000-of-000240000";
    assertThat(model).hasSizeGreaterThan(120);
    assertThat(Format.ellipsis(model, HistoryCommand.ListRuns.MODEL_WIDTH))
        .isEqualTo("ft:gpt-4.1-mini-2025-04-14:acme…").hasSize(32);
    assertThat(Format.ellipsis("gpt-4.1-mini", 32)).isEqualTo("gpt-4.1-mini");

    String db = dir.resolve("h.duckdb").toString();
    Cli.run("history", "generate", "--history", db, "--days", "1");
    Cli json = Cli.run("history", "list", "--history", db, "--json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode runs = Json.mapper().readTree(json.out());
    assertThat(runs).hasSize(1);
    assertThat(runs.at("/0/model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(runs.at("/0/verdicts").size()).isEqualTo(4);

    Path page = dir.resolve("one.html");
    Cli one = Cli.run("dashboard", "--history", db, "--out", page.toString());
    assertThat(one.out()).startsWith("Wrote " + page + " (1 period, ");
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
    // show and monitor read a series through the same --series option: the same lines, exit 2
    Cli empty = Cli.run("history", "show", "--history", dir.resolve("h.duckdb").toString(), "--series", "nope");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).isEqualTo(dir.resolve("h.duckdb") + ": no runs in series \"nope\"\n");
    Path rules = Path.of("../fixtures/history/rules.yaml");
    Cli monitor = Cli.run("monitor", "--history", dir.resolve("h.duckdb").toString(), "--rules", rules.toString(),
        "--out", dir.resolve("alerts.json").toString(), "--period", "2026-11-01");
    assertThat(monitor.code()).as(monitor.out()).isEqualTo(2);
    assertThat(monitor.err()).isEqualTo(dir.resolve("h.duckdb") + ": no run of 2026-11-01 in series \"main\"\n");
  }

  @Test
  void should_write_the_dashboard_page() throws Exception {
    String db = dir.resolve("h.duckdb").toString();
    Cli.run("history", "generate", "--history", db, "--days", "20");
    Path page = dir.resolve("out/dashboard.html");
    Cli r = Cli.run("dashboard", "--history", db, "--out", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Wrote " + page + " (20 periods, 2026-10-02 .. 2026-10-21)\n");
    assertThat(java.nio.file.Files.readString(page)).contains("<h2>Latest period: 2026-10-21</h2>").doesNotContain("<h2>Alerts</h2>");

    Cli.run("history", "generate", "--history", db, "--seed", "7");
    Cli flagged = Cli.run("dashboard", "--history", db, "--rules", "../fixtures/history/rules.yaml", "--out", page.toString());
    assertThat(flagged.code()).as(flagged.err()).isZero();
    assertThat(flagged.out()).isEqualTo("Wrote " + page + " (60 periods, 2026-10-02 .. 2026-11-30, 12 alerts)\n");
    String html = java.nio.file.Files.readString(page);
    assertThat(html).contains("<h2>Alerts</h2>", "<title>shift 2026-11-21: 4.297% vs 1.497% over 10 comparable earlier periods");
  }

  @Test
  void should_exit_1_with_alerts_json_when_a_rule_fires_and_0_when_quiet() throws Exception {
    String db = dir.resolve("h.duckdb").toString();
    Cli.run("history", "generate", "--history", db, "--seed", "7");
    Path rules = Path.of("../fixtures/history/rules.yaml");
    Path alerts = dir.resolve("alerts.json");

    Cli shift = Cli.run("monitor", "--history", db, "--rules", rules.toString(), "--period", "2026-11-21", "--out", alerts.toString());
    assertThat(shift.code()).as(shift.err()).isEqualTo(1);
    assertThat(shift.out()).startsWith("Monitor main 2026-11-21: 4 rules, 33 checks, 3 alerts\n")
        .contains("ALERT shift  2026-11-21  harassment surface=search: 4.297% vs 1.497% over 10 comparable earlier periods")
        .contains("ALERT harassment-ceiling  2026-11-21  harassment: lower bound of ");
    JsonNode json = Json.mapper().readTree(alerts.toFile());
    assertThat(json.get("format").asText()).isEqualTo("plumb.alerts/1");
    assertThat(json.get("fired").asBoolean()).isTrue();
    assertThat(json.get("alerts")).hasSize(3);
    assertThat(json.at("/alerts/1/values/z").asDouble()).isGreaterThan(3);

    Cli quiet = Cli.run("monitor", "--history", db, "--rules", rules.toString(), "--period", "2026-11-20", "--out", alerts.toString());
    assertThat(quiet.code()).as(quiet.out()).isZero();
    assertThat(quiet.out()).startsWith("Monitor main 2026-11-20: 4 rules, 33 checks, 0 alerts\n");
    assertThat(Json.mapper().readTree(alerts.toFile()).get("fired").asBoolean()).isFalse();
  }

  @Test
  void should_reject_a_bad_rules_file_with_exit_2_and_write_nothing() throws Exception {
    String db = dir.resolve("h.duckdb").toString();
    Cli.run("history", "generate", "--history", db, "--days", "3");
    Path rules = dir.resolve("rules.yaml");
    java.nio.file.Files.writeString(rules, "rules:\n  - name: x\n    type: change\n    trailing: ten\n");
    Path alerts = dir.resolve("alerts.json");
    Cli r = Cli.run("monitor", "--history", db, "--rules", rules.toString(), "--out", alerts.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(rules + ":4:15: rules[0].trailing: expected a number, got \"ten\"\n");
    assertThat(alerts).doesNotExist();
  }

  @Test
  void should_record_a_calibration_report_once_per_period() throws Exception {
    TwoPhaseFixture f = TwoPhaseFixture.write(dir, 11, 20_000, TwoPhaseFixture.SELF_HARM, TwoPhaseFixture.HATE);
    String db = dir.resolve("h.duckdb").toString();
    Path out = dir.resolve("report");
    Cli cal = Cli.run("calibrate", "--sample", f.sample().toString(), "--labels", f.labels().toString(), "--gold",
        f.gold().toString(), "--out", out.toString(), "--by", "surface", "--history", db, "--period", "2026-11-25");
    assertThat(cal.code()).as(cal.err()).isZero();
    assertThat(cal.out()).endsWith("Recorded period 2026-11-25 in " + db + "\n");

    Cli again = Cli.run("history", "record", "--report", out.resolve("report.json").toString(), "--history", db,
        "--period", "2026-11-25");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo("Replaced main period 2026-11-25 (2 policies) in " + db + "\n");
    Cli week = Cli.run("history", "record", "--report", out.resolve("report.json").toString(), "--history", db,
        "--series", "weekly", "--period", "2026-W48");
    assertThat(week.out()).isEqualTo("Recorded weekly period 2026-W48 (2 policies) in " + db + "\n");

    JsonNode report = Json.mapper().readTree(out.resolve("report.json").toFile());
    JsonNode run = Json.mapper().readTree(Cli.run("history", "show", "--history", db, "--json").out());
    assertThat(run.get("period").asText()).isEqualTo("2026-11-25");
    for (int i = 0; i < 2; i++) {
      JsonNode rp = report.get("policies").get(i);
      JsonNode hp = run.get("policies").get(i);
      assertThat(hp.get("version").asText()).isEqualTo(rp.get("policy").asText());
      assertThat(hp.get("recommended").asText()).isEqualTo(rp.at("/headline/estimator").asText());
      assertThat(hp.at("/signoff/verdict").asText()).isEqualTo(rp.get("verdict").asText());
      assertThat(hp.at("/sizes/gold").asInt()).isEqualTo(rp.get("gold_units").asInt());
      assertThat(hp.at("/quality/sensitivity").asDouble())
          .isEqualTo(rp.at("/quality/weighted/overall/sensitivity/estimate").asDouble());
      // every estimator overall and per surface
      assertThat(hp.get("estimates")).hasSize(rp.get("estimators").size() * (1 + rp.get("domains").size()));
      JsonNode headline = hp.get("estimates").get(0);
      for (JsonNode e : hp.get("estimates")) {
        if (e.get("recommended").asBoolean() && e.get("domain").asText().equals("all")) {
          headline = e;
        }
      }
      if (rp.at("/headline/kind").asText().equals("estimate")) {
        assertThat(headline.get("estimate").asDouble()).isEqualTo(rp.at("/headline/estimate").asDouble());
        assertThat(headline.get("lower").asDouble()).isEqualTo(rp.at("/headline/interval/lower").asDouble());
      }
    }
    Cli list = Cli.run("history", "list", "--history", db);
    assertThat(list.out()).endsWith("2 runs\n");
  }

  @Test
  void should_reject_a_file_that_is_not_a_report() throws Exception {
    Path bogus = dir.resolve("report.json");
    java.nio.file.Files.writeString(bogus, "{\"format\":\"plumb.estimate/1\"}");
    Cli r = Cli.run("history", "record", "--report", bogus.toString(), "--history", dir.resolve("h.duckdb").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(bogus + ": format: expected \"plumb.report/1\" (a report.json from plumb calibrate), got \"plumb.estimate/1\"\n");
  }
}
