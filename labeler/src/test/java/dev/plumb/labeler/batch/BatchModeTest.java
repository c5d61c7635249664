package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch mode against an in-process Batch API server (FakeBatchServer): docs/labeler.md, "Batch mode". */
class BatchModeTest {
  static final String KEY = "sk-test-DO-NOT-LEAK-0123456789";
  private static final Pattern UNIT = Pattern.compile("Unit u-(\\d+):");

  @TempDir Path dir;
  private final List<FakeBatchServer> servers = new ArrayList<>();
  private final List<Backend> backends = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    backends.forEach(Backend::close);
    for (FakeBatchServer s : servers) {
      s.close();
      for (String name : s.uploadedNames) {
        assertThat(name).doesNotContain(KEY).matches("plumb-[0-9a-f-]{36}\\.jsonl");
      }
      assertThat(s.authorizations).allMatch(a -> a.equals("Bearer " + KEY));
    }
    try (var files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).as(f.toString()).doesNotContain(KEY);
        }
      }
    }
    assertThat(notices).noneMatch(n -> n.contains(KEY));
  }

  private FakeBatchServer server(FakeOpenAi.Behaviour b, IntFunction<FakeBatchServer.Plan> plans) throws IOException {
    FakeBatchServer s = new FakeBatchServer(b, plans);
    servers.add(s);
    return s;
  }

  /** The unit number a request is about (FakePrompt renders "Unit u-N:"). */
  static int unitOf(JsonNode request) {
    Matcher m = UNIT.matcher(Json.line(request.path("messages")));
    if (!m.find()) {
      throw new IllegalStateException("no unit in " + request);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Every third unit violates; the same answer for the same request, whichever path asks. */
  static FakeOpenAi.Behaviour decisions() {
    return (req, n) -> new FakeOpenAi.Answer(
        FakePrompt.answerFor(FakeOpenAi.schemaOf(req), unitOf(req) % 3 == 0 ? "violating" : "safe"));
  }

  private Path units(int n) throws IOException {
    return units(dir, n);
  }

  /** {@code dir/units.jsonl} with units u-1 … u-n, each a query and a response. */
  static Path units(Path dir, int n) throws IOException {
    Path f = dir.resolve("units.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      ObjectNode u = Json.object();
      u.put("id", "u-" + i);
      var comps = u.putArray("components");
      comps.addObject().put("id", "query").put("kind", "query").put("text", "query number " + i);
      comps.addObject().put("id", "response").put("kind", "response").put("text", "response text " + i);
      sb.append(Json.line(u)).append('\n');
    }
    Files.writeString(f, sb.toString());
    return f;
  }

  private LabelerConfig.Builder config(FakeBatchServer server, Path units, String out) {
    Notices n = new Notices();
    Backend backend = Backends.create(
        new BackendSpec("openai", null, "gpt-4o-mini", server.baseUrl(), Duration.ofSeconds(5), 4),
        Credentials.of(Map.of("OPENAI_API_KEY", KEY), null), n);
    backends.add(backend);
    return LabelerConfig.builder()
        .units(units).out(dir.resolve(out)).prompt(new FakePrompt("p@1", "q@2")).backend(backend)
        .baseUrl(server.baseUrl()).maxConcurrency(4)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(40)).progressInterval(Duration.ofMillis(10))
        .batch(true, true).poll(Duration.ofMillis(5), Duration.ofMillis(20))
        .notices(n)
        .listener(new ProgressListener() {
          @Override
          public void notice(String message) {
            notices.add(message);
          }
        });
  }

  private List<JsonNode> labels(String out) {
    return labels(dir.resolve(out));
  }

  static List<JsonNode> labels(Path file) {
    List<JsonNode> l = new ArrayList<>();
    Jsonl.forEach(file, x -> l.add(x.node()));
    return l;
  }

  private JsonNode runJson(String out) throws IOException {
    return runJson(dir.resolve(out));
  }

  static JsonNode runJson(Path labels) throws IOException {
    return Json.mapper().readTree(Files.readString(LabelerConfig.defaultRunFile(labels)));
  }

  private Map<String, String> outcomes(String out) {
    return outcomes(dir.resolve(out));
  }

  /** unit policy → decision (or status when not ok), exactly one record per pair. */
  static Map<String, String> outcomes(Path file) {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode r : labels(file)) {
      String prev = m.put(r.get("unit").asText() + " " + r.get("policy").asText(),
          r.get("status").asText().equals("ok") ? r.get("decision").asText() : r.get("status").asText());
      assertThat(prev).as("duplicate record %s", r).isNull();
    }
    return m;
  }

  @Test
  void should_give_the_same_decisions_and_send_the_same_bodies_as_synchronous_labeling() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(2));
    Path units = units(12);
    RunSummary sync = BatchLabeler.run(config(s, units, "sync.jsonl").batch(false, true).build());
    RunSummary batch = BatchLabeler.run(config(s, units, "labels.jsonl").build());

    assertThat(sync.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(batch.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(batch.counts()).isEqualTo(new RunSummary.Counts(24, 0, 0, 0, 0));
    assertThat(outcomes("labels.jsonl")).isEqualTo(outcomes("sync.jsonl")).containsEntry("u-3 p@1", "violating")
        .containsEntry("u-4 q@2", "safe");
    // the uploaded lines carry exactly the bodies the synchronous calls sent
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(s.inputLines).hasSize(12);
    for (JsonNode line : s.inputLines) {
      assertThat(line.get("method").asText()).isEqualTo("POST");
      assertThat(line.get("url").asText()).isEqualTo("/v1/chat/completions");
      int u = unitOf(line.get("body"));
      assertThat(line.get("custom_id").asText()).isEqualTo("u-" + u);
      assertThat(s.syncRequests).contains(line.get("body"));
    }
    JsonNode rec = labels("labels.jsonl").get(0);
    assertThat(rec.get("mode").asText()).isEqualTo("batch");
    assertThat(rec.get("batch").asText()).isEqualTo("batch_1");
    assertThat(rec.get("attempts").asInt()).isEqualTo(1);
    JsonNode run = runJson("labels.jsonl");
    assertThat(run.get("status").asText()).isEqualTo("complete");
    assertThat(run.get("backend").get("mode").asText()).isEqualTo("batch");
    assertThat(runJson("sync.jsonl").get("backend").get("mode").asText()).isEqualTo("sync");
    JsonNode sub = run.get("batch").get("submissions").get(0);
    assertThat(sub.get("batch").asText()).isEqualTo("batch_1");
    assertThat(sub.get("state").asText()).isEqualTo("completed");
    assertThat(sub.get("requests").asInt()).isEqualTo(12);
    // half the list price: gpt-4o-mini is $0.15 / $0.60 per 1M tokens
    long in = run.get("session").get("tokens").get("input").asLong();
    long out = run.get("session").get("tokens").get("output").asLong();
    assertThat(in).isPositive();
    assertThat(run.get("session").get("cost_usd").asDouble())
        .isCloseTo((in * 0.15 + out * 0.60) / 1e6 * 0.5, org.assertj.core.api.Assertions.within(1e-8));
    assertThat(batch.progress().costUsd()).isCloseTo(sync.progress().costUsd() * 0.5,
        org.assertj.core.api.Assertions.within(1e-8));
  }

  @Test
  void should_ask_an_invalid_answer_again_once_in_the_next_batch_with_its_errors() throws IOException {
    FakeBatchServer s = server((req, n) -> {
      int u = unitOf(req);
      boolean retry = Json.line(req.path("messages")).contains("Your answer was not valid");
      if (u == 2 && !retry) {
        return new FakeOpenAi.Answer("{\"p@1\": {\"decision\": \"maybe\"}}");
      }
      if (u == 3) {
        return new FakeOpenAi.Answer("not json at all");
      }
      return new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"));
    }, i -> FakeBatchServer.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(4), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 2, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    assertThat(s.inputLines).extracting(l -> l.get("custom_id").asText())
        .containsExactly("u-1", "u-2", "u-3", "u-4", "u-2", "u-3");
    Map<String, String> o = outcomes("labels.jsonl");
    assertThat(o).containsEntry("u-2 p@1", "safe").containsEntry("u-3 q@2", "invalid");
    JsonNode invalid = labels("labels.jsonl").stream().filter(l -> l.get("unit").asText().equals("u-3")).findFirst().orElseThrow();
    assertThat(invalid.get("raw").asText()).isEqualTo("not json at all");
    assertThat(invalid.get("error").asText()).isEqualTo("not JSON: JsonParseException");
    assertThat(invalid.get("attempts").asInt()).isEqualTo(2); // the validation retry counts, as in synchronous runs
  }

  @Test
  void should_resubmit_the_unanswered_lines_of_an_expired_batch_and_account_for_every_unit() throws IOException {
    FakeBatchServer s = server(decisions(), i -> i == 1 ? new FakeBatchServer.Plan(1, "expired", false)
        : FakeBatchServer.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(6), "labels.jsonl").build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(12, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    assertThat(s.inputLines.subList(6, 9)).extracting(l -> l.get("custom_id").asText())
        .containsExactly("u-4", "u-5", "u-6");
    assertThat(notices).contains("batch batch_1: expired, 3/6 done, 3 failed");
    JsonNode u5 = labels("labels.jsonl").stream().filter(l -> l.get("unit").asText().equals("u-5")).findFirst().orElseThrow();
    assertThat(u5.get("attempts").asInt()).isEqualTo(2);
    assertThat(u5.get("batch").asText()).isEqualTo("batch_2");
  }

  @Test
  void should_resubmit_the_lines_a_cancelled_batch_never_ran() throws IOException {
    FakeBatchServer s = server(decisions(), i -> i == 1 ? new FakeBatchServer.Plan(1, "cancelled", false)
        : FakeBatchServer.Plan.completed(0));

    RunSummary r = BatchLabeler.run(config(s, units(4), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(8, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    assertThat(s.inputLines).hasSize(6);
  }

  @Test
  void should_retry_server_errors_per_line_and_fail_rejected_lines_at_once() throws IOException {
    FakeBatchServer s = server((req, n) -> {
      int u = unitOf(req);
      if (u == 2 && n <= 4) {
        return new FakeOpenAi.Error(500, "{\"error\":{\"message\":\"The server had an error\"}}", Map.of());
      }
      if (u == 3) {
        return new FakeOpenAi.Error(400, "{\"error\":{\"message\":\"Invalid image URL\"}}", Map.of());
      }
      return new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"));
    }, i -> FakeBatchServer.Plan.completed(0));

    RunSummary r = BatchLabeler.run(config(s, units(4), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 2, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    JsonNode failed = labels("labels.jsonl").stream().filter(l -> l.get("unit").asText().equals("u-3")).findFirst().orElseThrow();
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).isEqualTo("HTTP 400: Invalid image URL");
  }

  @Test
  void should_record_failed_after_the_attempt_limit_when_every_batch_fails_then_resume_them() throws IOException {
    FakeBatchServer s = server(decisions(), i -> i <= 2 ? new FakeBatchServer.Plan(0, "failed", false)
        : FakeBatchServer.Plan.completed(0));

    RunSummary first = BatchLabeler.run(config(s, units(3), "labels.jsonl").maxAttempts(2).build());

    assertThat(first.counts()).isEqualTo(new RunSummary.Counts(0, 0, 6, 0, 0));
    assertThat(labels("labels.jsonl").get(0).get("error").asText())
        .isEqualTo("no answer: batch batch_2 ended failed (invalid_json_line: line 1 is not valid (line 1))"
            + " (gave up after 2 attempts)");
    assertThat(runJson("labels.jsonl").get("batch").get("attempts").size()).isZero();

    RunSummary second = BatchLabeler.run(config(s, units(3), "labels.jsonl").maxAttempts(2).build());

    assertThat(second.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 6));
    assertThat(s.creates.get()).isEqualTo(3);
  }

  @Test
  void should_resume_polling_the_same_batch_when_killed_mid_poll() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(3));
    Path units = units(5);
    // dies like kill -9 right after the submission is recorded: no compaction, no final run.json
    LabelerConfig dying = config(s, units, "labels.jsonl").listener(new ProgressListener() {
      @Override
      public void notice(String message) {
        if (message.startsWith("submitted batch")) {
          throw new IllegalStateException("killed");
        }
      }
    }).build();
    assertThatThrownBy(() -> BatchLabeler.run(dying)).hasMessage("killed");
    JsonNode mid = runJson("labels.jsonl");
    assertThat(mid.get("status").asText()).isEqualTo("running");
    JsonNode sub = mid.get("batch").get("submissions").get(0);
    assertThat(sub.get("batch").asText()).isEqualTo("batch_1");
    assertThat(sub.get("units")).hasSize(5);

    RunSummary r = BatchLabeler.run(config(s, units, "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(10, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(s.inputLines).hasSize(5);
    assertThat(notices).contains("resuming 1 open batch recorded in " + LabelerConfig.defaultRunFile(dir.resolve("labels.jsonl")));
    assertThat(labels("labels.jsonl")).allMatch(l -> l.get("batch").asText().equals("batch_1"));
  }

  @Test
  void should_find_a_batch_created_before_a_crash_by_its_tag_instead_of_submitting_again() throws IOException {
    FakeBatchServer s = server(decisions(), i -> new FakeBatchServer.Plan(1, "completed", i == 1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(s.inputLines).hasSize(3);
    assertThat(notices).anyMatch(n -> n.startsWith("found batch batch_1 of submission plumb-"));
  }

  @Test
  void should_stop_after_submitting_and_collect_on_the_next_run_when_not_waiting() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(1));
    Path units = units(4);

    RunSummary first = BatchLabeler.run(config(s, units, "labels.jsonl").batch(true, false).build());
    assertThat(first.outcome()).isEqualTo(RunSummary.Outcome.SUBMITTED);
    assertThat(first.counts().missing()).isEqualTo(8);
    assertThat(runJson("labels.jsonl").get("status").asText()).isEqualTo("submitted");

    RunSummary second = BatchLabeler.run(config(s, units, "labels.jsonl").batch(true, false).build());
    assertThat(second.outcome()).isEqualTo(RunSummary.Outcome.SUBMITTED); // in progress at the first poll

    RunSummary third = BatchLabeler.run(config(s, units, "labels.jsonl").batch(true, false).build());
    assertThat(third.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(third.counts()).isEqualTo(new RunSummary.Counts(8, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(1);
  }

  @Test
  void should_take_answers_from_the_response_cache_without_submitting_them() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(0));
    Path units = units(3);
    BatchLabeler.run(config(s, units, "a.jsonl").cacheDir(dir.resolve("cache")).build());
    RunSummary again = BatchLabeler.run(config(s, units, "b.jsonl").cacheDir(dir.resolve("cache")).build());

    assertThat(again.counts().ok()).isEqualTo(6);
    assertThat(again.progress().cacheHits()).isEqualTo(3);
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(outcomes("b.jsonl")).isEqualTo(outcomes("a.jsonl"));
  }

  @Test
  void should_refuse_a_backend_without_a_batch_endpoint_in_one_line() {
    assertThat(BatchLabeler.batchRefusal("langchain4j", "anthropic")).isEmpty();
    assertThat(BatchLabeler.batchRefusal("local", null)).contains(
        "--batch is not supported with --backend local: it has no batch endpoint; label without --batch");
  }

  @Test
  void should_never_hold_a_unit_in_two_open_batches() throws IOException {
    FakeBatchServer s = server(decisions(), i -> i == 1 ? new FakeBatchServer.Plan(1, "expired", false)
        : FakeBatchServer.Plan.completed(2));
    BatchLabeler.run(config(s, units(7), "labels.jsonl").batchMaxRequests(3).build());
    // 3 batches of ≤ 3, then the expired one's unanswered lines again
    Set<String> seen = new HashSet<>();
    List<String> ids = s.inputLines.stream().map(l -> l.get("custom_id").asText()).toList();
    assertThat(ids.subList(0, 7)).allMatch(seen::add);
    assertThat(ids.subList(7, ids.size())).containsExactly("u-2", "u-3");
    assertThat(outcomes("labels.jsonl")).hasSize(14);
  }

  @Test
  void should_stop_at_once_when_the_key_is_refused_without_the_key_in_the_message_or_run_json() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(0));
    s.refuseKey = true;

    RunSummary r = BatchLabeler.run(config(s, units(2), "labels.jsonl").build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.STOPPED);
    assertThat(r.message()).startsWith("HTTP 401 from openai: the API key was refused (Incorrect API key provided:"
        + " [redacted]); check OPENAI_API_KEY").doesNotContain(KEY);
    assertThat(r.counts().missing()).isEqualTo(4);
    JsonNode run = runJson("labels.jsonl");
    assertThat(run.get("status").asText()).isEqualTo("stopped");
    assertThat(run.get("batch").get("submissions")).isEmpty(); // nothing was created: a rerun submits afresh
    assertThat(s.creates.get()).isZero();
  }

  @Test
  void should_stop_submitting_at_the_budget_and_still_collect_what_was_submitted() throws IOException {
    FakeBatchServer s = server(decisions(), i -> FakeBatchServer.Plan.completed(0));
    // gpt-4o-mini in batch: $0.075 / $0.30 per 1M; each request's worst case is about 700 output tokens
    // ($0.00021) plus a ~60-token prompt: two fit under $0.0005, the third does not
    RunSummary r = BatchLabeler.run(config(s, units(4), "labels.jsonl").budgetUsd(0.0005).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.BUDGET_REACHED);
    assertThat(r.message()).startsWith("stopped submitting before exceeding --budget-usd 0.0005: what this run"
        + " submitted could cost up to $0.0004");
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(4, 0, 0, 4, 0));
    assertThat(s.inputLines).hasSize(2);
  }

  @Test
  void should_label_with_the_llama_guard_profile_in_batch_mode_one_line_per_unit_without_a_response_format()
      throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    dev.plumb.labeler.prompt.PromptBundle bundle = dev.plumb.labeler.prompt.PromptCompiler.compile(
        dev.plumb.labeler.policy.PolicyLibrary.load(root.resolve("policies")).select(List.of("harassment@1", "self_harm@2")),
        root.resolve("prompts"), dev.plumb.labeler.prompt.ModelParams.DEFAULT);
    LabelingPrompt prompt = dev.plumb.labeler.profile.Profile.parse("llama-guard").prompt(bundle, dir,
        new dev.plumb.labeler.profile.Profile.Settings(false, null,
            dev.plumb.labeler.profile.Profile.Settings.filesUnder(Path.of("policies")), n -> {}));
    FakeBatchServer s = server((req, n) -> new FakeOpenAi.Answer(
        Json.line(req.path("messages")).contains("query number 3") ? "unsafe\nS2" : "safe"),
        i -> FakeBatchServer.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").prompt(prompt).maxOutputTokens(20).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(s.inputLines).hasSize(3);
    for (JsonNode line : s.inputLines) {
      assertThat(line.path("body").has("response_format")).isFalse();
      assertThat(line.at("/body/messages/0/content").asText()).startsWith("Task: Check if there is unsafe content in 'User'");
    }
    Map<String, String> decisions = new java.util.TreeMap<>();
    labels("labels.jsonl").forEach(l -> decisions.put(l.path("unit").asText() + " " + l.path("policy").asText(),
        l.path("decision").asText() + " " + l.path("mode").asText()));
    assertThat(decisions).containsExactly(
        Map.entry("u-1 harassment@1", "safe batch"), Map.entry("u-1 self_harm@2", "safe batch"),
        Map.entry("u-2 harassment@1", "safe batch"), Map.entry("u-2 self_harm@2", "safe batch"),
        Map.entry("u-3 harassment@1", "safe batch"), Map.entry("u-3 self_harm@2", "violating batch"));
  }
}
