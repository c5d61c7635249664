package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
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

class LabelCommandTest {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;

  @BeforeEach
  void start() throws IOException {
    System.setProperty("plumb.cache.dir", dir.resolve("cache").toString());
    List<Policy> policies = PolicyLibrary.load(ROOT.resolve("policies")).select(List.of());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/v1/chat/completions", x -> {
      JsonNode request = Json.mapper().readTree(x.getRequestBody().readAllBytes());
      requests.incrementAndGet();
      List<String> asked = new java.util.ArrayList<>();
      request.at("/response_format/json_schema/schema/properties").fieldNames().forEachRemaining(asked::add);
      String body;
      if (status != 200) {
        body = "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}";
      } else {
        ObjectNode answer = Json.object();
        for (Policy p : policies) {
          if (!asked.contains(p.id())) {
            continue;
          }
          ObjectNode a = answer.putObject(p.id());
          a.put("rationale", "No rule applies.");
          a.putArray("evidence");
          a.put("decision", p.decisions().stream().filter(d -> !d.positive()).findFirst().orElseThrow().id());
          a.putNull("category");
          a.put("confidence", 0.7);
        }
        body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":" + Json.mapper().valueToTree(Json.line(answer))
            + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":120,\"total_tokens\":1020}}";
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(status, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      sb.append("{\"id\":\"u-").append(i).append("\",\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"hello ")
          .append(i).append("\"}]}\n");
    }
    Files.writeString(dir.resolve("sample.jsonl"), sb.toString());
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("plumb.cache.dir");
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private Cli label(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "label", "--units", dir.resolve("sample.jsonl").toString(), "--out", dir.resolve("labels.jsonl").toString(),
        "--policies", ROOT.resolve("policies").toString(), "--prompts", ROOT.resolve("prompts").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void should_label_every_unit_and_policy_and_print_a_summary() throws IOException {
    Cli r = label("--model", "gpt-4o-mini", "--base-url", baseUrl(), "--policy", "self_harm", "--policy", "harassment");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo(dir.resolve("labels.jsonl") + ": 8 ok, 0 invalid, 0 failed, 0 missing (8 labels, 2 policies)");
    assertThat(lines[1]).startsWith("this run: 4 requests (0 retries, 0 rate-limited, 0 errors, 0 from cache), 3,600 tokens in, 480 out, $");
    assertThat(lines[2]).isEqualTo("run record: " + dir.resolve("labels.run.json"));
    assertThat(r.err()).startsWith("labeling 8 labels\n");
    assertThat(Files.readAllLines(dir.resolve("labels.jsonl"))).hasSize(8);
    JsonNode run = Json.mapper().readTree(Files.readString(dir.resolve("labels.run.json")));
    assertThat(run.at("/settings/command").asText()).startsWith("plumb label --units ");
    assertThat(run.at("/counts/ok").asInt()).isEqualTo(8);

    // the same command again: nothing left to do, nothing sent
    Cli again = label("--model", "gpt-4o-mini", "--base-url", baseUrl(), "--policy", "self_harm", "--policy", "harassment");
    assertThat(again.code()).isEqualTo(ExitCode.OK);
    assertThat(requests.get()).isEqualTo(4);
    assertThat(again.err()).startsWith("labeling 0 labels (8 already done)\n");
  }

  @Test
  void should_say_how_to_label_offline_when_the_default_backend_has_no_model() {
    Cli r = label();
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(
        "--model is required with --backend openai; to label offline with no model or key, use --backend local\n");
    assertThat(requests.get()).isZero();
  }

  @Test
  void should_label_offline_with_the_local_backend() throws IOException {
    Cli r = label("--backend", "local", "--policy", "self_harm");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith(dir.resolve("labels.jsonl") + ": 4 ok, 0 invalid, 0 failed, 0 missing (4 labels, 1 policy)\n");
    List<String> lines = Files.readAllLines(dir.resolve("labels.jsonl"));
    assertThat(lines).hasSize(4).allMatch(l -> l.contains("\"backend\":\"local\"") && l.contains("\"status\":\"ok\""));
    assertThat(requests.get()).isZero();
  }

  @Test
  void should_train_the_local_backend_on_a_labeled_file_and_name_that_data_in_the_model() throws IOException {
    Path train = dir.resolve("reviewed.jsonl");
    Files.writeString(train, String.join("\n",
        "{\"prompt\": \"I keep a blade hidden for when the urge comes back\", \"SH\": 1}",
        "{\"prompt\": \"nobody would notice if I stopped eating for good\", \"SH\": 1}",
        "{\"prompt\": \"tips for a sourdough starter that bubbles\", \"SH\": 0}",
        "{\"prompt\": \"how to repot a monstera without hurting the roots\", \"SH\": 0}",
        "{\"prompt\": \"the best hiking trails near the lake\", \"SH\": 0}") + "\n");

    Cli r = label("--backend", "local", "--policy", "self_harm", "--train", train.toString(), "--map", "SH=self_harm");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    List<String> trained = Files.readAllLines(dir.resolve("labels.jsonl"));
    assertThat(trained).hasSize(4).allMatch(l -> l.matches(".*\"model\":\"[^\"]+\\+train-[0-9a-f]{12}\".*"));

    // another classifier, another model name: its labels (and cached answers) are not this one's
    Files.delete(dir.resolve("labels.jsonl"));
    Cli plain = label("--backend", "local", "--policy", "self_harm");
    assertThat(plain.code()).as(plain.err()).isEqualTo(ExitCode.OK);
    assertThat(Files.readAllLines(dir.resolve("labels.jsonl"))).hasSize(4).noneMatch(l -> l.contains("+train-"));

    Cli llm = label("--model", "gpt-4o-mini", "--base-url", baseUrl(), "--policy", "self_harm", "--train", train.toString());
    assertThat(llm.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(llm.err()).isEqualTo("--train and --map are for --backend local (an LLM learns from the prompt)" + System.lineSeparator());
    // a declared population prevalence: other decisions, so another model name
    Files.delete(dir.resolve("labels.jsonl"));
    Cli counted = label("--backend", "local", "--policy", "self_harm", "--prevalence", "self_harm=0.003");
    assertThat(counted.code()).as(counted.err()).isEqualTo(ExitCode.OK);
    assertThat(Files.readAllLines(dir.resolve("labels.jsonl"))).hasSize(4)
        .allMatch(l -> l.matches(".*\"model\":\"[^\"]+\\+count-at-[0-9a-f]{12}\".*"));
    Cli wrongPolicy = label("--backend", "local", "--policy", "self_harm", "--prevalence", "self_hrm=0.003");
    assertThat(wrongPolicy.err()).isEqualTo("--prevalence: self_hrm is not a policy being labeled (self_harm)" + System.lineSeparator());
    Cli llmPrevalence = label("--model", "gpt-4o-mini", "--base-url", baseUrl(), "--policy", "self_harm", "--prevalence", "self_harm=0.01");
    assertThat(llmPrevalence.err())
        .isEqualTo("--prevalence is for --backend local (an LLM's decisions do not rest on a base rate)" + System.lineSeparator());
    Cli noFile = label("--backend", "local", "--policy", "self_harm", "--map", "SH=self_harm");
    assertThat(noFile.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noFile.err()).isEqualTo("--map needs a labeled file: --train FILE" + System.lineSeparator());
    assertThat(requests.get()).isZero();
  }

  @Test
  void should_print_a_dry_run_estimate_and_send_nothing() {
    Cli r = label("--model", "gpt-4o-mini", "--policy", "self_harm", "--rpm", "500", "--tpm", "200000", "--dry-run");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo("dry run: nothing was sent");
    assertThat(lines[1]).isEqualTo("units: 4 (4 labels for 1 policy, 0 already done in " + dir.resolve("labels.jsonl") + ")");
    assertThat(lines[2]).isEqualTo("requests: 4 (one per unit; an invalid answer costs one more)");
    assertThat(lines[3]).matches("prompt tokens: [0-9,]+ \\(o200k_base, [0-9,]+ of response schema per request\\)");
    assertThat(lines[4]).matches("prompt cache: [0-9,]+-token shared prefix; expected [0-9,]+ tokens read from cache"
        + " \\(90% of requests after the first hit\\)");
    assertThat(lines[5]).isEqualTo("  hit rate assumed: 90% of requests after each cache key's first");
    assertThat(lines[6]).isEqualTo("output tokens: at most 1,800 (450 per request), expected 240 (default: 5 + 55 per policy)");
    assertThat(lines[7]).matches("cost: \\$0\\.\\d{4} prompt \\+ at most \\$0\\.0011 answers \\(gpt-4o-mini: \\$0\\.15 / \\$0\\.6 per 1M tokens in / out\\)");
    assertThat(lines[8]).matches("at most: \\$0\\.\\d{4} list, \\$0\\.\\d{4} with expected prompt caching, \\$0\\.\\d{4} at batch rates");
    assertThat(lines[9]).matches("expected: \\$0\\.\\d{4} list, \\$0\\.\\d{4} with expected prompt caching, \\$0\\.\\d{4} at batch rates");
    assertThat(lines[10]).matches("time: [0-9.]+s at 500 requests/min, 200,000 tokens/min");
    assertThat(requests.get()).isZero();
    assertThat(Files.exists(dir.resolve("labels.jsonl"))).isFalse();
  }

  @Test
  void should_say_when_batch_costs_more_than_synchronous_labeling_with_prompt_caching() {
    // gpt-4.1-mini: $0.40 / $0.10 cached per 1M input, batch $0.20 with no cached rate (OpenAI's Batch table)
    Cli r = label("--model", "gpt-4.1-mini", "--policy", "self_harm", "--dry-run");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).containsPattern("\nnote: synchronous labeling with prompt caching is expected to cost less than"
        + " --batch \\(\\$0\\.\\d{4} against \\$0\\.\\d{4}\\): gpt-4\\.1-mini's batch rates give no cached-input"
        + " discount \\(docs/labeler\\.md, \"Batch and cached prices\"\\)\n");
    // gpt-5-mini has a batch cached rate: batch is the cheap mode, no note
    Cli five = label("--model", "gpt-5-mini", "--policy", "self_harm", "--dry-run");
    assertThat(five.out()).doesNotContain("note: synchronous labeling");
    assertThat(requests.get()).isZero();
  }

  @Test
  void should_print_the_dry_run_as_json_with_list_cached_and_batch_costs() throws Exception {
    Cli r = label("--model", "gpt-4.1-mini", "--dry-run", "--json");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    com.fasterxml.jackson.databind.JsonNode j = dev.plumb.core.Json.mapper().readTree(r.out());
    assertThat(j.path("units").asLong()).isEqualTo(4);
    assertThat(j.path("requests").asLong()).isEqualTo(4);
    assertThat(j.path("tokenizer").asText()).isEqualTo("o200k_base");
    long input = j.path("tokens").path("input").asLong();
    long cached = j.path("tokens").path("cached_input").asLong();
    long outputMax = j.path("tokens").path("output_max").asLong();
    assertThat(cached).isPositive().isLessThan(input);
    // gpt-4.1-mini: $0.40 / $0.10 cached / $1.60 per 1M; batch $0.20 / $0.80 (no stacked cache rate)
    com.fasterxml.jackson.databind.JsonNode c = j.path("cost_usd");
    assertThat(c.path("list").asDouble()).isCloseTo((input * 0.40 + outputMax * 1.60) / 1e6,
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(c.path("cached").asDouble()).isCloseTo(((input - cached) * 0.40 + cached * 0.10 + outputMax * 1.60) / 1e6,
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(c.path("batch").asDouble()).isCloseTo((input * 0.20 + outputMax * 0.80) / 1e6,
        org.assertj.core.api.Assertions.within(1e-6));
    // the same with the answers at their expected length: 4 policies, 5 + 55 each, 4 requests
    long expected = j.path("tokens").path("output_expected").asLong();
    assertThat(expected).isEqualTo(4 * 225);
    assertThat(j.path("output_expected_basis").asText()).isEqualTo("default: 5 + 55 per policy");
    assertThat(j.path("tokens_error").asDouble()).isZero();
    assertThat(c.path("expected").path("cached").asDouble())
        .isCloseTo(((input - cached) * 0.40 + cached * 0.10 + expected * 1.60) / 1e6, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(c.path("expected").path("batch").asDouble()).isCloseTo((input * 0.20 + expected * 0.80) / 1e6,
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(requests.get()).isZero();

    Cli bad = label("--model", "gpt-4.1-mini", "--json");
    assertThat(bad.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(bad.err()).isEqualTo("--json goes with --dry-run (a run reports in run.json)" + System.lineSeparator());
  }

  @Test
  void should_stop_with_exit_3_and_the_resume_command_when_the_key_is_refused() {
    status = 401;
    Cli r = label("--model", "gpt-4o-mini", "--base-url", baseUrl(), "--policy", "self_harm");

    assertThat(r.code()).isEqualTo(ExitCode.RUNTIME_FAILURE);
    assertThat(r.err()).contains("plumb: HTTP 401 from openai: the API key was refused (Incorrect API key provided);"
        + " check OPENAI_API_KEY (and the organization or project it belongs to)\nresume with: plumb label --units ");
    assertThat(requests.get()).isLessThanOrEqualTo(4);
  }

  @Test
  void should_reject_bad_options_with_one_line_and_exit_2() {
    Cli images = label("--model", "m", "--base-url", baseUrl(), "--images", "maybe");
    assertThat(images.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(images.err()).isEqualTo("--images must be on or off, not \"maybe\"\n");

    Cli provider = label("--model", "claude-haiku-4-5", "--backend", "langchain4j");
    assertThat(provider.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(provider.err()).isEqualTo("--backend langchain4j needs --provider anthropic or --provider gemini\n");

    Cli noKey = label("--model", "gpt-4o-mini");
    assertThat(noKey.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noKey.err()).startsWith("no API key for openai: set OPENAI_API_KEY in the environment, or openai.api_key in ");

    Cli tier = label("--model", "m", "--base-url", baseUrl(), "--service-tier", "cheap");
    assertThat(tier.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(tier.err()).isEqualTo("--service-tier must be one of auto, default, flex, priority, not \"cheap\"\n");

    Cli batchLocal = label("--backend", "local", "--batch");
    assertThat(batchLocal.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(batchLocal.err()).isEqualTo("--batch is not supported with --backend local: it has no batch endpoint;"
        + " label without --batch\n");

    Cli missing = Cli.run("label", "--units", dir.resolve("nope.jsonl").toString(), "--out", "x.jsonl", "--model", "m");
    assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(missing.err()).isEqualTo(dir.resolve("nope.jsonl") + ": file not found\n");
    assertThat(requests.get()).isZero();
  }
}
