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
        "--policies", ROOT.resolve("policies").toString(), "--prompts", ROOT.resolve("prompts").toString());
  }

  @Test
  void should_relabel_recalibrate_and_record_a_parallel_series_and_reuse_labels_on_rerun() throws Exception {
    // a stored period measured with an older version (the fixture's key self_harm@3 stands for "another version")
    Files.createDirectories(dir.resolve("runs/2026-11-01"));
    TwoPhaseFixture.write(dir.resolve("runs/2026-11-01"), 3, 4_000, TwoPhaseFixture.SELF_HARM);
    String history = dir.resolve("h.duckdb").toString();

    Cli r = backfill(history);
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("Recorded backfill:self_harm@2 2026-11-01: ");
    int sent = requests.get();
    assertThat(sent).isPositive();
    Path work = dir.resolve("runs/2026-11-01/backfill/self_harm@2");
    assertThat(Files.readAllLines(work.resolve("labels.jsonl"))).allMatch(l -> l.contains("\"policy\":\"self_harm@2\""));
    assertThat(Files.readAllLines(work.resolve("gold.jsonl"))).isNotEmpty().allMatch(l -> l.contains("\"policy\":\"self_harm@2\""));
    JsonNode report = Json.mapper().readTree(work.resolve("report/report.json").toFile());
    assertThat(report.at("/policies/0/policy").asText()).isEqualTo("self_harm@2");

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
