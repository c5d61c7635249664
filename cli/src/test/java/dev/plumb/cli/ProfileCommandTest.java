package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.UnitJson;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --profile} and {@code --scores} on {@code plumb prompt test} and {@code plumb label}, against
 * an in-process server that answers as ShieldGemma does ({@code Yes}/{@code No} with
 * {@code top_logprobs}): it finds which of self_harm@2's examples the request carries and answers
 * what the example expects (a borderline example gets "No").
 */
class ProfileCommandTest {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<JsonNode> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    System.setProperty("plumb.cache.dir", dir.resolve("cache").toString());
    Policy selfHarm = PolicyLibrary.load(ROOT.resolve("policies")).select(List.of("self_harm@2")).get(0);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/chat/completions", x -> {
      JsonNode request = Json.mapper().readTree(x.getRequestBody().readAllBytes());
      requests.incrementAndGet();
      bodies.add(request);
      String text = request.at("/messages/0/content").asText();
      boolean yes = false;
      for (Example e : selfHarm.examples()) {
        Unit u = e.unit();
        if (text.contains(UnitJson.textOnly(u))) {
          yes = selfHarm.decision(e.decision()).orElseThrow().positive();
        }
      }
      byte[] b = completion(yes ? "Yes" : "No", yes ? -0.1 : -2.5, yes ? -2.4 : -0.08).getBytes(StandardCharsets.UTF_8);
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

  private static String completion(String answer, double yes, double no) {
    ObjectNode c = Json.object();
    c.put("id", "c").put("object", "chat.completion").put("created", 1).put("model", "shieldgemma");
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", answer);
    ObjectNode t = choice.putObject("logprobs").putArray("content").addObject();
    t.put("token", answer).put("logprob", answer.equals("Yes") ? yes : no);
    ArrayNode top = t.putArray("top_logprobs");
    top.addObject().put("token", "Yes").put("logprob", yes);
    top.addObject().put("token", "No").put("logprob", no);
    c.putObject("usage").put("prompt_tokens", 600).put("completion_tokens", 1).put("total_tokens", 601);
    return Json.line(c);
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Test
  void should_run_a_prompt_test_with_the_shieldgemma_profile_against_the_test_server() {
    Cli r = Cli.run("prompt", "test", "--policy", "self_harm@2", "--policies", ROOT.resolve("policies").toString(),
        "--prompts", ROOT.resolve("prompts").toString(), "--model", "shieldgemma-9b", "--base-url", baseUrl(),
        "--profile", "shieldgemma", "--scores");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("prompt test of self_harm@2: 16 examples (6 shown in the prompt)\n");
    assertThat(r.out()).containsPattern("candidate: self_harm@2, prompt sha256:[0-9a-f]{12}, openai shieldgemma-9b");
    // every example answered as it expects: the violating ones Yes, the others (borderline and safe) No
    assertThat(r.out()).contains("sensitivity          8/8  100.0%");
    assertThat(r.out()).contains("specificity          8/8  100.0%");
    assertThat(requests.get()).isEqualTo(16);
    for (JsonNode b : bodies) {
      assertThat(b.path("top_logprobs").asInt()).isEqualTo(5);
      assertThat(b.has("response_format")).isFalse();
      assertThat(b.at("/messages/0/content").asText()).startsWith("You are a policy expert trying to help determine");
    }
    assertThat(r.err()).contains("policies/self_harm/v2.yaml: categories, rules, allowed, examples: shieldgemma cannot express them");
  }

  @Test
  void should_label_with_scores_and_say_so_in_the_dry_run() throws IOException {
    Path units = dir.resolve("sample.jsonl");
    Files.writeString(units, "{\"id\":\"u-1\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"hello\"}]}\n");
    List<String> args = new ArrayList<>(List.of("label", "--units", units.toString(), "--out",
        dir.resolve("labels.jsonl").toString(), "--policies", ROOT.resolve("policies").toString(), "--prompts",
        ROOT.resolve("prompts").toString(), "--policy", "self_harm", "--policy", "harassment", "--model", "shieldgemma-9b",
        "--base-url", baseUrl(), "--profile", "shieldgemma", "--scores"));
    List<String> dry = new ArrayList<>(args);
    dry.add("--dry-run");
    Cli d = Cli.run(dry.toArray(String[]::new));
    assertThat(d.code()).as(d.err()).isEqualTo(ExitCode.OK);
    assertThat(d.out()).contains("requests: 2 (one per unit and policy; an invalid answer costs one more)\n");
    assertThat(d.out()).contains("output tokens: at most 32 (16 per request)"); // the cap of ShieldGemma's profile

    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    List<JsonNode> labels = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("labels.jsonl"))) {
      labels.add(Json.mapper().readTree(line));
    }
    assertThat(labels).hasSize(2);
    for (JsonNode l : labels) {
      assertThat(l.path("decision").asText()).isEqualTo("safe");
      // python3 -c "import math; a,b=math.exp(-2.5),math.exp(-0.08); print(round(a/(a+b),6))" -> 0.08166
      assertThat(l.path("score").decimalValue().toPlainString()).isEqualTo("0.08166");
    }
  }

  @Test
  void should_refuse_a_profile_with_the_local_backend_and_an_unknown_profile() throws IOException {
    String x = dir.resolve("x.jsonl").toString();
    Files.writeString(Path.of(x), "{\"id\":\"u-1\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"hi\"}]}\n");
    Cli local = Cli.run("label", "--units", x, "--out", dir.resolve("l.jsonl").toString(), "--backend", "local",
        "--policies", ROOT.resolve("policies").toString(), "--profile", "llama-guard");
    assertThat(local.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(local.err()).isEqualTo("--profile and --scores are for an LLM backend: --backend local answers in plumb's"
        + " own format and has no token probabilities\n");
    Cli unknown = Cli.run("label", "--units", x, "--out", dir.resolve("l.jsonl").toString(), "--model", "m",
        "--policies", ROOT.resolve("policies").toString(), "--profile", "llamaguard");
    assertThat(unknown.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(unknown.err()).isEqualTo("--profile: unknown profile \"llamaguard\"; choose one of plumb, gpt-oss-safeguard,"
        + " llama-guard, shieldgemma\n");
  }

  @Test
  void dry_run_should_state_the_profiles_expected_answer_and_count_each_policys_cacheable_prefix() throws IOException {
    Path units = dir.resolve("sample.jsonl");
    Files.writeString(units, "{\"id\":\"u-1\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"hello\"}]}\n"
        + "{\"id\":\"u-2\",\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"bye\"}]}\n");
    Cli d = Cli.run("label", "--units", units.toString(), "--out", dir.resolve("labels.jsonl").toString(), "--policies",
        ROOT.resolve("policies").toString(), "--prompts", ROOT.resolve("prompts").toString(), "--policy", "self_harm",
        "--policy", "harassment", "--model", "gpt-oss-safeguard-20b", "--base-url", baseUrl(), "--profile",
        "gpt-oss-safeguard:low", "--dry-run");

    assertThat(d.code()).as(d.err()).isEqualTo(ExitCode.OK);
    assertThat(d.out()).contains("requests: 4 (one per unit and policy; an invalid answer costs one more)\n");
    assertThat(d.out()).containsPattern("prompt cache: 2 shared prefixes, one per request group, [0-9,]+ tokens a request"
        + " on average; expected [0-9,]+ tokens read from cache \\(90% of requests after the first hit\\)\n");
    assertThat(d.out()).contains("output tokens: at most 16,384 (4,096 per request), expected 784 (default: 196 per"
        + " request for gpt-oss-safeguard:low: a 46-token JSON verdict + 150 reasoning tokens (assumed; measure with a"
        + " small run))\n");
    assertThat(requests.get()).isZero();
  }
}
