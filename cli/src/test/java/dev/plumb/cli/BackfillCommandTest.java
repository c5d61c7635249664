package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.RunRecord;
import dev.plumb.pipeline.TwoPhaseFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backfill over stored run folders, labeling through a stub OpenAI-compatible server on port 0. */
class BackfillCommandTest {
  static final Path ROOT = Path.of("..");
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    System.setProperty("plumb.cache.dir", dir.resolve("cache").toString());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/chat/completions", x -> {
      JsonNode request = Json.mapper().readTree(x.getRequestBody().readAllBytes());
      requests.incrementAndGet();
      // a crude "model": every seventh answer is violating, the rest safe
      boolean violating = requests.get() % 7 == 0;
      ObjectNode answer = Json.object();
      ObjectNode a = answer.putObject("self_harm");
      a.put("rationale", "stub");
      if (violating) {
        a.putArray("evidence").add("t");
      } else {
        a.putArray("evidence");
      }
      a.put("decision", violating ? "violating" : "safe");
      if (violating) {
        a.put("category", "promotion");
      } else {
        a.putNull("category");
      }
      a.put("confidence", 0.8);
      String body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":" + Json.mapper().valueToTree(Json.line(answer))
          + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":60,\"total_tokens\":960}}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("plumb.cache.dir");
  }

  private Cli backfill(String history) {
    return Cli.run("backfill", "--policy", "self_harm@2", "--periods", "2026-11-01..2026-11-01",
        "--runs", dir.resolve("runs/{period}").toString(), "--history", history,
        "--backend", "openai", "--model", "gpt-4o-mini", "--base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
        "--policies", library().toString(), "--prompts", ROOT.resolve("prompts").toString());
  }

  /**
   * The starter library's self_harm@1 and @2, and a self_harm@3 that is @2 with another title, date
   * and owner only: its decisions mean the same as @2's, so gold reviewed under @3 may be reused for @2.
   */
  private Path library() {
    Path lib = dir.resolve("library");
    try {
      Files.createDirectories(lib.resolve("self_harm"));
      Files.copy(ROOT.resolve("policies/self_harm/v1.yaml"), lib.resolve("self_harm/v1.yaml"), StandardCopyOption.REPLACE_EXISTING);
      String v2 = Files.readString(ROOT.resolve("policies/self_harm/v2.yaml"));
      Files.writeString(lib.resolve("self_harm/v2.yaml"), v2);
      Files.writeString(lib.resolve("self_harm/v3.yaml"), v2.replace("\nversion: 2\n", "\nversion: 3\n")
          .replace("\ntitle: Suicide, self-injury and eating disorders\n", "\ntitle: Suicide, self-harm and eating disorders\n")
          .replace("\neffective: 2026-03-01\n", "\neffective: 2026-12-01\n"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return lib;
  }

  @Test
  void should_relabel_recalibrate_and_record_a_parallel_series_and_reuse_labels_on_rerun() throws Exception {
    // a stored period whose gold was reviewed under self_harm@3, whose decision definitions are @2's
    Files.createDirectories(dir.resolve("runs/2026-11-01"));
    TwoPhaseFixture.write(dir.resolve("runs/2026-11-01"), 3, 4_000, TwoPhaseFixture.SELF_HARM);
    int gold = Files.readAllLines(dir.resolve("runs/2026-11-01/gold.jsonl")).size();
    String history = dir.resolve("h.duckdb").toString();

    Cli r = backfill(history);
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    String reused = "gold reviewed under self_harm@3, reused for self_harm@2: " + gold + " of " + gold + " units";
    assertThat(r.out()).contains("Recorded backfill:self_harm@2 2026-11-01: " + gold + " gold units (REUSED " + reused + "), report ");
    int sent = requests.get();
    assertThat(sent).isPositive();
    Path work = dir.resolve("runs/2026-11-01/backfill/self_harm@2");
    assertThat(Files.readAllLines(work.resolve("labels.jsonl"))).allMatch(l -> l.contains("\"policy\":\"self_harm@2\""));
    assertThat(Files.readAllLines(work.resolve("gold.jsonl"))).hasSize(gold).allMatch(l -> l.contains("\"policy\":\"self_harm@2\""));
    assertThat(work.resolve("rereview.jsonl")).doesNotExist();
    JsonNode report = Json.mapper().readTree(work.resolve("report/report.json").toFile());
    assertThat(report.at("/policies/0/policy").asText()).isEqualTo("self_harm@2");
    // the reused share, in report.json and marked in report.html
    assertThat(report.at("/policies/0/gold_reuse/message").asText()).isEqualTo(reused);
    assertThat(report.at("/policies/0/gold_reuse/reused").asInt()).isEqualTo(gold);
    assertThat(report.at("/policies/0/gold_reuse/reviewed_under/0/version").asText()).isEqualTo("self_harm@3");
    assertThat(report.at("/notes").toString()).contains("REUSED " + reused);
    assertThat(Files.readString(work.resolve("report/report.html")))
        .contains("<p class=\"note reuse\"><span class=\"badge warn\">REUSED GOLD</span> Gold reviewed under self_harm@3, "
            + "reused for self_harm@2: " + gold + " of " + gold + " units");
    // and in the history
    Cli show = Cli.run("history", "show", "--history", history, "--series", "backfill:self_harm@2");
    assertThat(show.out()).contains("\n  REUSED gold reviewed under self_harm@3, reused: " + gold + " of " + gold + " units\n");
    Cli json = Cli.run("history", "show", "--history", history, "--series", "backfill:self_harm@2", "--json");
    assertThat(Json.mapper().readTree(json.out()).at("/policies/0/sizes/gold_reused").asInt()).isEqualTo(gold);
    assertThat(Json.mapper().readTree(json.out()).at("/policies/0/sizes/gold_reviewed_under").asText()).isEqualTo("self_harm@3");

    try (HistoryStore store = HistoryStore.read(Path.of(history))) {
      List<RunRecord> runs = store.runs("backfill:self_harm@2");
      assertThat(runs).extracting(x -> x.period().key()).containsExactly("2026-11-01");
      assertThat(runs).allMatch(x -> x.policies().get(0).version().equals("self_harm@2"));
    }

    // a rerun keeps the labels it has (no request) and replaces the periods, never doubles them
    Cli again = backfill(history);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("Replaced backfill:self_harm@2 2026-11-01: ");
    assertThat(requests.get()).isEqualTo(sent);
    try (HistoryStore store = HistoryStore.read(Path.of(history))) {
      assertThat(store.runs("backfill:self_harm@2")).hasSize(1);
    }
  }

  @Test
  void should_not_reuse_gold_reviewed_under_a_version_with_other_decision_definitions_and_list_the_units_to_re_review()
      throws Exception {
    Path run = dir.resolve("runs/2026-11-01");
    Files.createDirectories(run);
    TwoPhaseFixture.Policy v1 = TwoPhaseFixture.SELF_HARM;
    TwoPhaseFixture.write(run, 3, 4_000, new TwoPhaseFixture.Policy("self_harm@1", v1.negative(), v1.positive(), v1.categories(),
        v1.prevalence(), v1.sensitivity(), v1.specificity(), v1.reviewPositives(), v1.reviewNegatives()));
    List<String> gold = Files.readAllLines(run.resolve("gold.jsonl"));
    String history = dir.resolve("h.duckdb").toString();
    Path list = run.resolve("backfill/self_harm@2/rereview.jsonl");

    Cli r = backfill(history);

    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("2026-11-01: not measured: " + gold.size() + " of " + gold.size()
        + " gold units need re-review under self_harm@2: reviewed under self_harm@1, whose decision definitions differ "
        + "(~ safe.definition, + category disordered_eating, + rule R8 and 7 more; "
        + "plumb policy diff self_harm@1 self_harm@2); list: " + list + "\n");
    assertThat(requests.get()).as("nothing labeled").isZero();
    assertThat(run.resolve("backfill/self_harm@2/report")).doesNotExist();
    assertThat(Path.of(history)).doesNotExist();
    List<String> rereview = Files.readAllLines(list);
    assertThat(rereview).hasSize(gold.size());
    JsonNode first = Json.mapper().readTree(rereview.get(0));
    JsonNode firstGold = Json.mapper().readTree(gold.get(0));
    assertThat(first.path("unit").asText()).isEqualTo(firstGold.path("unit").asText());
    assertThat(first.path("policy").asText()).isEqualTo("self_harm@2");
    assertThat(first.path("reviewed_under").asText()).isEqualTo("self_harm@1");
    assertThat(first.path("phase2").toString()).isEqualTo(firstGold.path("phase2").toString());

    // the units reviewed again under self_harm@2 (here: the same answers, rekeyed) make the period measurable
    Files.write(run.resolve("backfill/self_harm@2/gold.rereviewed.jsonl"),
        gold.stream().map(l -> l.replace("\"policy\":\"self_harm@1\"", "\"policy\":\"self_harm@2\"")).toList());
    Cli again = backfill(history);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("Recorded backfill:self_harm@2 2026-11-01: " + gold.size() + " gold units, report ");
    assertThat(list).doesNotExist();
    Path work = run.resolve("backfill/self_harm@2");
    assertThat(work.resolve("gold.reuse.json")).doesNotExist();
    assertThat(Json.mapper().readTree(work.resolve("report/report.json").toFile()).at("/policies/0").has("gold_reuse")).isFalse();
  }

  @Test
  void should_name_the_missing_run_files_before_labeling_anything() {
    Cli r = backfill(dir.resolve("h.duckdb").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--runs: missing " + dir.resolve("runs/2026-11-01/sample.jsonl") + ", ");
    assertThat(requests.get()).isZero();
  }

  @Test
  void should_expand_a_period_range_of_days_or_weeks() {
    assertThat(BackfillCommand.range("2026-10-30..2026-11-02")).extracting(p -> p.key())
        .containsExactly("2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02");
    assertThat(BackfillCommand.range("2026-W47..2026-W49")).extracting(p -> p.key())
        .containsExactly("2026-W47", "2026-W48", "2026-W49");
    Cli r = Cli.run("backfill", "--policy", "self_harm", "--periods", "2026-11-01..2026-11-02", "--runs", "x/{period}",
        "--history", "h.duckdb");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--policy: expected ID@VERSION (a backfill needs an exact version), got \"self_harm\"\n");
  }
}
