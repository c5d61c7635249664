package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLabelerTest {
  static final String KEY = "sk-test-DO-NOT-LEAK-0123456789";

  @TempDir Path dir;
  private final List<FakeOpenAi> servers = new ArrayList<>();
  private final List<Backend> backends = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    backends.forEach(Backend::close);
    servers.forEach(FakeOpenAi::close);
    assertNoKeyIn(dir);
    for (String n : notices) {
      assertThat(n).doesNotContain(KEY);
    }
  }

  // ---------- helpers ----------

  private FakeOpenAi server(FakeOpenAi.Behaviour b) throws IOException {
    FakeOpenAi s = new FakeOpenAi(b);
    servers.add(s);
    return s;
  }

  private Path units(int n, boolean pins) throws IOException {
    Path f = dir.resolve("units.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      ObjectNode u = Json.object();
      u.put("id", "u-" + i);
      var comps = u.putArray("components");
      comps.addObject().put("id", "query").put("kind", "query").put("text", "query number " + i);
      comps.addObject().put("id", "response").put("kind", "response").put("text", "response text " + i);
      if (pins) {
        comps.addObject().put("id", "pin-" + i).put("kind", "pin").put("text", "a pin").put("image", "https://img.example/" + i + ".jpg");
      }
      sb.append(Json.line(u)).append('\n');
    }
    Files.writeString(f, sb.toString());
    return f;
  }

  private LabelerConfig.Builder config(FakeOpenAi server, LabelingPrompt prompt, Path units) {
    Notices n = new Notices();
    Backend backend =
        Backends.create(
            new BackendSpec("openai", null, "gpt-4o-mini", server.baseUrl(), Duration.ofSeconds(2), 8),
            Credentials.of(Map.of("OPENAI_API_KEY", KEY), null), n);
    backends.add(backend);
    return LabelerConfig.builder()
        .units(units)
        .out(dir.resolve("labels.jsonl"))
        .prompt(prompt)
        .backend(backend)
        .baseUrl(server.baseUrl())
        .maxConcurrency(8)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(40))
        .progressInterval(Duration.ofMillis(10))
        .notices(n)
        .listener(new ProgressListener() {
          @Override
          public void notice(String message) {
            notices.add(message);
          }
        });
  }

  private List<JsonNode> labels() {
    List<JsonNode> out = new ArrayList<>();
    Jsonl.forEach(dir.resolve("labels.jsonl"), l -> out.add(l.node()));
    return out;
  }

  private JsonNode runJson() throws IOException {
    return Json.mapper().readTree(Files.readString(dir.resolve("labels.run.json")));
  }

  /** Exactly one record per unit × policy, and run.json's counts are the file's. */
  private void assertCompleteAndConsistent(int units, List<String> policies) throws IOException {
    List<JsonNode> labels = labels();
    Set<String> pairs = new HashSet<>();
    Map<String, Integer> status = new HashMap<>();
    for (JsonNode l : labels) {
      assertThat(pairs.add(l.get("unit").asText() + " " + l.get("policy").asText()))
          .as("duplicate record %s", l).isTrue();
      status.merge(l.get("status").asText(), 1, Integer::sum);
    }
    for (int i = 1; i <= units; i++) {
      for (String p : policies) {
        assertThat(pairs).contains("u-" + i + " " + p);
      }
    }
    assertThat(labels).hasSize(units * policies.size());
    JsonNode counts = runJson().get("counts");
    assertThat(counts.get("ok").asInt()).isEqualTo(status.getOrDefault("ok", 0));
    assertThat(counts.get("invalid").asInt()).isEqualTo(status.getOrDefault("invalid", 0));
    assertThat(counts.get("failed").asInt()).isEqualTo(status.getOrDefault("failed", 0));
    assertThat(counts.get("missing").asInt()).isZero();
  }

  private static void assertNoKeyIn(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).as(f.toString()).doesNotContain(KEY);
        }
      }
    }
  }

  // ---------- structured answers → label records ----------

  @Test
  void should_map_structured_answers_to_label_records_for_one_policy() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Answer(
        "{\"self_harm@3\":{\"decision\":\"violating\",\"category\":\"promotion\",\"confidence\":0.91,"
            + "\"rationale\":\"encourages it\",\"evidence\":[\"response\"]}}"));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("self_harm@3"), units(3, false)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(3, List.of("self_harm@3"));
    JsonNode l = labels().stream().filter(x -> x.get("unit").asText().equals("u-2")).findFirst().orElseThrow();
    List<String> fields = new ArrayList<>();
    l.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly(
        "unit", "policy", "decision", "positive", "category", "confidence", "rationale", "evidence", "status",
        "model", "backend", "prompt", "attempts", "latency_ms", "usage", "cost_usd");
    assertThat(l.get("policy").asText()).isEqualTo("self_harm@3");
    assertThat(l.get("decision").asText()).isEqualTo("violating");
    assertThat(l.get("positive").asBoolean()).isTrue();
    assertThat(l.get("category").asText()).isEqualTo("promotion");
    assertThat(l.get("confidence").asDouble()).isEqualTo(0.91);
    assertThat(l.get("evidence").get(0).asText()).isEqualTo("response");
    assertThat(l.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(l.get("backend").asText()).isEqualTo("openai");
    assertThat(l.get("prompt").asText()).isEqualTo(new FakePrompt("self_harm@3").fingerprint());
    assertThat(l.get("attempts").asInt()).isEqualTo(1);
    assertThat(l.get("usage").get("input").asLong()).isPositive();
    assertThat(l.get("cost_usd").decimalValue()).isPositive();
    // the request: strict json_schema, the key only in the Authorization header
    JsonNode req = s.requests.get(0);
    assertThat(req.at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(req.at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(req.at("/max_completion_tokens").asInt()).isEqualTo(LabelerConfig.defaultMaxOutputTokens(1));
    assertThat(s.authorizations).allMatch(a -> a.equals("Bearer " + KEY));
  }

  @Test
  void should_label_several_policies_with_one_request_per_unit_and_split_usage() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    List<String> policies = List.of("hate@1", "self_harm@3", "violence@2");
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt(policies.toArray(String[]::new)), units(5, false)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(s.count()).isEqualTo(5);
    assertCompleteAndConsistent(5, policies);
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(15, 0, 0, 0, 0));
    long totalInput = labels().stream().mapToLong(l -> l.at("/usage/input").asLong()).sum();
    assertThat(totalInput).isEqualTo(r.progress().inputTokens());
    assertThat(runJson().at("/session/requests").asInt()).isEqualTo(5);
  }

  @Test
  void should_send_pin_images_as_image_parts_and_text_instead_when_images_are_off() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(2, true);
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build());
    JsonNode content = s.requests.get(0).at("/messages/1/content");
    assertThat(content.isArray()).isTrue();
    List<String> urls = new ArrayList<>();
    content.forEach(part -> {
      if (part.path("type").asText().equals("image_url")) {
        urls.add(part.at("/image_url/url").asText());
      }
    });
    assertThat(urls).hasSize(1).allMatch(u -> u.startsWith("https://img.example/"));

    Files.delete(dir.resolve("labels.jsonl"));
    s.requests.clear();
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).images(false).build());
    assertThat(s.requests.get(0).at("/messages/1/content").isTextual()).isTrue();
    assertThat(runJson().at("/settings/images").asBoolean()).isFalse();
    assertThat(labels()).allMatch(l -> l.get("images_omitted").get(0).asText().startsWith("pin-"));
  }

  @Test
  void should_fall_back_to_json_object_once_when_the_server_refuses_json_schema() throws IOException {
    AtomicInteger refusals = new AtomicInteger();
    FakeOpenAi s = server((req, n) -> {
      if (req.at("/response_format/type").asText().equals("json_schema")) {
        refusals.incrementAndGet();
        return new FakeOpenAi.Error(400,
            "{\"error\":{\"message\":\"'response_format.type' must be 'json_object' or 'text'\",\"type\":\"invalid_request_error\"}}",
            Map.of());
      }
      return new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"));
    });
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(10, false)).maxConcurrency(1).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(10, List.of("p@1"));
    assertThat(refusals.get()).isEqualTo(1);
    assertThat(runJson().at("/backend/response_format").asText()).isEqualTo("json_object");
    assertThat(notices).anyMatch(n -> n.contains("refused the json_schema response format; using json_object"));
    JsonNode later = s.requests.get(s.requests.size() - 1);
    assertThat(later.at("/response_format/type").asText()).isEqualTo("json_object");
    assertThat(later.at("/messages/1/content").asText()).contains("JSON Schema:");
  }

  @Test
  void should_label_with_a_compiled_prompt_bundle_end_to_end() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    PolicyLibrary library = PolicyLibrary.load(root.resolve("policies"));
    List<Policy> selected = library.select(List.of("self_harm", "harassment"));
    PromptBundle bundle = PromptCompiler.compile(selected, root.resolve("prompts"), new ModelParams(0.0, 600));
    FakeOpenAi s = server((req, n) -> {
      ObjectNode answer = Json.object();
      for (Policy p : selected) {
        ObjectNode a = answer.putObject(p.id());
        a.put("rationale", "Nothing here matches a rule.");
        a.putArray("evidence");
        a.put("decision", p.decisions().stream().filter(d -> !d.positive()).findFirst().orElseThrow().id());
        a.putNull("category");
        a.put("confidence", 0.8);
      }
      return new FakeOpenAi.Answer(Json.line(answer));
    });
    Path units = units(3, false);
    RunSummary r = BatchLabeler.run(config(s, LabelingPrompt.of(bundle, dir), units).build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(labels()).allMatch(l -> l.get("prompt").asText().equals(bundle.fingerprint()));
    assertThat(labels()).extracting(l -> l.get("policy").asText()).containsOnly("self_harm@2", "harassment@1");
    JsonNode req = s.requests.get(0);
    assertThat(req.at("/temperature").asDouble()).isZero();
    assertThat(req.at("/max_completion_tokens").asInt()).isEqualTo(600);
    assertThat(req.at("/response_format/json_schema/schema")).isEqualTo(bundle.strictSchema());
    assertThat(req.at("/messages/0/content").asText()).isEqualTo(bundle.systemMessage());
  }

  // ---------- validation ----------

  @Test
  void should_retry_once_with_the_validation_error_then_record_ok() throws IOException {
    FakeOpenAi s = server((req, n) -> {
      boolean retry = req.path("messages").size() > 2;
      return new FakeOpenAi.Answer(retry
          ? FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")
          : "{\"p@1\":{\"decision\":\"maybe\",\"category\":null,\"confidence\":0.5,\"rationale\":\"\",\"evidence\":[]}}");
    });
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units(1, false)).build());

    JsonNode l = labels().get(0);
    assertThat(l.get("status").asText()).isEqualTo("ok");
    assertThat(l.get("attempts").asInt()).isEqualTo(2);
    JsonNode retry = s.requests.get(1).get("messages");
    assertThat(retry.get(2).get("role").asText()).isEqualTo("assistant");
    assertThat(retry.get(3).get("content").asText())
        .isEqualTo("Your answer was not valid: p@1.decision: \"maybe\" is not one of safe, violating."
            + " Answer again with one JSON object that follows the schema exactly.");
  }

  @Test
  void should_record_invalid_with_the_raw_text_for_malformed_truncated_and_refused_answers() throws IOException {
    FakeOpenAi s = server((req, n) -> {
      String unit = req.at("/messages/1/content").asText();
      if (unit.contains("u-1:")) {
        return new FakeOpenAi.Answer("{\"p@1\": {\"decision\": \"safe\", \"confid", 0, Map.of(), "length");
      }
      if (unit.contains("u-2:")) {
        return new FakeOpenAi.Answer("I cannot help with that.");
      }
      return new FakeOpenAi.Answer("{\"p@1\":{\"decision\":\"violating\",\"category\":null,\"confidence\":7,\"rationale\":\"\",\"evidence\":[\"nope\"]}}");
    });
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(3, false)).build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(0, 3, 0, 0, 0));
    assertCompleteAndConsistent(3, List.of("p@1"));
    Map<String, JsonNode> byUnit = new HashMap<>();
    labels().forEach(l -> byUnit.put(l.get("unit").asText(), l));
    assertThat(byUnit.get("u-1").get("raw").asText()).isEqualTo("{\"p@1\": {\"decision\": \"safe\", \"confid");
    assertThat(byUnit.get("u-1").get("error").asText())
        .startsWith("the answer was cut off at 450 output tokens (raise --max-output-tokens); not JSON");
    assertThat(byUnit.get("u-2").get("raw").asText()).isEqualTo("I cannot help with that.");
    assertThat(byUnit.get("u-3").get("error").asText()).isEqualTo("p@1.confidence: must be in [0,1]");
    assertThat(byUnit.values()).allMatch(l -> l.get("attempts").asInt() == 2 && !l.has("decision"));
    assertThat(s.count()).isEqualTo(6);
  }

  // ---------- rate limits ----------

  @Test
  void should_survive_a_429_storm_with_retry_after_and_pause_everyone() throws IOException {
    FakeOpenAi s = server((req, n) -> n % 3 == 0
        ? new FakeOpenAi.Error(429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
            Map.of("retry-after-ms", "30", "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "30ms"))
        : new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(20, false)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(20, List.of("p@1"));
    assertThat(r.progress().rateLimited()).isPositive();
    assertThat(runJson().at("/session/rate_limited").asLong()).isEqualTo(r.progress().rateLimited());
    assertThat(labels()).allMatch(l -> l.get("status").asText().equals("ok"));
  }

  @Test
  void should_back_off_on_429_without_retry_after() throws IOException {
    FakeOpenAi s = server((req, n) -> n <= 4
        ? new FakeOpenAi.Error(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of())
        : new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")));
    long t0 = System.nanoTime();
    RunSummary r = BatchLabeler.run(
        config(s, new FakePrompt("p@1"), units(4, false)).backoff(Duration.ofMillis(100), Duration.ofMillis(400)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(r.progress().rateLimited()).isEqualTo(4);
    assertCompleteAndConsistent(4, List.of("p@1"));
    // everyone paused at least 25 ms after the first 429 (half of base/2, the smallest jittered pause)
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(25));
  }

  @Test
  void should_learn_limits_from_headers_when_none_are_configured() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"), 0,
        Map.of("x-ratelimit-limit-requests", "6000", "x-ratelimit-remaining-requests", "5999",
            "x-ratelimit-limit-tokens", "2000000", "x-ratelimit-remaining-tokens", "1999000",
            "x-ratelimit-reset-requests", "10ms", "x-ratelimit-reset-tokens", "6m0s"), "stop"));
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units(5, false)).build());
    JsonNode limits = runJson().get("limits");
    assertThat(limits.get("rpm_in_force").asDouble()).isEqualTo(6000);
    assertThat(limits.get("tpm_in_force").asDouble()).isEqualTo(2_000_000);
    assertThat(limits.get("rpm_configured").asDouble()).isZero();
  }

  /**
   * Regression: a worker killed by an Error (out of memory, a native library failing) used to die
   * without giving its job back, and the run waited forever for it.
   */
  @Test
  void should_stop_and_rethrow_when_a_worker_dies_of_an_error_instead_of_waiting_forever() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Answer(
        "{\"p@1\":{\"decision\":\"safe\",\"category\":null,\"confidence\":0.9,\"rationale\":\"ok\",\"evidence\":[]}}"));
    LabelerConfig.Builder b = config(s, new FakePrompt("p@1"), units(40, false));
    Backend real = backends.get(backends.size() - 1);
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    Backend dying = new Backend() {
      @Override public String name() { return real.name(); }
      @Override public String model() { return real.model(); }
      @Override public String provider() { return real.provider(); }
      @Override public boolean supportsImages() { return real.supportsImages(); }
      @Override public boolean remote() { return real.remote(); }
      @Override public String responseFormat() { return real.responseFormat(); }
      @Override public void close() { }
      @Override public dev.plumb.labeler.backend.ModelReply call(dev.plumb.labeler.backend.ModelRequest request) {
        if (calls.incrementAndGet() == 5) {
          throw new StackOverflowError("simulated");
        }
        return real.call(request);
      }
    };
    LabelerConfig cfg = b.backend(dying).maxConcurrency(4).build();
    Throwable thrown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> org.assertj.core.api.Assertions.catchThrowable(() -> BatchLabeler.run(cfg)));
    assertThat(thrown).isInstanceOf(StackOverflowError.class).hasMessage("simulated");
  }

  @Test
  void should_stop_at_once_when_the_quota_is_exhausted() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Error(429,
        "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\","
            + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}", Map.of()));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(30, false)).maxConcurrency(1).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.STOPPED);
    assertThat(r.message()).isEqualTo(
        "the openai account has no credit or quota left (You exceeded your current quota, please check your plan"
            + " and billing details.); add credit or raise the spending limit, then run the same command to resume");
    assertThat(s.count()).isLessThanOrEqualTo(2);
    assertThat(r.counts().missing()).isEqualTo(30);
    assertThat(runJson().get("status").asText()).isEqualTo("stopped");
  }

  @Test
  void should_stop_at_once_on_401_without_leaking_the_key() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Error(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". You can find your API key at"
            + " https://platform.openai.com/account/api-keys.\",\"code\":\"invalid_api_key\"}}", Map.of()));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(30, false)).maxConcurrency(1).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.STOPPED);
    assertThat(r.message()).isEqualTo(
        "HTTP 401 from openai: the API key was refused (Incorrect API key provided: [redacted]. You can find your"
            + " API key at https://platform.openai.com/account/api-keys.); check OPENAI_API_KEY (and the"
            + " organization or project it belongs to)");
    assertThat(r.message()).doesNotContain(KEY);
    assertThat(s.count()).isEqualTo(1);
  }

  // ---------- transient failures ----------

  @Test
  void should_retry_500_and_503_then_record_failed_after_bounded_attempts() throws IOException {
    FakeOpenAi s = server((req, n) -> {
      String unit = req.at("/messages/1/content").asText();
      if (unit.contains("u-1:")) {
        return new FakeOpenAi.Error(503, "{\"error\":{\"message\":\"overloaded\"}}", Map.of());
      }
      if (unit.contains("u-2:") && n < 6) {
        return new FakeOpenAi.Error(500, "{\"error\":{\"message\":\"boom\"}}", Map.of());
      }
      return new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"));
    });
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(20, false)).maxAttempts(4).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(20, List.of("p@1"));
    JsonNode failed = labels().stream().filter(l -> l.get("status").asText().equals("failed")).findFirst().orElseThrow();
    assertThat(failed.get("unit").asText()).isEqualTo("u-1");
    assertThat(failed.get("error").asText()).isEqualTo("HTTP 503: overloaded (gave up after 4 attempts)");
    assertThat(failed.get("attempts").asInt()).isEqualTo(4);
    assertThat(r.counts().failed()).isEqualTo(1);
  }

  @Test
  void should_time_out_slow_responses_and_record_the_reason() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Answer(
        FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"),
        req.at("/messages/1/content").asText().contains("u-1:") ? 3_000 : 0, Map.of(), "stop"));
    Notices n = new Notices();
    Backend fast = Backends.create(
        new BackendSpec("openai", null, "gpt-4o-mini", s.baseUrl(), Duration.ofMillis(300), 8),
        Credentials.of(Map.of("OPENAI_API_KEY", KEY), null), n);
    backends.add(fast);
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(30, false)).backend(fast).maxAttempts(2).build());

    assertCompleteAndConsistent(30, List.of("p@1"));
    JsonNode failed = labels().stream().filter(l -> l.get("unit").asText().equals("u-1")).findFirst().orElseThrow();
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).isEqualTo("no answer within 0.3 s (timeout) (gave up after 2 attempts)");
    assertThat(r.counts().ok()).isEqualTo(29);
  }

  @Test
  void should_retry_dropped_connections() throws IOException {
    FakeOpenAi s = server((req, n) -> n % 4 == 1
        ? new FakeOpenAi.Drop()
        : new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(12, false)).build());
    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(12, List.of("p@1"));
    assertThat(labels()).allMatch(l -> l.get("status").asText().equals("ok"));
    assertThat(r.progress().errors()).isPositive();
  }

  @Test
  void should_open_the_circuit_breaker_when_most_requests_fail() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Error(500, "{\"error\":{\"message\":\"down\"}}", Map.of()));
    RunSummary r = BatchLabeler.run(config(s, new FakePrompt("p@1"), units(200, false)).breaker(20, 10, 0.5).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.CIRCUIT_OPEN);
    assertThat(r.message()).startsWith("stopped: ").contains(" of the last ").contains("(last: HTTP 500: down)");
    assertThat(s.count()).isLessThan(100);
    assertThat(r.counts().missing()).isPositive();
    assertThat(runJson().get("status").asText()).isEqualTo("circuit_open");
  }

  @Test
  void should_end_every_unit_ok_invalid_or_failed_under_random_faults() throws IOException {
    Random rnd = new Random(42);
    Map<Integer, Integer> plan = new ConcurrentHashMap<>();
    FakeOpenAi s = server((req, n) -> {
      int roll = plan.computeIfAbsent(n, k -> {
        synchronized (rnd) {
          return rnd.nextInt(100);
        }
      });
      String answer = FakePrompt.answerFor(FakeOpenAi.schemaOf(req), roll % 2 == 0 ? "safe" : "violating");
      if (roll < 8) return new FakeOpenAi.Error(500, "{\"error\":{\"message\":\"e\"}}", Map.of());
      if (roll < 12) return new FakeOpenAi.Error(429, "{}", Map.of("retry-after-ms", "5"));
      if (roll < 15) return new FakeOpenAi.Drop();
      if (roll < 18) return new FakeOpenAi.Answer("{not json");
      if (roll < 20) return new FakeOpenAi.Raw("<html>bad gateway</html>");
      return new FakeOpenAi.Answer(answer);
    });
    List<String> policies = List.of("a@1", "b@2");
    RunSummary r = BatchLabeler.run(
        config(s, new FakePrompt("a@1", "b@2"), units(60, false)).maxAttempts(3).breaker(50, 20, 0.8).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertCompleteAndConsistent(60, policies);
    assertThat(r.counts().total()).isEqualTo(120);
    assertThat(r.counts().ok()).isGreaterThan(80);
  }

  // ---------- budget, cache, dry run ----------

  @Test
  void should_stop_before_exceeding_the_budget() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    PriceTable.Price price = PriceTable.builtIn().price("gpt-4o-mini").orElseThrow();
    double budget = price.cost(200, 450) * 3; // room for a few calls: each reserves its worst case first
    RunSummary r = BatchLabeler.run(
        config(s, new FakePrompt("p@1"), units(50, false)).maxConcurrency(1).budgetUsd(budget).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.BUDGET_REACHED);
    assertThat(r.message()).startsWith("stopped before exceeding --budget-usd ");
    assertThat(r.progress().costUsd()).isLessThanOrEqualTo(budget);
    assertThat(r.counts().ok()).isBetween(1L, 49L);
    assertThat(r.counts().ok() + r.counts().missing()).isEqualTo(50);
  }

  @Test
  void should_refuse_a_budget_for_a_model_without_a_price() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Notices n = new Notices();
    Backend b = Backends.create(new BackendSpec("openai", null, "my-local-llama", s.baseUrl(), Duration.ofSeconds(2), 4),
        Credentials.of(Map.of(), null), n);
    backends.add(b);
    LabelerConfig cfg = config(s, new FakePrompt("p@1"), units(2, false)).backend(b).budgetUsd(1.0).build();
    assertThatThrownBy(() -> BatchLabeler.run(cfg))
        .isInstanceOf(InputException.class)
        .hasMessage("--budget-usd needs the price of model \"my-local-llama\", which the price table does not know:"
            + " add it with --prices FILE");
    assertThat(s.count()).isZero();
  }

  @Test
  void should_answer_identical_requests_from_the_cache_across_runs() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(6, false);
    Path cacheDir = dir.resolve("cache");
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).cacheDir(cacheDir).build());
    assertThat(s.count()).isEqualTo(6);

    // a new output file (e.g. a prompt experiment): identical requests cost nothing
    RunSummary again = BatchLabeler.run(
        config(s, new FakePrompt("p@1"), units).out(dir.resolve("again.jsonl")).cacheDir(cacheDir).build());
    assertThat(s.count()).isEqualTo(6);
    assertThat(again.progress().cacheHits()).isEqualTo(6);
    List<JsonNode> cached = new ArrayList<>();
    Jsonl.forEach(dir.resolve("again.jsonl"), l -> cached.add(l.node()));
    assertThat(cached).hasSize(6).allMatch(l -> l.get("cached").asBoolean() && l.get("cost_usd").asDouble() == 0);

    // one changed unit costs one request
    String text = Files.readString(units).replace("response text 3\"", "response text 3, edited\"");
    Files.writeString(units, text);
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).out(dir.resolve("third.jsonl")).cacheDir(cacheDir).build());
    assertThat(s.count()).isEqualTo(7);

    // --no-cache asks again
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).out(dir.resolve("fourth.jsonl")).build());
    assertThat(s.count()).isEqualTo(13);
  }

  @Test
  void should_estimate_tokens_cost_and_time_without_sending_anything() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    DryRunEstimate e = BatchLabeler.estimate(
        config(s, new FakePrompt("a@1", "b@1"), units(100, true)).rpm(600).tpm(60_000).build());

    assertThat(s.count()).isZero();
    assertThat(Files.exists(dir.resolve("labels.jsonl"))).isFalse();
    assertThat(e.units()).isEqualTo(100);
    assertThat(e.labels()).isEqualTo(200);
    assertThat(e.requests()).isEqualTo(100);
    assertThat(e.images()).isEqualTo(100);
    assertThat(e.tokenizer()).isEqualTo("o200k_base");
    assertThat(e.promptTokens()).isGreaterThan(100 * TokenEstimator.IMAGE_TOKENS);
    assertThat(e.maxOutputTokens()).isEqualTo(100 * 700);
    assertThat(e.inputCostUsd()).isEqualTo(e.price().cost(e.promptTokens(), 0));
    // tokens bind: (prompt + output cap) / (60k × 0.98) minutes
    double minutes = (e.promptTokens() + e.maxOutputTokens()) / (60_000 * 0.98);
    assertThat(e.time().getSeconds()).isEqualTo((long) Math.ceil(minutes * 60));
  }

  // ---------- durability ----------

  @Test
  void should_resume_without_loss_or_duplicates_after_interruptions_at_many_points() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(25, false);
    List<String> policies = List.of("a@1", "b@1");
    BatchLabeler.run(config(s, new FakePrompt("a@1", "b@1"), units).build());
    byte[] complete = Files.readAllBytes(dir.resolve("labels.jsonl"));
    Random rnd = new Random(7);
    for (int trial = 0; trial < 8; trial++) {
      // kill -9 at a random moment = the file cut at a random byte, possibly mid-line
      int cut = trial == 0 ? 0 : trial == 1 ? complete.length : rnd.nextInt(complete.length);
      Files.write(dir.resolve("labels.jsonl"), java.util.Arrays.copyOf(complete, cut));
      int before = s.count();
      RunSummary r = BatchLabeler.run(config(s, new FakePrompt("a@1", "b@1"), units).build());
      assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
      assertCompleteAndConsistent(25, policies);
      int wholeLines = 0;
      for (int i = 0; i < cut; i++) {
        if (complete[i] == '\n') wholeLines++;
      }
      // a cut just before a newline leaves a whole record without its newline, which the reader keeps
      if (cut > 0 && cut < complete.length && complete[cut] == '\n' && complete[cut - 1] != '\n') wholeLines++;
      // only units without both labels were asked again
      Set<String> kept = new HashSet<>();
      String[] lines = new String(complete, 0, cut, StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < wholeLines; i++) {
        kept.add(lines[i].replaceAll(".*\"unit\":\"(u-\\d+)\".*", "$1") + lines[i].replaceAll(".*\"policy\":\"([a-z@0-9]+)\".*", "$1"));
      }
      long unitsComplete = java.util.stream.IntStream.rangeClosed(1, 25)
          .filter(i -> kept.contains("u-" + i + "a@1") && kept.contains("u-" + i + "b@1")).count();
      assertThat(s.count() - before).as("requests after a cut at byte %d", cut).isEqualTo(25 - (int) unitsComplete);
    }
  }

  @Test
  void should_resume_after_being_stopped_mid_stream_with_answers_in_flight() throws IOException {
    FakeOpenAi s = server((req, n) -> new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe"), 20,
        Map.of(), "stop"));
    Path units = units(60, false);
    java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
    RunSummary first = BatchLabeler.run(config(s, new FakePrompt("a@1", "b@1"), units).cancel(cancel)
        .listener(new ProgressListener() {
          @Override
          public void progress(Progress p) {
            if (p.done() >= 20) {
              cancel.set(true);
            }
          }
        }).build());
    assertThat(first.outcome()).isEqualTo(RunSummary.Outcome.INTERRUPTED);
    assertThat(first.counts().missing()).isPositive();
    assertThat(first.counts().ok() % 2).isZero(); // a unit's records are written together or not at all
    RunSummary second = BatchLabeler.run(config(s, new FakePrompt("a@1", "b@1"), units).build());
    assertThat(second.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(second.progress().resumed()).isEqualTo(first.counts().ok());
    assertCompleteAndConsistent(60, List.of("a@1", "b@1"));
  }

  @Test
  void should_repair_a_torn_last_line_and_say_so() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(3, false);
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build());
    String text = Files.readString(dir.resolve("labels.jsonl"));
    String torn = text.substring(0, text.length() - 30);
    Files.writeString(dir.resolve("labels.jsonl"), torn);
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build());
    assertCompleteAndConsistent(3, List.of("p@1"));
    int tornBytes = torn.length() - (torn.lastIndexOf('\n') + 1);
    assertThat(notices).contains(dir.resolve("labels.jsonl")
        + ": removed a torn last line (" + tornBytes + " bytes) left by an interrupted run");
    assertThat(runJson().get("repair").asText()).startsWith("removed a torn last line");
  }

  @Test
  void should_retry_failed_labels_on_resume_and_keep_one_record_per_pair() throws IOException {
    AtomicInteger mode = new AtomicInteger();
    FakeOpenAi s = server((req, n) -> mode.get() == 0 && req.at("/messages/1/content").asText().contains("u-2:")
        ? new FakeOpenAi.Error(500, "{\"error\":{\"message\":\"x\"}}", Map.of())
        : new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")));
    Path units = units(5, false);
    RunSummary first = BatchLabeler.run(config(s, new FakePrompt("p@1"), units).maxAttempts(2).build());
    assertThat(first.counts().failed()).isEqualTo(1);
    JsonNode firstTokens = runJson().at("/session/tokens");
    mode.set(1);
    int before = s.count();
    RunSummary second = BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build());
    assertThat(s.count() - before).isEqualTo(1);
    assertThat(second.counts()).isEqualTo(new RunSummary.Counts(5, 0, 0, 0, 1));
    assertCompleteAndConsistent(5, List.of("p@1"));
    assertThat(runJson().at("/total/requests").asInt()).isEqualTo(s.count());
    // the total adds this session's tokens to the previous run.json's, count by count
    JsonNode secondTokens = runJson().at("/session/tokens");
    JsonNode total = runJson().at("/total/tokens");
    for (String k : List.of("input", "cached_input", "cache_write_input", "output")) {
      assertThat(total.get(k).asLong()).as(k).isEqualTo(firstTokens.get(k).asLong() + secondTokens.get(k).asLong());
    }
    assertThat(total.get("input").asLong()).isGreaterThan(secondTokens.get("input").asLong());
  }

  @Test
  void should_relabel_when_the_prompt_changes_and_supersede_the_old_records() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(4, false);
    BatchLabeler.run(config(s, FakePrompt.versioned("v1", "p@1"), units).build());
    RunSummary r = BatchLabeler.run(config(s, FakePrompt.versioned("v2", "p@1"), units).build());
    assertThat(s.count()).isEqualTo(8);
    assertThat(r.counts().superseded()).isEqualTo(4);
    assertCompleteAndConsistent(4, List.of("p@1"));
    assertThat(labels()).allMatch(l -> l.get("prompt").asText().equals(FakePrompt.versioned("v2", "p@1").fingerprint()));
  }

  @Test
  void should_refuse_a_second_run_on_the_same_output() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(2, false);
    Path out = dir.resolve("labels.jsonl");
    try (FileChannel ch = FileChannel.open(LabelStore.lockFile(out), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var lock = ch.lock()) {
      assertThatThrownBy(() -> BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build()))
          .isInstanceOf(PlumbException.class)
          .hasMessage(out + " is being written by another plumb label run (it holds labels.jsonl.lock);"
              + " wait for that run to finish, or label into another --out");
    }
    assertThat(s.count()).isZero();
  }

  @Test
  void should_reject_bad_units_before_sending_anything() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    Path units = units(3, false);
    Files.writeString(units, Files.readString(units) + "{\"id\":\"u-2\",\"components\":[{\"id\":\"t\",\"text\":\"x\"}]}\n");
    assertThatThrownBy(() -> BatchLabeler.run(config(s, new FakePrompt("p@1"), units).build()))
        .isInstanceOf(InputException.class)
        .hasMessage(units + ":4: id: duplicate unit id \"u-2\" (first on line 2)");
    assertThat(s.count()).isZero();
    assertThat(Files.exists(dir.resolve("labels.jsonl"))).isFalse();
  }

  @Test
  void should_write_a_run_file_without_secrets() throws IOException {
    FakeOpenAi s = server(FakeOpenAi.alwaysSafe());
    BatchLabeler.run(config(s, new FakePrompt("p@1"), units(2, false)).setting("command", "plumb label ...").build());
    JsonNode run = runJson();
    assertThat(run.get("format").asText()).isEqualTo("plumb.label-run/1");
    assertThat(run.get("status").asText()).isEqualTo("complete");
    assertThat(run.get("prompt").asText()).isEqualTo(new FakePrompt("p@1").fingerprint());
    assertThat(run.at("/backend/model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(run.at("/backend/response_format").asText()).isEqualTo("json_schema");
    assertThat(run.at("/units/count").asInt()).isEqualTo(2);
    assertThat(run.at("/units/sha256").asText()).startsWith("sha256:");
    assertThat(run.at("/settings/command").asText()).isEqualTo("plumb label ...");
    assertThat(run.at("/session/tokens/input").asLong()).isPositive();
    assertThat(run.has("wall_seconds")).isTrue();
  }
}
