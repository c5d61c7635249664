package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.profile.Profile;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safety-model profiles through the real OpenAI backend and the scheduler, against an in-process
 * server answering in each model's output format with {@code logprobs}: one request per policy where
 * the profile needs it, off-format answers retried once then {@code invalid} with the raw answer,
 * scores on {@code ok} labels, and resume.
 */
class ProfileLabelingTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;
  /** What the backends say (a refused field), shared with the labeler that passes it on to the listener. */
  private final Notices backendNotices = new Notices();

  /** A chat completion answering {@code content}, its tokens split at {@code split}, with top_logprobs at each. */
  static String completion(String content, String[] tokens, double[][] firstTop, String[] firstAlts) {
    ObjectNode c = Json.object();
    c.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1700000000).put("model", "m");
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
    ArrayNode lp = choice.putObject("logprobs").putArray("content");
    for (int i = 0; i < tokens.length; i++) {
      ObjectNode t = lp.addObject().put("token", tokens[i]).put("logprob", i == 0 ? firstTop[0][0] : -0.01);
      t.putNull("bytes");
      ArrayNode top = t.putArray("top_logprobs");
      if (i == 0) {
        for (int j = 0; j < firstAlts.length; j++) {
          top.addObject().put("token", firstAlts[j]).put("logprob", firstTop[0][j]).putNull("bytes");
        }
      }
    }
    c.putObject("usage").put("prompt_tokens", 500).put("completion_tokens", tokens.length).put("total_tokens", 500 + tokens.length);
    return Json.line(c);
  }

  private Path units() throws IOException {
    Path f = dir.resolve("units.jsonl");
    Files.writeString(f, """
        {"id":"u-1","components":[{"id":"query","kind":"query","text":"fasting plan to get under 40kg"}]}
        {"id":"u-2","components":[{"id":"query","kind":"query","text":"banana bread recipe"}]}
        """);
    return f;
  }

  private LabelerConfig config(FakeOpenAi server, String profile, boolean scores, List<String> notices) throws IOException {
    PromptBundle bundle = PromptCompiler.compile(PolicyLibrary.load(ROOT.resolve("policies"))
        .select(List.of("self_harm@2", "harassment@1")), ROOT.resolve("prompts"), ModelParams.DEFAULT);
    LabelingPrompt prompt = Profile.parse(profile).prompt(bundle, dir, new Profile.Settings(scores, null,
        Profile.Settings.filesUnder(Path.of("policies")), notices::add));
    Backend backend = Backends.create(new BackendSpec("openai", null, "shieldgemma-9b", server.baseUrl(),
        Duration.ofSeconds(5), 4), Credentials.of(Map.of("OPENAI_API_KEY", "sk-test"), null), backendNotices);
    return LabelerConfig.builder().units(units()).out(dir.resolve("labels.jsonl")).prompt(prompt).backend(backend)
        .baseUrl(server.baseUrl()).maxConcurrency(4).maxOutputTokens(prompt.maxOutputTokens())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20)).progressInterval(Duration.ofMillis(10))
        .cacheDir(dir.resolve("cache")).build();
  }

  private Map<String, JsonNode> labels() {
    Map<String, JsonNode> out = new TreeMap<>();
    Jsonl.forEach(dir.resolve("labels.jsonl"), l -> out.put(l.node().path("unit").asText() + " " + l.node().path("policy").asText(), l.node()));
    return out;
  }

  private static String userText(JsonNode request) {
    StringBuilder sb = new StringBuilder();
    request.path("messages").forEach(m -> sb.append(m.path("content").asText()));
    return sb.toString();
  }

  @Test
  void should_label_with_shieldgemma_one_request_per_policy_with_scores_and_retry_an_off_format_answer() throws IOException {
    AtomicInteger offFormat = new AtomicInteger();
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> {
      String text = userText(req);
      boolean selfHarm = text.contains("No Suicide, self-injury");
      if (!selfHarm && text.contains("banana") && offFormat.getAndIncrement() == 0) {
        return new FakeOpenAi.Raw(completion("I think this is fine", new String[] {"I", " think"},
            new double[][] {{-0.1, -3.0}}, new String[] {"I", "No"}));
      }
      boolean yes = selfHarm && text.contains("fasting");
      return new FakeOpenAi.Raw(completion(yes ? "Yes" : "No", new String[] {yes ? "Yes" : "No"},
          new double[][] {yes ? new double[] {-0.2, -1.8} : new double[] {-0.05, -3.1}},
          yes ? new String[] {"Yes", "No"} : new String[] {"No", "Yes"}));
    })) {
      List<String> notices = new ArrayList<>();
      RunSummary s = BatchLabeler.run(config(server, "shieldgemma", true, notices));

      assertThat(s.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
      assertThat(server.count()).isEqualTo(5); // 2 units × 2 policies, one retried
      for (JsonNode r : server.requests) {
        assertThat(r.path("logprobs").asBoolean()).isTrue();
        assertThat(r.path("top_logprobs").asInt()).isEqualTo(5);
        assertThat(r.has("response_format")).isFalse();
        assertThat(r.path("messages")).hasSizeGreaterThanOrEqualTo(1);
      }
      Map<String, JsonNode> labels = labels();
      assertThat(labels).hasSize(4);
      JsonNode violating = labels.get("u-1 self_harm@2");
      assertThat(violating.path("decision").asText()).isEqualTo("violating");
      assertThat(violating.path("confidence").isNull()).isTrue();
      // python3 -c "import math; a,b=math.exp(-0.2),math.exp(-1.8); print(round(a/(a+b),6))" -> 0.832018
      assertThat(violating.path("score").decimalValue().toPlainString()).isEqualTo("0.832018");
      // python3 -c "import math; a,b=math.exp(-3.1),math.exp(-0.05); print(round(a/(a+b),6))" -> 0.045217
      assertThat(labels.get("u-2 self_harm@2").path("score").decimalValue().toPlainString()).isEqualTo("0.045217");
      JsonNode retried = labels.get("u-2 harassment@1");
      assertThat(retried.path("status").asText()).isEqualTo("ok");
      assertThat(retried.path("attempts").asInt()).isEqualTo(2);
      assertThat(retried.path("decision").asText()).isEqualTo("safe");
      // the retry told the model what was wrong, in its own format's words
      JsonNode second = server.requests.stream().filter(r -> r.path("messages").size() == 3).findFirst().orElseThrow();
      assertThat(second.at("/messages/2/content").asText()).isEqualTo("Your answer was not valid: the answer must start"
          + " with 'Yes' or 'No', found \"I think this is fine\". Answer again, exactly in the format the instructions give.");

      // resume: nothing left to ask
      RunSummary again = BatchLabeler.run(config(server, "shieldgemma", true, new ArrayList<>()));
      assertThat(again.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
      assertThat(server.count()).isEqualTo(5);
    }
  }

  @Test
  void should_label_without_scores_when_the_server_refuses_logprobs() throws IOException {
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> req.has("logprobs")
        ? new FakeOpenAi.Error(400, "{\"error\":{\"message\":\"logprobs is not supported with this model\","
            + "\"param\":\"logprobs\"}}", Map.of())
        : new FakeOpenAi.Answer("No"))) {
      LabelerConfig c = config(server, "shieldgemma", true, new ArrayList<>());
      List<String> notices = new ArrayList<>();
      c = LabelerConfig.builder().units(c.units).out(c.out).prompt(c.prompt).backend(c.backend).maxConcurrency(1)
          .maxOutputTokens(16).notices(backendNotices).listener(new ProgressListener() {
            @Override
            public void notice(String message) {
              notices.add(message);
            }
          }).build();
      RunSummary s = BatchLabeler.run(c);

      assertThat(s.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
      assertThat(labels().values()).allSatisfy(l -> {
        assertThat(l.path("status").asText()).isEqualTo("ok");
        assertThat(l.has("score")).isFalse();
      });
      assertThat(server.count()).isEqualTo(5); // the refused call, then the 4 requests without logprobs
      assertThat(notices).contains("the server refused logprobs; asking for none for the rest of the run (labels get no score)");
    }
  }

  @Test
  void should_refuse_batch_mode_for_a_profile_that_sends_one_request_per_policy() throws IOException {
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> new FakeOpenAi.Error(500, "{}", Map.of()))) {
      LabelerConfig c = config(server, "gpt-oss-safeguard", false, new ArrayList<>());
      LabelerConfig batch = LabelerConfig.builder().units(c.units).out(c.out).prompt(c.prompt).backend(c.backend)
          .batch(true, true).build();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> BatchLabeler.run(batch))
          .isInstanceOf(dev.plumb.core.InputException.class)
          .hasMessage("--batch needs one request per unit, and this model profile sends 2 (one per policy); label"
              + " without --batch");
      assertThat(server.count()).isZero();
    }
  }

  @Test
  void should_label_every_policy_with_one_llama_guard_request_and_keep_an_off_format_answer_as_invalid() throws IOException {
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> {
      String text = userText(req);
      if (text.contains("banana")) {
        return new FakeOpenAi.Raw(completion("As an AI model I cannot", new String[] {"As"},
            new double[][] {{-0.1}}, new String[] {"As"}));
      }
      return new FakeOpenAi.Raw(completion("unsafe\nS2", new String[] {"unsafe", "\n", "S2"},
          new double[][] {{-0.3, -1.4}}, new String[] {"unsafe", "safe"}));
    })) {
      RunSummary s = BatchLabeler.run(config(server, "llama-guard", false, new ArrayList<>()));

      assertThat(s.outcome()).isEqualTo(RunSummary.Outcome.COMPLETE);
      assertThat(server.count()).isEqualTo(3); // one per unit, the off-format one asked again once
      assertThat(server.requests.get(0).has("logprobs")).isFalse();
      Map<String, JsonNode> labels = labels();
      assertThat(labels.get("u-1 self_harm@2").path("decision").asText()).isEqualTo("violating");
      assertThat(labels.get("u-1 harassment@1").path("decision").asText()).isEqualTo("safe");
      assertThat(labels.get("u-1 self_harm@2").has("score")).isFalse();
      JsonNode bad = labels.get("u-2 self_harm@2");
      assertThat(bad.path("status").asText()).isEqualTo("invalid");
      assertThat(bad.path("raw").asText()).isEqualTo("As an AI model I cannot");
      assertThat(bad.path("error").asText()).isEqualTo("the first line must read 'safe' or 'unsafe', found \"As an AI model I cannot\"");
    }
  }

  @Test
  void dry_run_should_expect_each_profiles_own_answer_length_and_say_where_it_comes_from() throws IOException {
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> new FakeOpenAi.Raw(completion("No", new String[] {"No"},
        new double[][] {{-0.1, -3.0}}, new String[] {"No", "Yes"})))) {
      // 2 units, 2 policies: llama-guard 1 request a unit, the others 1 a unit and policy
      DryRunEstimate lg = BatchLabeler.estimate(config(server, "llama-guard", false, new ArrayList<>()));
      assertThat(lg.requests()).isEqualTo(2);
      assertThat(lg.expected().outputTokens()).isEqualTo(2 * 2);
      assertThat(lg.expected().outputBasis()).isEqualTo("default: 2 per request for llama-guard: \"safe\" and the end"
          + " of turn; \"unsafe\\nS1\" is 4, violations are rare");
      DryRunEstimate sg = BatchLabeler.estimate(config(server, "shieldgemma", false, new ArrayList<>()));
      assertThat(sg.expected().outputTokens()).isEqualTo(4 * 16);
      assertThat(sg.expected().outputBasis()).isEqualTo("default: 16 per request for shieldgemma: Yes/No and the"
          + " step-by-step explanation its template asks for, to the default cap");
      DryRunEstimate high = BatchLabeler.estimate(config(server, "gpt-oss-safeguard:high", false, new ArrayList<>()));
      assertThat(high.expected().outputTokens()).isEqualTo(4 * (46 + 1000));
      assertThat(high.expected().outputBasis()).isEqualTo("default: 1046 per request for gpt-oss-safeguard:high: a"
          + " 46-token JSON verdict + 1000 reasoning tokens (assumed; measure with a small run)");
      assertThat(BatchLabeler.estimate(config(server, "gpt-oss-safeguard:low", false, new ArrayList<>()))
          .expected().outputTokens()).isEqualTo(4 * (46 + 150));
    }
  }

  @Test
  void dry_run_should_count_each_safeguard_policys_own_system_message_as_its_cacheable_prefix() throws IOException {
    try (FakeOpenAi server = new FakeOpenAi((req, n) -> new FakeOpenAi.Raw(completion("No", new String[] {"No"},
        new double[][] {{-0.1, -3.0}}, new String[] {"No", "Yes"})))) {
      LabelerConfig cfg = config(server, "gpt-oss-safeguard", false, new ArrayList<>());
      DryRunEstimate e = BatchLabeler.estimate(cfg);

      // each policy's system message, counted as the dry run counts it, in OpenAI's 128-token steps
      TokenEstimator tokens = new TokenEstimator("shieldgemma-9b");
      dev.plumb.labeler.unit.Unit unit = dev.plumb.labeler.unit.Units.parse(
          (ObjectNode) Json.mapper().readTree("{\"id\":\"u-1\",\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"x\"}]}"),
          "units.jsonl", 1);
      List<Long> prefixes = new ArrayList<>();
      for (String policy : List.of("self_harm@2", "harassment@1")) {
        long system = tokens.message(cfg.prompt.render(unit, false, List.of(policy)).messages().get(0));
        assertThat(system).isGreaterThanOrEqualTo(1024); // above OpenAI's minimum, so each is cached
        prefixes.add(system / 128 * 128);
      }
      assertThat(prefixes.get(0)).isNotEqualTo(prefixes.get(1));
      assertThat(e.requests()).isEqualTo(4);
      assertThat(e.cachePrefixes()).isEqualTo(2);
      assertThat(e.cacheablePrefixTokens()).isEqualTo(Math.round((prefixes.get(0) + prefixes.get(1)) / 2.0));
      // per policy: 2 requests, the first writes its prefix under the one cache key, round(1 × 0.9) = 1 hit
      assertThat(e.cachedInputTokens()).isEqualTo(prefixes.get(0) + prefixes.get(1));
    }
  }
}
