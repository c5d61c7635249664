package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt caching end to end against {@link CachingServer}: what plumb asks for (OpenAI
 * {@code prompt_cache_key} and retention, Anthropic {@code cache_control}), the step-down when a
 * server refuses it, cached and cache-write tokens in every label, in run.json and in the cost —
 * checked to the cent — and the dry run's three figures.
 */
class PromptCachingTest {
  static final String KEY = "sk-test-DO-NOT-LEAK-cache-42";
  /** About 4,500 server tokens of static instructions: above every provider's caching minimum. */
  static final String SYSTEM = "You label units against the policies below. ".repeat(400);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(KEY);
      }
    }
    assertThat(notices).noneMatch(n -> n.contains(KEY));
  }

  // ---------- helpers ----------

  /** FakePrompt's answers and schema with a long, identical system message (the unified prompt's shape). */
  static LabelingPrompt longPrompt(String... policies) {
    FakePrompt p = new FakePrompt(policies);
    return new LabelingPrompt() {
      @Override
      public String fingerprint() {
        return p.fingerprint();
      }

      @Override
      public JsonNode schema() {
        return p.schema();
      }

      @Override
      public List<String> policies() {
        return p.policies();
      }

      @Override
      public RenderedPrompt render(Unit unit, boolean images) {
        RenderedPrompt r = p.render(unit, images);
        return new RenderedPrompt(List.of(ChatMessage.system(SYSTEM), r.messages().get(1)), r.imagesOmitted());
      }

      @Override
      public AnswerCheck check(String raw, Unit unit) {
        return p.check(raw, unit);
      }
    };
  }

  private CachingServer server() throws IOException {
    CachingServer s = new CachingServer(schema -> FakePrompt.answerFor(schema, "safe"));
    open.add(s);
    return s;
  }

  private Path units(int n) throws IOException {
    Path f = dir.resolve("units.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      ObjectNode u = Json.object();
      u.put("id", "u-" + i);
      u.putArray("components").addObject().put("id", "response").put("kind", "response").put("text", "response text " + i);
      sb.append(Json.line(u)).append('\n');
    }
    Files.writeString(f, sb.toString());
    return f;
  }

  private LabelerConfig.Builder config(CachingServer s, String provider, String model, Path units) {
    Notices n = new Notices();
    BackendSpec spec = provider.equals("openai")
        ? new BackendSpec("openai", null, model, s.baseUrl(), Duration.ofSeconds(5), 2)
        : new BackendSpec("langchain4j", provider, model, s.baseUrl(), Duration.ofSeconds(5), 2);
    Backend backend = Backends.create(spec,
        Credentials.of(Map.of("OPENAI_API_KEY", KEY, "ANTHROPIC_API_KEY", KEY), null), n);
    open.add(backend);
    return LabelerConfig.builder().units(units).out(dir.resolve("labels.jsonl")).prompt(longPrompt("a@1", "b@1"))
        .backend(backend).baseUrl(s.baseUrl())
        // one call at a time: which request finds the prefix cached is then certain
        .maxConcurrency(1)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(40)).progressInterval(Duration.ofMillis(10)).notices(n)
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

  private static long sum(List<JsonNode> labels, String field) {
    return labels.stream().mapToLong(l -> l.path("usage").path(field).asLong()).sum();
  }

  // ---------- OpenAI ----------

  @Test
  void openai_should_send_the_fingerprint_as_cache_key_and_account_cached_tokens_to_the_cent() throws IOException {
    CachingServer s = server();
    LabelerConfig cfg = config(s, "openai", "gpt-4.1-mini", units(6)).build();
    RunSummary r = BatchLabeler.run(cfg);

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    String expectedKey = "plumb-" + longPrompt("a@1", "b@1").fingerprint().substring(7, 23);
    assertThat(s.requests).hasSize(6).allSatisfy(q -> {
      assertThat(q.path("prompt_cache_key").asText()).isEqualTo(expectedKey);
      assertThat(q.path("prompt_cache_retention").asText()).isEqualTo("24h");
    });
    assertThat(s.keys).allMatch(k -> k.equals("Bearer " + KEY));
    // the first request writes the prefix; every later one reads it, in 128-token steps from 1,024
    assertThat(s.usages.get(0)[1]).isZero();
    for (long[] u : s.usages.subList(1, 6)) {
      assertThat(u[1]).isGreaterThanOrEqualTo(1024).isLessThan(u[0]);
      assertThat(u[1] % 128).isZero();
    }
    long prompt = s.usages.stream().mapToLong(u -> u[0]).sum();
    long cached = s.usages.stream().mapToLong(u -> u[1]).sum();
    long output = s.usages.stream().mapToLong(u -> u[3]).sum();

    List<JsonNode> labels = labels();
    assertThat(labels).hasSize(12);
    assertThat(sum(labels, "input")).isEqualTo(prompt);
    assertThat(sum(labels, "cached_input_tokens")).isEqualTo(cached);
    assertThat(sum(labels, "cache_write_input_tokens")).isZero();
    JsonNode session = runJson().path("session");
    assertThat(session.path("tokens").path("input").asLong()).isEqualTo(prompt);
    assertThat(session.path("tokens").path("cached_input").asLong()).isEqualTo(cached);
    assertThat(session.path("tokens").path("cache_write_input").asLong()).isZero();
    assertThat(runJson().path("total").path("tokens").path("cached_input").asLong()).isEqualTo(cached);
    assertThat(runJson().path("settings").path("prompt_cache").asBoolean()).isTrue();
    // gpt-4.1-mini: $0.40 per 1M uncached, $0.10 cached, $1.60 output
    double dollars = ((prompt - cached) * 0.40 + cached * 0.10 + output * 1.60) / 1e6;
    double recorded = labels.stream().mapToDouble(l -> l.get("cost_usd").asDouble()).sum();
    assertThat(recorded).isCloseTo(dollars, within(0.005));
    assertThat(session.path("cost_usd").asDouble()).isCloseTo(dollars, within(0.005));
    assertThat(dollars).isLessThan((prompt * 0.40 + output * 1.60) / 1e6); // caching made it cheaper
  }

  @Test
  void openai_should_retry_once_without_a_refused_retention_and_say_so() throws IOException {
    CachingServer s = server();
    s.refuse = "prompt_cache_retention";
    RunSummary r = BatchLabeler.run(config(s, "openai", "gpt-5-mini", units(4)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(r.counts().ok()).isEqualTo(8);
    assertThat(s.requests).hasSize(5); // one refusal, then every unit once
    assertThat(s.requests.subList(1, 5)).allMatch(q -> !q.has("prompt_cache_retention") && q.has("prompt_cache_key"));
    assertThat(notices).containsOnlyOnce("the server refused prompt_cache_retention \"24h\"; sending none for the rest"
        + " of the run (its default retention applies)");
  }

  @Test
  void openai_should_retry_once_without_a_refused_cache_key_and_say_so() throws IOException {
    CachingServer s = server();
    s.refuse = "prompt_cache_key";
    RunSummary r = BatchLabeler.run(config(s, "openai", "gpt-4o-mini", units(4)).build());

    assertThat(r.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(s.requests).hasSize(5);
    assertThat(s.requests.get(0).has("prompt_cache_retention")).isFalse(); // gpt-4o-mini: default retention
    assertThat(s.requests.subList(1, 5)).allMatch(q -> !q.has("prompt_cache_key"));
    assertThat(notices).containsOnlyOnce("the server refused prompt_cache_key; sending none for the rest of the run"
        + " (its automatic prefix caching, if any, still applies)");
  }

  @Test
  void no_prompt_cache_should_send_neither_key_nor_retention() throws IOException {
    CachingServer s = server();
    BatchLabeler.run(config(s, "openai", "gpt-4.1-mini", units(3)).promptCache(false).build());

    assertThat(s.requests).hasSize(3).allMatch(q -> !q.has("prompt_cache_key") && !q.has("prompt_cache_retention"));
    assertThat(runJson().path("settings").path("prompt_cache").asBoolean()).isFalse();
  }

  // ---------- Anthropic through LangChain4j ----------

  @Test
  void anthropic_should_mark_the_system_block_and_count_cache_reads_and_writes_as_input() throws IOException {
    CachingServer s = server();
    RunSummary r = BatchLabeler.run(config(s, "anthropic", "claude-haiku-4-5", units(5)).build());

    assertThat(r.outcome()).as(String.valueOf(r.message())).isEqualTo(RunSummary.Outcome.COMPLETE);
    assertThat(s.requests).hasSize(5).allSatisfy(q ->
        assertThat(q.path("system").path(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral"));
    long system = CachingServer.tokens(SYSTEM);
    assertThat(s.usages.get(0)[2]).isEqualTo(system); // written once
    assertThat(s.usages.subList(1, 5)).allMatch(u -> u[1] == system && u[2] == 0); // then read
    long prompt = s.usages.stream().mapToLong(u -> u[0]).sum();
    long output = s.usages.stream().mapToLong(u -> u[3]).sum();

    List<JsonNode> labels = labels();
    // LangChain4j's input count is Anthropic's input_tokens, which leaves the cache out: added back
    assertThat(sum(labels, "input")).isEqualTo(prompt);
    assertThat(sum(labels, "cached_input_tokens")).isEqualTo(4 * system);
    assertThat(sum(labels, "cache_write_input_tokens")).isEqualTo(system);
    JsonNode tokens = runJson().path("session").path("tokens");
    assertThat(tokens.path("input").asLong()).isEqualTo(prompt);
    assertThat(tokens.path("cached_input").asLong()).isEqualTo(4 * system);
    assertThat(tokens.path("cache_write_input").asLong()).isEqualTo(system);
    // claude-haiku-4-5: $1 per 1M uncached, $0.10 read, $1.25 written, $5 output
    double dollars = ((prompt - 5 * system) * 1.0 + 4 * system * 0.10 + system * 1.25 + output * 5.0) / 1e6;
    assertThat(labels.stream().mapToDouble(l -> l.get("cost_usd").asDouble()).sum()).isCloseTo(dollars, within(0.005));
  }

  @Test
  void anthropic_without_prompt_cache_should_send_no_cache_control() throws IOException {
    CachingServer s = server();
    BatchLabeler.run(config(s, "anthropic", "claude-haiku-4-5", units(2)).promptCache(false).build());

    assertThat(s.requests).hasSize(2).allMatch(q -> !q.path("system").path(0).has("cache_control"));
    assertThat(sum(labels(), "cached_input_tokens")).isZero();
  }

  // ---------- prices ----------

  @Test
  void prices_should_charge_cached_and_written_tokens_at_their_rates_to_the_cent() throws IOException {
    PriceTable t = PriceTable.builtIn();
    PriceTable.Price mini = t.price("gpt-4.1-mini").orElseThrow();
    // (234,567 × 0.40 + 1,000,000 × 0.10 + 345,678 × 1.60) / 1e6 = 0.7469116
    // (python3 -c "print((234567*0.40+1_000_000*0.10+345678*1.60)/1e6)")
    assertThat(mini.cost(1_234_567, 1_000_000, 0, 345_678)).isCloseTo(0.7469116, within(1e-9));
    assertThat(mini.cost(1_234_567, 345_678)).isCloseTo((1_234_567 * 0.40 + 345_678 * 1.60) / 1e6, within(1e-9));
    PriceTable.Price haiku = t.price("claude-haiku-4-5-20251001").orElseThrow();
    // (200,000 × 1 + 1,500,000 × 0.10 + 300,000 × 1.25 + 100,000 × 5) / 1e6 = 1.225
    assertThat(haiku.cost(2_000_000, 1_500_000, 300_000, 100_000)).isCloseTo(1.225, within(1e-9));
    // Message Batches halve every rate, cache reads and writes included: 0.6125
    assertThat(haiku.batch().cost(2_000_000, 1_500_000, 300_000, 100_000)).isCloseTo(0.6125, within(1e-9));
    // gpt-4.1-mini's batch table has no cached rate: cached tokens at the batch input rate
    assertThat(mini.batch().cost(1_000_000, 800_000, 0, 0)).isCloseTo(0.20, within(1e-9));
    // Gemini prices a batch's cache hits at the standard cached rate (0.03), the rest at 0.15 / 1.25:
    // (1,000,000 × 0.15 + 9,000,000 × 0.03 + 225,000 × 1.25) / 1e6 = 0.70125
    // (python3 -c "print((1_000_000*0.15+9_000_000*0.03+225_000*1.25)/1e6)")
    PriceTable.Price flash = t.price("gemini-2.5-flash").orElseThrow();
    assertThat(flash.batch().cost(10_000_000, 9_000_000, 0, 225_000)).isCloseTo(0.70125, within(1e-9));
    assertThat(flash.batch().cachedInputPerMillion()).isEqualTo(flash.cachedInputPerMillion());
    // no implicit caching before Gemini 2.5: gemini-2.0-flash's batch charges cached tokens the batch input rate
    PriceTable.Price flash20 = t.price("gemini-2.0-flash").orElseThrow();
    assertThat(flash20.batch().cachedInputPerMillion()).isEqualTo(flash20.batch().inputPerMillion());

    Path f = dir.resolve("prices.json");
    Files.writeString(f, "{\"models\":{\"my-model\":{\"input\":1,\"cached_input\":0.25,\"output\":2,"
        + "\"batch\":{\"input\":0.5,\"output\":1}}}}");
    PriceTable.Price mine = t.overriddenBy(f).price("my-model").orElseThrow();
    assertThat(mine).isEqualTo(new PriceTable.Price(1, 2, 0.25, 1, new PriceTable.Price(0.5, 1)));
    Files.writeString(f, "{\"models\":{\"my-model\":{\"input\":1,\"output\":2,\"batch\":{\"input\":-1,\"output\":1}}}}");
    assertThatThrownBy(() -> t.overriddenBy(f))
        .hasMessage(f + ": models.my-model.batch.input: expected dollars per 1M tokens (a number >= 0), found -1");
  }

  @Test
  void every_built_in_model_should_have_cached_and_batch_rates_below_its_list_rates() {
    PriceTable t = PriceTable.builtIn();
    for (String m : List.of("gpt-5", "gpt-5-mini", "gpt-4.1-mini", "gpt-4o-mini", "o3", "claude-haiku-4-5",
        "claude-sonnet-4-5", "gemini-2.5-flash")) {
      PriceTable.Price p = t.price(m).orElseThrow();
      assertThat(p.cachedInputPerMillion()).as(m).isLessThan(p.inputPerMillion());
      assertThat(p.batch()).as(m).isNotNull();
      assertThat(p.batch().inputPerMillion()).as(m).isEqualTo(p.inputPerMillion() / 2);
      assertThat(p.batch().outputPerMillion()).as(m).isEqualTo(p.outputPerMillion() / 2);
    }
  }

  // ---------- cache keys ----------

  @Test
  void cache_keys_should_shard_by_powers_of_two_above_15_requests_a_minute() {
    assertThat(PromptCacheKeys.shards(0)).isEqualTo(1);
    assertThat(PromptCacheKeys.shards(15)).isEqualTo(1);
    assertThat(PromptCacheKeys.shards(16)).isEqualTo(2);
    assertThat(PromptCacheKeys.shards(31)).isEqualTo(4);
    assertThat(PromptCacheKeys.shards(60)).isEqualTo(4);
    assertThat(PromptCacheKeys.shards(61)).isEqualTo(8);
    assertThat(PromptCacheKeys.shards(1e6)).isEqualTo(PromptCacheKeys.MAX_SHARDS);
    String fp = "sha256:0123456789abcdef0123456789abcdef";
    assertThat(PromptCacheKeys.key(fp, "u-1", 1)).isEqualTo("plumb-0123456789abcdef");
    // a unit's shard among 2n keys lies within its shard among n
    for (String u : List.of("u-1", "u-2", "i-77", "x")) {
      String k8 = PromptCacheKeys.key(fp, u, 8);
      int s8 = Integer.parseInt(k8.substring(k8.lastIndexOf('-') + 1));
      String k4 = PromptCacheKeys.key(fp, u, 4);
      assertThat(Integer.parseInt(k4.substring(k4.lastIndexOf('-') + 1))).isEqualTo(s8 % 4);
    }
  }

  // ---------- dry run ----------

  @Test
  void tokenizer_should_be_o200k_for_gpt_4_1_4o_5_and_o_series() {
    // regression: jtokkit's registry matched "gpt-4" first and gave gpt-4.1-mini cl100k_base
    for (String m : List.of("gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini-2024-07-18", "gpt-5", "gpt-5.1", "o3-mini",
        "o4-mini", "openai/gpt-4.1-nano")) {
      assertThat(TokenEstimator.encodingFor(m).orElseThrow().getName()).as(m).isEqualTo("o200k_base");
    }
    assertThat(TokenEstimator.encodingFor("gpt-4").orElseThrow().getName()).isEqualTo("cl100k_base");
    assertThat(TokenEstimator.encodingFor("claude-haiku-4-5")).isEmpty();
  }

  @Test
  void dry_run_should_count_the_schema_without_a_floor_and_price_list_cached_and_batch() throws IOException {
    CachingServer s = server();
    LabelerConfig cfg = config(s, "openai", "gpt-4.1-mini", units(40)).build();
    DryRunEstimate e = BatchLabeler.estimate(cfg);

    assertThat(s.requests).isEmpty();
    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    long schema = o200k.countTokensOrdinary(Json.line(longPrompt("a@1", "b@1").schema()));
    long system = 4 + o200k.countTokensOrdinary(SYSTEM);
    long expected = 0;
    long chars = 0;
    for (int i = 1; i <= 40; i++) {
      String user = "Unit u-" + i + ":\n" + "[response] response text " + i + "\n";
      expected += 3 + system + 4 + o200k.countTokensOrdinary("Unit u-" + i + ":\n")
          + o200k.countTokensOrdinary("[response] response text " + i + "\n") + schema;
      chars += SYSTEM.length() + user.length();
    }
    assertThat(e.tokenizer()).isEqualTo("o200k_base");
    assertThat(e.schemaTokens()).isEqualTo(schema);
    assertThat(e.promptTokens()).isEqualTo(expected);
    assertThat(e.promptTokens()).isLessThan(chars / 4); // the old characters/4 floor would have raised it
    // cacheable: the system message and schema, in 128-token steps; 90% of the 39 requests after the first hit
    long cacheable = (system + schema) / 128 * 128;
    assertThat(e.cacheablePrefixTokens()).isEqualTo(cacheable);
    assertThat(e.cachedInputTokens()).isEqualTo(Math.round(39 * 0.9) * cacheable);
    PriceTable.Price p = e.price();
    assertThat(e.listCostUsd()).isEqualTo(p.cost(expected, 0, 0, e.maxOutputTokens()));
    assertThat(e.cachedCostUsd()).isEqualTo(p.cost(expected, e.cachedInputTokens(), 0, e.maxOutputTokens()));
    assertThat(e.batchCostUsd()).isEqualTo(p.batch().cost(expected, e.cachedInputTokens(), 0, e.maxOutputTokens()));
    assertThat(e.cachedCostUsd()).isLessThan(e.listCostUsd());
    assertThat(e.batchCostUsd()).isLessThan(e.listCostUsd());
  }

  @Test
  void dry_run_for_anthropic_should_price_the_cache_writes() throws IOException {
    CachingServer s = server();
    // Sonnet: its 1,024-token minimum (Haiku 4.5 needs 4,096, more than this system message scaled from o200k)
    DryRunEstimate e = BatchLabeler.estimate(config(s, "anthropic", "claude-sonnet-4-5", units(10)).build());

    assertThat(e.tokenizer()).isEqualTo("o200k_base x 1.20 (Claude estimate, +/-10%)");
    assertThat(e.tokenError()).isEqualTo(0.10);
    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    long system = 4 + Math.round(o200k.countTokensOrdinary(SYSTEM) * 1.20);
    assertThat(e.cacheablePrefixTokens()).isEqualTo(system); // Anthropic caches the marked block exactly
    long hits = Math.round(9 * 0.9);
    assertThat(e.cachedInputTokens()).isEqualTo(hits * system);
    assertThat(e.cacheWriteInputTokens()).isEqualTo((10 - hits) * system);
    assertThat(e.cachedCostUsd())
        .isEqualTo(e.price().cost(e.promptTokens(), hits * system, (10 - hits) * system, e.maxOutputTokens()));
  }

  @Test
  void dry_run_should_expect_the_default_answer_length_and_the_assumed_hit_rate_without_a_previous_run() throws IOException {
    CachingServer s = server();
    DryRunEstimate e = BatchLabeler.estimate(config(s, "openai", "gpt-4.1-mini", units(40)).build());

    // two policies: 5 + 55 per policy = 115 tokens a request
    assertThat(e.expected().outputTokens()).isEqualTo(40 * 115);
    assertThat(e.expected().outputBasis()).isEqualTo("default: 5 + 55 per policy");
    assertThat(e.cacheHitRate()).isEqualTo(0.9);
    assertThat(e.expected().cacheHitBasis()).isEqualTo("assumed: 90% of requests after each cache key's first");
    PriceTable.Price p = e.price();
    assertThat(e.expected().listCostUsd()).isEqualTo(p.cost(e.promptTokens(), 0, 0, 40 * 115));
    assertThat(e.expected().cachedCostUsd()).isEqualTo(p.cost(e.promptTokens(), e.cachedInputTokens(), 0, 40 * 115));
    assertThat(e.expected().batchCostUsd())
        .isEqualTo(p.batch().cost(e.promptTokens(), e.cachedInputTokens(), 0, 40 * 115));
    // gpt-4.1-mini, 40 requests: the expected answers cost 40 * 115 * $1.60 / 1M = $0.00736 against the cap's 40 * 700 * 1.60 / 1M
    assertThat(e.listCostUsd() - e.expected().listCostUsd()).isCloseTo(40 * (700 - 115) * 1.60 / 1e6, within(1e-12));
  }

  @Test
  void dry_run_should_learn_the_answer_length_and_hit_rate_from_the_previous_run_of_the_same_prompt_and_model()
      throws IOException {
    CachingServer s = server();
    LabelerConfig cfg = config(s, "openai", "gpt-4.1-mini", units(40)).build();
    DryRunEstimate before = BatchLabeler.estimate(cfg);
    long perRequest = before.promptTokens() / 40;
    // a previous run: 20 requests, 1,700 output tokens, half its prompt tokens from the cache
    String fingerprint = cfg.prompt.fingerprint();
    Files.writeString(cfg.runFile, "{\"prompt\":\"" + fingerprint + "\",\"backend\":{\"model\":\"gpt-4.1-mini\"},"
        + "\"total\":{\"requests\":20,\"tokens\":{\"input\":" + 20 * perRequest + ",\"cached_input\":" + 10 * perRequest
        + ",\"output\":1700}}}");

    DryRunEstimate e = BatchLabeler.estimate(cfg);

    assertThat(e.expected().outputTokens()).isEqualTo(40 * 85);
    assertThat(e.expected().outputBasis()).isEqualTo("previous run: 1,700 output tokens over 20 requests");
    // half of every request's prompt tokens, as a share of the requests reading the cacheable prefix
    double rate = Math.min(1, 0.5 * ((double) e.promptTokens() / 40) / e.cacheablePrefixTokens());
    assertThat(e.cacheHitRate()).isCloseTo(rate, within(0.005));
    assertThat(e.cacheHitRate()).isLessThan(0.9);
    assertThat(e.cachedInputTokens()).isEqualTo(Math.round(39 * e.cacheHitRate()) * e.cacheablePrefixTokens());
    assertThat(e.expected().cacheHitBasis()).startsWith("previous run: 50.0% of its ");

    // another model's run.json teaches nothing
    Files.writeString(cfg.runFile, "{\"prompt\":\"" + fingerprint + "\",\"backend\":{\"model\":\"gpt-4o\"},"
        + "\"total\":{\"requests\":20,\"tokens\":{\"input\":10,\"cached_input\":0,\"output\":1700}}}");
    assertThat(BatchLabeler.estimate(cfg).expected().outputBasis()).isEqualTo("default: 5 + 55 per policy");
  }
}
