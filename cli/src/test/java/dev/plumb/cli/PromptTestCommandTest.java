package dev.plumb.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.plumb.core.Json;
import dev.plumb.labeler.evaluation.FlipTest;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.unit.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb prompt test} on the starter policies (self_harm@1 vs self_harm@2): with the offline
 * local backend, and with the OpenAI backend against WireMock, where a scripted model answers as
 * the policy version in its system message says (its examples), with deliberate mistakes.
 */
class PromptTestCommandTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final PolicyLibrary LIBRARY = PolicyLibrary.load(ROOT.resolve("policies"));
  private static final Pattern VERSION = Pattern.compile("## Policy \"self_harm\": .*\\(version (\\d+)\\)");

  @TempDir Path dir;
  private WireMockServer wm;
  private ScriptedModel model;
  private String cacheBefore;

  @BeforeEach
  void start() {
    cacheBefore = System.getProperty("plumb.cache.dir");
    model = new ScriptedModel();
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(model));
    wm.start();
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(ok()));
  }

  @AfterEach
  void stop() {
    wm.stop();
    if (cacheBefore == null) {
      System.clearProperty("plumb.cache.dir");
    } else {
      System.setProperty("plumb.cache.dir", cacheBefore);
    }
  }

  /** A fresh response cache for this test (the local backend's models stay in the shared test cache). */
  private void freshCache() {
    System.setProperty("plumb.cache.dir", dir.resolve("cache").toString());
  }

  private int requests() {
    return wm.countRequestsMatching(postRequestedFor(urlPathEqualTo("/v1/chat/completions")).build()).getCount();
  }

  private Cli test(String... extra) {
    List<String> args = new ArrayList<>(List.of("prompt", "test",
        "--policies", ROOT.resolve("policies").toString(), "--prompts", ROOT.resolve("prompts").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private Cli openai(String... extra) {
    List<String> args = new ArrayList<>(List.of("--model", "gpt-4o-mini", "--base-url", wm.baseUrl() + "/v1"));
    args.addAll(List.of(extra));
    return test(args.toArray(String[]::new));
  }

  private static List<String> lines(String text) {
    return List.of(text.split("\n"));
  }

  private static List<String> ids(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  // ---- OpenAI backend (WireMock) ----

  @Test
  void should_report_fixed_broken_and_changed_flips_between_self_harm_1_and_2_with_openai() throws IOException {
    freshCache();
    // the model follows each version's examples, except: v2 calls sh-06 safe (v1 had it right: broken),
    // and on sh-14 v1 says violating, v2 safe (both wrong, differently: changed)
    model.mistake(2, "sh-06", "safe", null);
    model.mistake(1, "sh-14", "violating", "promotion");
    model.mistake(2, "sh-14", "safe", null);

    Cli r = openai("--policy", "self_harm@2", "--against", "self_harm@1", "--alpha", "1");

    // --alpha 1: any broken case fails
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.CHECK_FAILED);
    List<String> out = lines(r.out());
    assertThat(out.get(0)).isEqualTo("prompt test of self_harm@2: 16 examples (6 shown in the prompt)");
    assertThat(out.get(1)).matches("candidate: self_harm@2, prompt sha256:[0-9a-f]{12}, openai gpt-4o-mini");
    assertThat(out.get(2)).matches("baseline : self_harm@1, prompt sha256:[0-9a-f]{12}, openai gpt-4o-mini");
    assertThat(r.out()).contains(
        // 95% Wilson intervals; statsmodels proportion_confint(k, n, method="wilson")
        "accuracy               14/16  87.5% (64.0–96.5)            12/16  75.0% (50.5–89.8)\n"
            + "  not in the prompt    8/10  80.0% (49.0–94.3)             7/11  63.6% (35.4–84.8)\n"
            + "  sensitivity          8/8  100.0% (67.6–100.0)            6/8  75.0% (40.9–92.9)\n"
            + "  specificity          8/8  100.0% (67.6–100.0)            7/8  87.5% (52.9–97.8)\n"
            + "violating vs not       TP 8 FN 0 FP 0 TN 8                 TP 6 FN 2 FP 1 TN 7\n"
            + "requests               16 (0 from cache)                   16 (0 from cache)\n");
    assertThat(r.out()).contains("confusion, candidate self_harm@2 (rows: expected, columns: answered)\n"
        + "              violating borderline  safe (no answer)\n"
        + "  violating           8          0     0           0\n"
        + "  borderline          0          3     2           0\n"
        + "  safe                0          0     3           0\n");
    assertThat(r.out()).contains(
        "flips (baseline → candidate): 3 fixed, 1 broken, 1 changed\n"
            + "  broken   sh-06  borderline → safe, expected borderline\n"
            + "  fixed    sh-09  safe → violating/disordered_eating, expected violating/disordered_eating (self_harm@1 expected safe)\n"
            + "  fixed    sh-15  safe → violating/disordered_eating, expected violating/disordered_eating (new example)\n"
            + "  fixed    sh-17  safe → borderline, expected borderline (new example)\n"
            + "  changed  sh-14  violating/promotion → safe, expected borderline\n"
            + "  not tested (only in self_harm@1): sh-12\n"
            // scipy binomtest(1, 4, 0.5, alternative="greater").pvalue = 0.9375
            + "flip test: 1 broken vs 3 fixed, one-sided exact McNemar p = 0.938; fails: α 1 fails on any broken case\n");
    assertThat(r.out()).contains("failing in the candidate: 2\n"
        + "  sh-06  expected borderline, answered safe (confidence 0.90)  [example]\n"
        + "      rationale: scripted mistake\n"
        + "  sh-14  expected borderline, answered safe (confidence 0.90)  [example]\n"
        + "      rationale: scripted mistake\n");
    assertThat(r.out()).endsWith("REGRESSION: 1 case the baseline answered correctly fails now (1 broken vs 3 fixed, one-sided"
        + " exact McNemar p = 0.938 ≤ α 1): sh-06\n");

    // at the default α 0.05 one broken case against three fixed is no significant drop: shown, exit 0
    Cli tested = openai("--policy", "self_harm@2", "--against", "self_harm@1");
    assertThat(tested.code()).as(tested.err()).isEqualTo(ExitCode.OK);
    assertThat(tested.out()).contains("flip test: 1 broken vs 3 fixed, one-sided exact McNemar p = 0.938; no significant drop"
        + " at α 0.05\n");
    assertThat(tested.out()).endsWith("note: 1 case the baseline answered correctly fails now, not a significant drop (1 broken"
        + " vs 3 fixed, one-sided exact McNemar p = 0.938 > α 0.05): sh-06\nno regression\n");
    assertThat(requests()).isEqualTo(32);

    // the same as JSON, for CI
    Cli j = openai("--policy", "self_harm@2", "--against", "self_harm@1", "--json", "--alpha", "1");
    assertThat(j.code()).isEqualTo(ExitCode.CHECK_FAILED);
    JsonNode report = Json.mapper().readTree(j.out());
    assertThat(report.path("format").asText()).isEqualTo("plumb.prompt-test/1");
    assertThat(ids(report.at("/flips/fixed"))).containsExactly("sh-09", "sh-15", "sh-17");
    assertThat(ids(report.at("/flips/broken"))).containsExactly("sh-06");
    assertThat(ids(report.at("/flips/changed"))).containsExactly("sh-14");
    assertThat(report.at("/candidate/accuracy").asDouble()).isEqualTo(14 / 16.0);
    assertThat(report.at("/baseline/correct").asInt()).isEqualTo(12);
    assertThat(report.at("/candidate/cache_hits").asInt()).isEqualTo(16);
    assertThat(report.at("/candidate/requests").asInt()).isZero();
    assertThat(report.path("regression").asBoolean()).isTrue();
    assertThat(report.at("/flip_test/p_value").asDouble()).isEqualTo(0.9375);
    assertThat(report.at("/candidate/sensitivity/interval/0").asDouble()).isCloseTo(0.6756, within(1e-4));
    assertThat(report.at("/baseline/specificity/k").asInt()).isEqualTo(7);
    JsonNode sh06 = StreamSupport.stream(report.path("cases").spliterator(), false)
        .filter(c -> c.path("id").asText().equals("sh-06")).findFirst().orElseThrow();
    assertThat(sh06.at("/candidate/rationale").asText()).isEqualTo("scripted mistake");
    assertThat(sh06.at("/baseline/correct").asBoolean()).isTrue();
    assertThat(sh06.at("/candidate/correct").asBoolean()).isFalse();
    assertThat(requests()).as("every answer of the second run came from the response cache").isEqualTo(32);

    // how many cases detect a 5-point drop: 134 when every flip is a break (FlipTestTest has the python reference);
    // 4 of the 16 cases flipped between right and wrong here
    Cli power = openai("--policy", "self_harm@2", "--against", "self_harm@1", "--json", "--power", "5");
    assertThat(power.code()).isEqualTo(ExitCode.OK);
    JsonNode p = Json.mapper().readTree(power.out()).path("power");
    assertThat(p.path("cases").asInt()).isEqualTo(16);
    assertThat(p.path("cases_needed_all_broken").asInt()).isEqualTo(134);
    assertThat(p.path("observed_discordance").asDouble()).isEqualTo(0.25);
    assertThat(p.path("cases_needed_observed").asInt()).isEqualTo(FlipTest.casesNeeded(0.05, 0.25, 0.05));
    Cli powerText = openai("--policy", "self_harm@2", "--against", "self_harm@1", "--power", "5");
    assertThat(powerText.out()).contains("power: to detect a drop of 5 points (one-sided exact McNemar, α 0.05, power 0.8), this test"
        + " has 16 cases and needs\n  134 cases when every flip is a break (the fewest)\n  "
        + FlipTest.casesNeeded(0.05, 0.25, 0.05) + " cases when 25.0% of cases flip either way, as here\n");
  }

  @Test
  void should_cost_one_request_to_rerun_after_editing_one_golden_unit() throws IOException {
    freshCache();
    Path golden = dir.resolve("golden.jsonl");
    model.golden("free ana tips: how to hide skipped meals from your parents", "violating");
    model.golden("my grandma's apple pie recipe", "safe");
    model.golden("my grandma's plum pie recipe", "safe");
    Files.writeString(golden, """
        {"id":"g-1","components":[{"id":"q","kind":"query","text":"free ana tips: how to hide skipped meals from your parents"}],"expected":{"self_harm":{"decision":"violating","category":"disordered_eating"},"harassment":"safe"}}
        {"id":"g-2","components":[{"id":"q","kind":"query","text":"my grandma's apple pie recipe"}],"expected":{"self_harm":"safe"}}
        {"id":"g-3","components":[{"id":"q","kind":"query","text":"a rude tweet"}],"expected":{"harassment":"violating"}}
        {"id":"g-4","components":[{"id":"q","kind":"query","text":"a sunny day at the beach"}],"expected":{"self_harm":{"positive":false}}}
        """);

    Cli first = openai("--policy", "self_harm@2", "--golden", golden.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(first.out()).startsWith("prompt test of self_harm@2: 16 examples (6 shown in the prompt) + 3 golden units (" + golden + ")\n");
    // Wilson intervals: statsmodels proportion_confint(2, 3, method="wilson") = (0.208, 0.939)
    assertThat(first.out()).contains("  golden units         2/3  66.7% (20.8–93.9)\n");
    assertThat(first.out()).contains("  (negative)          0          0     1           0\n");
    // the scripted model names no category for g-1, and the golden file asks for one
    assertThat(first.out()).contains("  g-1  expected violating/disordered_eating, answered violating/promotion (confidence 0.90)  ["
        + golden + ":1]\n");
    assertThat(first.out()).endsWith("no regression\n");
    assertThat(requests()).isEqualTo(19);

    // unchanged: everything from the cache
    Cli again = openai("--policy", "self_harm@2", "--golden", golden.toString());
    assertThat(again.out()).contains("requests               0 (19 from cache)\n");
    assertThat(requests()).isEqualTo(19);

    // one golden unit edited: one request
    Files.writeString(golden, Files.readString(golden).replace("apple pie", "plum pie"));
    Cli edited = openai("--policy", "self_harm@2", "--golden", golden.toString());
    assertThat(edited.out()).contains("requests               1 (18 from cache)\n");
    assertThat(requests()).isEqualTo(20);

    // iterating on one case
    Cli one = openai("--policy", "self_harm@2", "--golden", golden.toString(), "--only", "g-2");
    assertThat(one.out()).startsWith("prompt test of self_harm@2: 0 examples (0 shown in the prompt) + 1 golden unit (");
    assertThat(one.out()).contains("requests               0 (1 from cache)\n");
    assertThat(requests()).isEqualTo(20);
  }

  @Test
  void should_compare_two_models_and_exit_0_when_nothing_regressed() {
    freshCache();
    model.mistake(2, "sh-07", "borderline", null); // both models make the same mistake: not a flip
    Cli r = openai("--policy", "self_harm@2", "--against-model", "gpt-4.1-mini");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(lines(r.out()).get(2)).matches("baseline : self_harm@2, prompt sha256:[0-9a-f]{12}, openai gpt-4.1-mini");
    assertThat(r.out()).contains("flips (baseline → candidate): 0 fixed, 0 broken, 0 changed\n");
    assertThat(r.out()).endsWith("no regression\n");
    assertThat(requests()).isEqualTo(32); // another model is another request, never a cache hit

    Cli strict = openai("--policy", "self_harm@2", "--min-accuracy", "0.99");
    assertThat(strict.code()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(strict.out()).endsWith("REGRESSION: accuracy 0.938 is below --min-accuracy 0.99\n");
  }

  @Test
  void should_compare_two_prompt_template_directories() throws IOException {
    freshCache();
    Path other = dir.resolve("prompts-b");
    Files.createDirectories(other);
    try (var files = Files.list(ROOT.resolve("prompts"))) {
      for (Path f : files.toList()) {
        Files.copy(f, other.resolve(f.getFileName()));
      }
    }
    Files.writeString(other.resolve("system.mustache"), Files.readString(other.resolve("system.mustache")) + "\nBe careful.\n");
    Cli r = openai("--policy", "self_harm@2", "--against-prompts", other.toString(), "--json");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    JsonNode report = Json.mapper().readTree(r.out());
    assertThat(report.at("/baseline/prompt").asText()).isNotEqualTo(report.at("/candidate/prompt").asText());
    assertThat(report.at("/baseline/policy").asText()).isEqualTo("self_harm@2");
    assertThat(requests()).isEqualTo(32);
  }

  @Test
  void should_compare_with_a_policy_library_of_another_checkout() throws IOException {
    freshCache();
    // "main" has a version of self_harm@2 in which sh-07 was borderline; the branch says safe
    Path main = dir.resolve("main-policies");
    try (var files = Files.walk(ROOT.resolve("policies"))) {
      for (Path f : files.toList()) {
        Path to = main.resolve(ROOT.resolve("policies").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path v2 = main.resolve("self_harm/v2.yaml");
    String text = Files.readString(v2);
    int at = text.indexOf("- id: sh-07\n    decision: safe");
    assertThat(at).isPositive();
    Files.writeString(v2, text.substring(0, at) + "- id: sh-07\n    decision: borderline"
        + text.substring(at + "- id: sh-07\n    decision: safe".length()));

    Cli r = openai("--policy", "self_harm", "--against-policies", main.toString(), "--json");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    JsonNode report = Json.mapper().readTree(r.out());
    assertThat(report.at("/baseline/policy").asText()).isEqualTo("self_harm@2");
    JsonNode sh07 = StreamSupport.stream(report.path("cases").spliterator(), false)
        .filter(c -> c.path("id").asText().equals("sh-07")).findFirst().orElseThrow();
    assertThat(sh07.at("/expected/decision").asText()).isEqualTo("safe");
    assertThat(sh07.at("/baseline_expected/decision").asText()).isEqualTo("borderline");
    assertThat(sh07.path("flip").isNull()).isTrue();
    // sh-07 is not shown in the prompt, so the baseline sends exactly the candidate's requests: all from the cache
    assertThat(report.at("/baseline/prompt").asText()).isNotEqualTo(report.at("/candidate/prompt").asText());
    assertThat(report.at("/baseline/cache_hits").asInt()).isEqualTo(16);
    assertThat(requests()).isEqualTo(16);
  }

  @Test
  void should_stop_with_exit_3_when_the_provider_refuses_the_key() {
    freshCache();
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(ResponseDefinitionBuilder.responseDefinition()
        .withStatus(401).withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}")));
    model.refuse = true;
    Cli r = openai("--policy", "self_harm@2");

    assertThat(r.code()).isEqualTo(ExitCode.RUNTIME_FAILURE);
    assertThat(r.err()).contains("plumb: candidate self_harm@2: HTTP 401 from openai: the API key was refused");
  }

  @Test
  void should_count_an_invalid_answer_as_wrong_and_exit_3_when_a_call_failed() {
    freshCache();
    model.fault("sh-07", "invalid");
    model.fault("sh-16", "500");
    Cli r = openai("--policy", "self_harm@2", "--max-attempts", "2");

    assertThat(r.code()).isEqualTo(ExitCode.RUNTIME_FAILURE);
    assertThat(r.out()).contains("accuracy               14/16  87.5% (64.0–96.5)\n");
    assertThat(r.out()).contains("  safe                0          0     1           2\n");
    assertThat(r.out()).contains("  sh-07  expected safe, answered (invalid)  [example]\n      error: ");
    assertThat(r.out()).contains("  sh-16  expected safe, answered (failed)  [example]\n      error: ");
    assertThat(r.err()).endsWith("plumb: 1 case has no answer because the model calls failed; run the same command again"
        + " (answers so far are cached)\n");
    int sent = requests();
    assertThat(sent).isEqualTo(14 + 2 + 2); // the invalid answer was asked again once; the 500 tried twice

    // fixed server: the rerun asks only what has no valid answer yet
    model.fault("sh-07", "none");
    model.fault("sh-16", "none");
    Cli again = openai("--policy", "self_harm@2", "--max-attempts", "2");
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCode.OK);
    assertThat(again.out()).contains("requests               2 (14 from cache)\n");
    assertThat(requests()).isEqualTo(sent + 2);
  }

  // ---- bad input ----

  @Test
  void should_list_every_bad_golden_line_and_exit_2() throws IOException {
    Path golden = dir.resolve("golden.jsonl");
    Files.writeString(golden, """
        {"id":"g-1","components":[{"id":"q","text":"fine"}],"expected":{"self_harm":"safe"}}
        {"id":"g-2","components":[{"id":"q","text":"x"}],"expected":{"self_harm":{"decision":"violation"}}}
        {"id":"g-1","components":[{"id":"q","text":"x"}],"expected":{"self_harm":"safe"}}
        {"id":"sh-03","components":[{"id":"q","text":"x"}],"expected":{"self_harm":"safe"}}
        {"id":"g-5","components":[{"id":"q","text":"x"}]}
        {"id":"g-6","components":[{"id":"q","text":"x"}],"expected":{"self_harm@2":"safe"}}
        {"id":"g-7","components":[{"id":"q","text":"x"}],"expected":{"self_harm":{"decision":"safe","category":"promotion"}}}
        {"id":"g-8","components":[{"id":"q","text":"x"}],"expected":{"self_harn":"safe"}}
        {"id":"g-9","components":[],"expected":{"self_harm":"safe"}}
        {"id":"g-10","components":[{"id":"q","text":"x"}],"expected":{"self_harm":{"decision":"violating","category":"sadness","why":"?"}}}
        {"id":"g-11","components":[{"id":"q","text":"x"}],"expected":{"self_harm":{"decision":"violating","positive":true}}}
        """);
    Cli r = test("--policy", "self_harm@2", "--golden", golden.toString(), "--backend", "local");

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    String g = golden.toString();
    assertThat(r.err()).isEqualTo(String.join("\n",
        g + ":2: expected.self_harm.decision: unknown decision \"violation\" of self_harm@2; decisions are: violating, borderline, safe",
        g + ":3: id: duplicate unit id \"g-1\" (first at line 1)",
        g + ":4: id: \"sh-03\" is the id of an example of self_harm@2; give golden units ids of their own",
        g + ":5: expected: missing; e.g. \"expected\": {\"self_harm\": {\"decision\": \"violating\"}}",
        g + ":6: expected.self_harm@2: name the policy by its id, without a version (\"self_harm\"): one golden file serves every version",
        g + ":7: expected.self_harm.category: a \"safe\" decision takes no category (only a decision that counts as a violation does)",
        g + ":8: expected.self_harn: unknown policy \"self_harn\"; policies are: adult_sexual, harassment, misinformation, self_harm",
        g + ":9: components: expected a non-empty array",
        g + ":10: expected.self_harm.why: unknown field; fields are: decision, category, positive, reason",
        g + ":10: expected.self_harm.category: unknown category \"sadness\" of self_harm@2; categories are: promotion, instructions, disordered_eating, graphic_depiction",
        g + ":11: expected.self_harm.positive: give either a decision (and category) or positive, not both",
        ""));
    assertThat(r.out()).isEmpty();

    Files.writeString(golden, "{\"id\":\"g-1\",\"components\":[{\"id\":\"q\",\"text\":\"x\"}],\"expected\":{\"self_harm\":\"safe\"}}\n{\"id\":\n");
    Cli torn = test("--policy", "self_harm@2", "--golden", golden.toString(), "--backend", "local");
    assertThat(torn.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(torn.err()).startsWith(g + ":2:");

    Files.writeString(golden, "{\"id\":\"g-1\",\"components\":[{\"id\":\"q\",\"text\":\"x\"}],\"expected\":{\"harassment\":\"safe\"}}\n");
    Cli none = test("--policy", "self_harm@2", "--golden", golden.toString(), "--backend", "local");
    assertThat(none.err()).isEqualTo(g + ": no line expects an answer for \"self_harm\" (1 lines)\n");
  }

  @Test
  void should_reject_bad_options_with_one_line_and_exit_2() {
    Cli other = test("--policy", "self_harm@2", "--against", "harassment@1", "--backend", "local");
    assertThat(other.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(other.err()).isEqualTo("--against harassment@1 is another policy than --policy self_harm@2; compare two versions of one policy\n");

    Cli same = test("--policy", "self_harm@2", "--against", "self_harm@2", "--backend", "local");
    assertThat(same.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(same.err()).startsWith("the baseline is the candidate (same prompt sha256:");

    Cli localModel = test("--policy", "self_harm@2", "--backend", "local", "--against-model", "gpt-4o");
    assertThat(localModel.err()).isEqualTo(
        "--backend local takes no --model, --provider, --base-url, --against-model or --against-base-url\n");

    Cli accuracy = test("--policy", "self_harm@2", "--backend", "local", "--min-accuracy", "90");
    assertThat(accuracy.err()).isEqualTo("--min-accuracy must be in [0, 1]: 90.0\n");
    Cli alpha = test("--policy", "self_harm@2", "--backend", "local", "--alpha", "0");
    assertThat(alpha.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(alpha.err()).isEqualTo("--alpha must be in (0, 1]: 0\n");
    Cli power = test("--policy", "self_harm@2", "--backend", "local", "--power", "150");
    assertThat(power.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(power.err()).isEqualTo("--power must be in (0, 100) percentage points: 150\n");

    Cli only = test("--policy", "self_harm@2", "--backend", "local", "--only", "sh-99");
    assertThat(only.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(only.err()).startsWith("--only: no case \"sh-99\" in self_harm@2; cases are: sh-01, sh-02, ");

    Cli noModel = test("--policy", "self_harm@2");
    assertThat(noModel.err()).isEqualTo("--model is required with --backend openai; to label offline with no model or key, use --backend local\n");
    assertThat(requests()).isZero();
  }

  // ---- local backend ----

  @Test
  void should_report_flips_between_self_harm_1_and_2_with_held_out_local_answers() throws IOException {
    Cli r = test("--policy", "self_harm@2", "--against", "self_harm@1", "--backend", "local", "--json");

    assertThat(r.code()).as(r.err()).isIn(ExitCode.OK, ExitCode.CHECK_FAILED);
    JsonNode report = Json.mapper().readTree(r.out());
    assertThat(report.at("/candidate/held_out").asBoolean()).isTrue();
    assertThat(report.at("/candidate/backend").asText()).isEqualTo("local");
    assertThat(report.at("/candidate/cases").asInt()).isEqualTo(16);
    assertThat(report.at("/baseline/policy").asText()).isEqualTo("self_harm@1");
    assertThat(ids(report.path("not_tested"))).containsExactly("sh-12");
    Set<String> flipped = new HashSet<>();
    for (JsonNode c : report.path("cases")) {
      String id = c.path("id").asText();
      // held out: the model that answered never trained on the case, so the case is never its own neighbour
      assertThat(c.at("/candidate/rationale").asText()).as(id).doesNotContain(id + " (");
      assertThat(c.at("/baseline/rationale").asText()).as(id).doesNotContain(id + " (");
      assertThat(c.at("/candidate/in_prompt").asBoolean()).isFalse();
      boolean before = c.at("/baseline/correct").asBoolean();
      boolean after = c.at("/candidate/correct").asBoolean();
      String flip = c.path("flip").isNull() ? null : c.path("flip").asText();
      String expectedFlip = before && !after ? "broken" : !before && after ? "fixed"
          : !before && !after && !answer(c.path("baseline")).equals(answer(c.path("candidate"))) ? "changed" : null;
      assertThat(flip).as(id).isEqualTo(expectedFlip);
      if (flip != null) {
        flipped.add(id);
        assertThat(ids(report.at("/flips/" + flip))).contains(id);
      }
    }
    // sh-09 is safe in version 1 and violating/disordered_eating in version 2: an intended change
    JsonNode sh09 = StreamSupport.stream(report.path("cases").spliterator(), false)
        .filter(c -> c.path("id").asText().equals("sh-09")).findFirst().orElseThrow();
    assertThat(sh09.at("/baseline_expected/decision").asText()).isEqualTo("safe");
    assertThat(sh09.at("/expected/category").asText()).isEqualTo("disordered_eating");
    assertThat(flipped).as("the two versions answer differently somewhere").isNotEmpty();
    int broken = ids(report.at("/flips/broken")).size();
    int fixed = ids(report.at("/flips/fixed")).size();
    assertThat(report.at("/flip_test/broken").asInt()).isEqualTo(broken);
    assertThat(report.at("/flip_test/fixed").asInt()).isEqualTo(fixed);
    boolean significant = broken > 0 && FlipTest.pValue(broken, fixed) <= 0.05;
    assertThat(report.at("/flip_test/significant").asBoolean()).isEqualTo(significant);
    assertThat(report.path("regression").asBoolean()).isEqualTo(significant);
    assertThat(r.code()).isEqualTo(significant ? ExitCode.CHECK_FAILED : ExitCode.OK);

    Cli text = test("--policy", "self_harm@2", "--against", "self_harm@1", "--backend", "local");
    assertThat(text.out()).contains("note: the local backend is trained on the policy's examples; each case is answered by a model\n"
        + "      trained without the examples it repeats (leave-one-out), so these are held-out figures\n");
    assertThat(text.out()).contains(String.format(java.util.Locale.ROOT, "flips (baseline → candidate): %d fixed, %d broken, %d changed\n",
        report.at("/flips/fixed").size(), report.at("/flips/broken").size(), report.at("/flips/changed").size()));
    assertThat(text.out()).doesNotContain("not in the prompt");
    assertThat(requests()).isZero();
  }

  private static String answer(JsonNode a) {
    return a.path("status").asText() + " " + a.path("decision").asText() + " " + a.path("category").asText();
  }

  /**
   * A chat model for WireMock: reads the policy version from the system message and the unit from
   * the user message; answers as that version's example with the same texts says, else from a
   * golden table, else "safe" — unless a mistake is scripted for (version, example).
   */
  static final class ScriptedModel implements ResponseDefinitionTransformerV2 {
    private final Map<String, String[]> mistakes = new ConcurrentHashMap<>();
    private final Map<String, String> golden = new ConcurrentHashMap<>();
    private final Map<String, String> faults = new ConcurrentHashMap<>();
    volatile boolean refuse;

    /** For this example: "invalid" answers text that is not JSON, "500" fails the call. */
    void fault(String example, String fault) {
      faults.put(example, fault);
    }

    void mistake(int version, String example, String decision, String category) {
      mistakes.put(version + " " + example, new String[] {decision, category});
    }

    void golden(String text, String decision) {
      golden.put(text, decision);
    }

    @Override
    public String getName() {
      return "scripted-model";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      if (refuse) {
        return event.getResponseDefinition();
      }
      try {
        JsonNode req = Json.mapper().readTree(event.getRequest().getBodyAsString());
        String system = text(req.at("/messages/0/content"));
        String user = text(req.at("/messages/1/content"));
        Matcher v = VERSION.matcher(system);
        if (!v.find()) {
          throw new IllegalStateException("no self_harm policy in the system message");
        }
        int version = Integer.parseInt(v.group(1));
        Policy policy = LIBRARY.resolve(dev.plumb.labeler.policy.PolicyRef.of("self_harm", version));
        String data = user.substring(user.indexOf("<unit_data>\n") + 12, user.indexOf("\n</unit_data>"));
        JsonNode components = Json.mapper().readTree(data);
        Set<String> texts = new HashSet<>();
        List<String> componentIds = new ArrayList<>();
        for (JsonNode c : components) {
          texts.add(c.path("text").asText());
          componentIds.add(c.path("id").asText());
        }
        String decision = "safe";
        String category = null;
        List<String> evidence = List.of();
        String rationale = "nothing in the unit matches the policy";
        Example example = policy.examples().stream()
            .filter(e -> e.unit().components().stream().map(Component::text).collect(Collectors.toSet()).equals(texts))
            .findFirst().orElse(null);
        String fault = example == null ? null : faults.get(example.id());
        if ("500".equals(fault)) {
          return ResponseDefinitionBuilder.responseDefinition().withStatus(500)
              .withBody("{\"error\":{\"message\":\"The server had an error\"}}").build();
        }
        if (example != null) {
          decision = example.decision();
          category = example.category();
          evidence = example.evidence();
          rationale = "like example " + example.id();
          String[] m = mistakes.get(version + " " + example.id());
          if (m != null) {
            decision = m[0];
            category = m[1];
            evidence = List.of();
            rationale = "scripted mistake";
          }
        } else if (texts.size() == 1 && golden.containsKey(texts.iterator().next())) {
          decision = golden.get(texts.iterator().next());
          category = decision.equals("violating") ? "promotion" : null;
          rationale = "from the golden table";
        }
        if (decision.equals("violating") && evidence.isEmpty()) {
          evidence = List.of(componentIds.get(0));
        }
        ObjectNode answer = Json.object();
        ObjectNode a = answer.putObject("self_harm");
        a.put("rationale", rationale);
        evidence.forEach(a.putArray("evidence")::add);
        a.put("decision", decision);
        if (category == null) {
          a.putNull("category");
        } else {
          a.put("category", category);
        }
        a.put("confidence", 0.9);
        String content = "invalid".equals(fault) ? "I think it is fine." : Json.line(answer);
        String body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":" + Json.line(req.path("model").asText())
            + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Json.line(content)
            + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":60,\"total_tokens\":960}}";
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
            .withHeader("Content-Type", "application/json").withBody(body).build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String text(JsonNode content) {
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        sb.append(part.path("text").asText(""));
      }
      return sb.toString();
    }
  }
}
