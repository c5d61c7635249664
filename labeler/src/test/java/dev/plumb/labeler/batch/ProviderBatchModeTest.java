package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch mode through LangChain4j's Anthropic and Gemini batch models, against an in-process server
 * speaking each provider's batch endpoints (FakeProviderBatches): docs/labeler.md, "Batch mode".
 */
class ProviderBatchModeTest {
  static final String KEY = "sk-ant-test-DO-NOT-LEAK-0123456789";
  private static final Pattern UNIT = Pattern.compile("Unit u-(\\d+):");

  @TempDir Path dir;
  private final List<FakeProviderBatches> servers = new ArrayList<>();
  private final List<Backend> backends = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    backends.forEach(Backend::close);
    for (FakeProviderBatches s : servers) {
      s.close();
      assertThat(s.keys).allMatch(KEY::equals);
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

  static int unitOf(JsonNode request) {
    Matcher m = UNIT.matcher(Json.line(request));
    if (!m.find()) {
      throw new IllegalStateException("no unit in " + request);
    }
    return Integer.parseInt(m.group(1));
  }

  static JsonNode schemaOf(JsonNode request) {
    JsonNode s = request.path("output_config").path("format").path("schema");
    return s.isMissingNode() ? request.path("generationConfig").path("responseJsonSchema") : s;
  }

  /** Every third unit violates. */
  static FakeProviderBatches.Answers decisions() {
    return req -> FakeProviderBatches.Line.answer(FakePrompt.answerFor(schemaOf(req), unitOf(req) % 3 == 0 ? "violating" : "safe"));
  }

  private FakeProviderBatches server(String provider, FakeProviderBatches.Answers a, IntFunction<FakeProviderBatches.Plan> plans)
      throws IOException {
    FakeProviderBatches s = new FakeProviderBatches(provider, a, plans);
    servers.add(s);
    return s;
  }

  private Path units(int n) throws IOException {
    return BatchModeTest.units(dir, n);
  }

  private LabelerConfig.Builder config(FakeProviderBatches server, Path units, String out) {
    Notices n = new Notices();
    String model = server.provider.equals("anthropic") ? "claude-haiku-4-5" : "gemini-2.5-flash";
    Backend backend = Backends.create(
        new BackendSpec("langchain4j", server.provider, model, server.baseUrl(), Duration.ofSeconds(5), 4),
        Credentials.of(Map.of("ANTHROPIC_API_KEY", KEY, "GEMINI_API_KEY", KEY), null), n);
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
    return BatchModeTest.labels(dir.resolve(out));
  }

  private JsonNode runJson(String out) throws IOException {
    return BatchModeTest.runJson(dir.resolve(out));
  }

  private Map<String, String> outcomes(String out) {
    return BatchModeTest.outcomes(dir.resolve(out));
  }

  private static Map<String, String> expected(int n) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      for (String p : List.of("p@1", "q@2")) {
        m.put("u-" + i + " " + p, i % 3 == 0 ? "violating" : "safe");
      }
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "gemini"})
  void should_label_every_unit_through_the_providers_batch_with_the_synchronous_request(String provider) throws IOException {
    FakeProviderBatches s = server(provider, decisions(), i -> FakeProviderBatches.Plan.completed(2));

    RunSummary r = BatchLabeler.run(config(s, units(7), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(14, 0, 0, 0, 0));
    assertThat(outcomes("labels.jsonl")).isEqualTo(expected(7));
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(s.submitted).hasSize(7);
    JsonNode first = s.submitted.get(0);
    if (provider.equals("anthropic")) {
      // what the synchronous call sends (BackendTest): the schema as output_config, cache_control on the system block
      assertThat(first.at("/output_config/format/type").asText()).isEqualTo("json_schema");
      assertThat(first.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
      assertThat(first.path("max_tokens").asInt()).isEqualTo(700);
    } else {
      assertThat(first.at("/generationConfig/responseMimeType").asText()).isEqualTo("application/json");
      assertThat(first.at("/generationConfig/responseJsonSchema/required/0").asText()).isEqualTo("p@1");
    }
    List<JsonNode> l = labels("labels.jsonl");
    assertThat(l).allMatch(x -> x.get("mode").asText().equals("batch") && x.get("backend").asText().equals("langchain4j")
        && x.get("provider").asText().equals(provider));
    assertThat(l).allMatch(x -> x.get("batch").asText().equals(provider.equals("anthropic") ? "msgbatch_1" : "batches/b1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "gemini"})
  void should_give_the_same_decisions_and_send_the_same_bodies_as_synchronous_labeling(String provider) throws IOException {
    FakeProviderBatches s = server(provider, decisions(), i -> FakeProviderBatches.Plan.completed(1));
    Path units = units(6);

    RunSummary sync = BatchLabeler.run(config(s, units, "sync.jsonl").batch(false, true).build());
    RunSummary batch = BatchLabeler.run(config(s, units, "batch.jsonl").build());

    assertThat(sync.counts()).isEqualTo(batch.counts());
    assertThat(outcomes("batch.jsonl")).isEqualTo(outcomes("sync.jsonl")).isEqualTo(expected(6));
    assertThat(s.syncRequests).hasSize(6);
    assertThat(s.submitted).hasSize(6);
    Map<Integer, JsonNode> byUnit = new TreeMap<>();
    s.syncRequests.forEach(r -> byUnit.put(unitOf(r), r));
    for (JsonNode b : s.submitted) {
      assertThat(b).as("unit %d", unitOf(b)).isEqualTo(byUnit.get(unitOf(b)));
    }
    // the same prompt fingerprint and model: one response cache key, one kind of record
    assertThat(labels("batch.jsonl")).allMatch(x -> x.get("prompt").asText().equals(labels("sync.jsonl").get(0).get("prompt").asText()));
    assertThat(labels("sync.jsonl")).noneMatch(x -> x.has("mode"));
  }

  /** The labels' {@code cost_usd} and run.json's session cost both equal {@code expected}, to 1e-5 $. */
  private void assertCostRecorded(String out, double expected) throws IOException {
    assertThat(labels(out).stream().mapToDouble(x -> x.path("cost_usd").asDouble()).sum())
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.00001));
    assertThat(runJson(out).path("session").path("cost_usd").asDouble())
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.00001));
  }

  @Test
  void anthropic_should_record_and_price_cache_reads_and_writes_at_batch_rates_to_the_cent() throws IOException {
    FakeProviderBatches s = server("anthropic", decisions(), i -> FakeProviderBatches.Plan.completed(1));

    BatchLabeler.run(config(s, units(5), "labels.jsonl").build());

    JsonNode tokens = runJson("labels.jsonl").path("session").path("tokens");
    long input = tokens.path("input").asLong();
    long cached = tokens.path("cached_input").asLong();
    long written = tokens.path("cache_write_input").asLong();
    long output = tokens.path("output").asLong();
    // one write (the first request), four reads of the same system block
    assertThat(written).isPositive();
    assertThat(cached).isEqualTo(4 * written);
    assertThat(labels("labels.jsonl").stream().mapToLong(x -> x.path("usage").path("cached_input_tokens").asLong()).sum())
        .isEqualTo(cached);
    // claude-haiku-4-5 Message Batches rates (prices.json): 0.50 in, 0.05 cache read, 0.625 cache write, 2.50 out
    double expected = ((input - cached - written) * 0.50 + cached * 0.05 + written * 0.625 + output * 2.50) / 1e6;
    assertCostRecorded("labels.jsonl", expected);
  }

  @Test
  void gemini_should_record_implicit_cache_hits_and_price_them_at_the_standard_cached_rate_to_the_cent() throws IOException {
    FakeProviderBatches s = server("gemini", decisions(), i -> FakeProviderBatches.Plan.completed(1));

    BatchLabeler.run(config(s, units(5), "labels.jsonl").build());

    JsonNode tokens = runJson("labels.jsonl").path("session").path("tokens");
    long input = tokens.path("input").asLong();
    long cached = tokens.path("cached_input").asLong();
    long output = tokens.path("output").asLong();
    // the first request's system instruction is computed, the four after it read it from the cache
    long system = Json.line(s.submitted.get(0).path("systemInstruction")).length() / 4;
    assertThat(system).isPositive();
    assertThat(cached).isEqualTo(4 * system);
    assertThat(tokens.path("cache_write_input").asLong()).isZero();
    assertThat(labels("labels.jsonl").stream().mapToLong(x -> x.path("usage").path("cached_input_tokens").asLong()).sum())
        .isEqualTo(cached);
    // gemini-2.5-flash batch rates (prices.json): 0.15 in, 1.25 out; cache hits at the standard
    // cached rate, 0.03 (Gemini batch docs: "priced the same as for non-batch API traffic")
    double expected = ((input - cached) * 0.15 + cached * 0.03 + output * 1.25) / 1e6;
    assertCostRecorded("labels.jsonl", expected);
    // without the cached rate every prompt token would be at 0.15: the cache hits make it cheaper
    assertThat(expected).isLessThan((input * 0.15 + output * 1.25) / 1e6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "gemini"})
  void should_resubmit_what_an_expired_batch_left_and_account_for_every_unit(String provider) throws IOException {
    FakeProviderBatches s = server(provider, decisions(),
        i -> i == 1 ? new FakeProviderBatches.Plan(1, "expired", false) : FakeProviderBatches.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(6), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(12, 0, 0, 0, 0));
    assertThat(outcomes("labels.jsonl")).isEqualTo(expected(6));
    assertThat(s.creates.get()).isEqualTo(2);
    // Anthropic expires lines (the second half); a Gemini batch expires as a whole
    assertThat(s.submitted).hasSize(provider.equals("anthropic") ? 9 : 12);
  }

  @Test
  void anthropic_should_resubmit_cancelled_lines_and_fail_rejected_ones_at_once() throws IOException {
    FakeProviderBatches s = server("anthropic", req -> {
      int u = unitOf(req);
      return u == 2 ? new FakeProviderBatches.Line(null, "invalid_request_error", 0)
          : FakeProviderBatches.Line.answer(FakePrompt.answerFor(schemaOf(req), u % 3 == 0 ? "violating" : "safe"));
    }, i -> i == 1 ? new FakeProviderBatches.Plan(1, "cancelled", false) : FakeProviderBatches.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(4), "labels.jsonl").build());

    Map<String, String> want = expected(4);
    want.put("u-2 p@1", "failed");
    want.put("u-2 q@2", "failed");
    assertThat(outcomes("labels.jsonl")).isEqualTo(want);
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 2, 0, 0));
    assertThat(labels("labels.jsonl")).filteredOn(x -> x.get("unit").asText().equals("u-2"))
        .allMatch(x -> x.get("error").asText().equals("anthropic invalid_request_error: the request was refused: invalid_request_error"));
    assertThat(s.submitted).hasSize(6); // u-3 and u-4 were cancelled, then ran in the second batch
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "gemini"})
  void should_not_give_a_unit_anothers_answer_when_a_result_is_missing(String provider) throws IOException {
    FakeProviderBatches s = server(provider, decisions(),
        i -> i == 1 ? new FakeProviderBatches.Plan(1, "short", false) : FakeProviderBatches.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").build());

    assertThat(outcomes("labels.jsonl")).isEqualTo(expected(3));
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(s.submitted).hasSize(6); // positions meant nothing: all three asked again
    String id = provider.equals("anthropic") ? "msgbatch_1" : "batches/b1";
    assertThat(labels("labels.jsonl")).allMatch(x -> !x.get("batch").asText().equals(id));
  }

  @Test
  void gemini_should_resubmit_the_units_of_a_batch_that_failed_as_a_whole() throws IOException {
    FakeProviderBatches s = server("gemini", decisions(),
        i -> i == 1 ? new FakeProviderBatches.Plan(1, "failed", false) : FakeProviderBatches.Plan.completed(1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    assertThat(notices).contains("batch batches/b1: failed, 0/0 done, 0 failed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic", "gemini"})
  void should_resume_polling_the_same_batch_when_killed_mid_poll(String provider) throws IOException {
    FakeProviderBatches s = server(provider, decisions(), i -> FakeProviderBatches.Plan.completed(3));
    Path units = units(5);
    LabelerConfig dying = config(s, units, "labels.jsonl").listener(new ProgressListener() {
      @Override
      public void notice(String message) {
        if (message.startsWith("submitted batch")) {
          throw new IllegalStateException("killed");
        }
      }
    }).build();
    assertThatThrownBy(() -> BatchLabeler.run(dying)).hasMessage("killed");
    JsonNode sub = runJson("labels.jsonl").get("batch").get("submissions").get(0);
    assertThat(sub.get("units")).hasSize(5);

    RunSummary r = BatchLabeler.run(config(s, units, "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(10, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(s.submitted).hasSize(5);
    assertThat(outcomes("labels.jsonl")).isEqualTo(expected(5));
  }

  @Test
  void gemini_should_find_a_batch_created_before_a_crash_by_its_display_name() throws IOException {
    FakeProviderBatches s = server("gemini", decisions(), i -> new FakeProviderBatches.Plan(1, "completed", i == 1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").build());

    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(1);
    assertThat(notices).anyMatch(n -> n.startsWith("found batch batches/b1 of submission plumb-"));
  }

  @Test
  void anthropic_should_submit_again_when_a_crash_hid_the_batch_id_since_its_batches_carry_no_tag() throws IOException {
    FakeProviderBatches s = server("anthropic", decisions(), i -> new FakeProviderBatches.Plan(1, "completed", i == 1));

    RunSummary r = BatchLabeler.run(config(s, units(3), "labels.jsonl").build());

    // labeled once, billed twice: docs/labeler.md says so
    assertThat(r.counts()).isEqualTo(new RunSummary.Counts(6, 0, 0, 0, 0));
    assertThat(s.creates.get()).isEqualTo(2);
    assertThat(outcomes("labels.jsonl")).isEqualTo(expected(3));
  }
}
