package dev.plumb.labeler.prompt;

import static dev.plumb.labeler.prompt.TestPolicies.PROMPTS;
import static dev.plumb.labeler.prompt.TestPolicies.harassment;
import static dev.plumb.labeler.prompt.TestPolicies.selfHarm;
import static dev.plumb.labeler.prompt.TestPolicies.spam;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptCompilerTest {
  @TempDir Path tmp;

  private static PromptBundle compile(Path prompts, ModelParams params, Policy... policies) {
    return PromptCompiler.compile(List.of(policies), prompts, params);
  }

  @Test
  void should_give_a_byte_identical_bundle_and_fingerprint_for_the_same_inputs_in_any_order() {
    PromptBundle a = compile(PROMPTS, ModelParams.DEFAULT, selfHarm(), harassment(), spam());
    PromptBundle b = compile(PROMPTS, ModelParams.DEFAULT, spam(), harassment(), selfHarm());
    assertThat(b.json()).isEqualTo(a.json());
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint()).startsWith("sha256:").hasSize(71);
    assertThat(a.policies()).extracting(Policy::key).containsExactly("harassment@2", "self_harm@1", "spam@1");
  }

  @Test
  void should_keep_prompt_json_s_keys_in_the_order_they_have_always_been_written() {
    ObjectNode json = compile(PROMPTS, new ModelParams(0.5, 300), selfHarm()).toJson();
    assertThat(keys(json)).containsExactly("format", "fingerprint", "policies", "model", "unit_encoding",
        "delimiters", "system", "templates", "schema", "examples");
    assertThat(Json.line(json.get("model"))).isEqualTo("{\"temperature\":0.5,\"max_output_tokens\":300}");
    assertThat(keys(json.get("policies").get(0))).containsExactly("policy", "title", "sha256");
    assertThat(keys(json.get("delimiters"))).containsExactly("open", "close");
    assertThat(keys(json.get("examples").get(0)))
        .containsExactly("policy", "id", "decision", "category", "evidence", "reason", "components");
  }

  /** An object's keys in the order they are written. */
  private static List<String> keys(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void should_define_the_fingerprint_as_sha256_of_the_canonical_bundle_without_it() {
    PromptBundle bundle = compile(PROMPTS, ModelParams.DEFAULT, selfHarm());
    ObjectNode json = bundle.toJson();
    assertThat(json.get("fingerprint").asText()).isEqualTo(bundle.fingerprint());
    json.remove("fingerprint");
    assertThat(Hashing.sha256(Json.canonical(json))).isEqualTo(bundle.fingerprint());
  }

  @Test
  void should_change_the_fingerprint_when_anything_that_can_change_an_answer_changes() throws IOException {
    Path copy = copyPrompts("copy");
    String base = compile(copy, ModelParams.DEFAULT, selfHarm(), spam()).fingerprint();
    // the copy of the templates is the same input
    assertThat(compile(PROMPTS, ModelParams.DEFAULT, selfHarm(), spam()).fingerprint()).isEqualTo(base);

    Set<String> seen = new LinkedHashSet<>(List.of(base));
    List<String> changed = new ArrayList<>();
    changed.add(compile(copy, new ModelParams(0.2, 1024), selfHarm(), spam()).fingerprint());
    changed.add(compile(copy, new ModelParams(0.0, 1025), selfHarm(), spam()).fingerprint());
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(2, "sha256:" + "1".repeat(64), "Encourages or instructs self-harm."), spam()).fingerprint());
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(1, "sha256:" + "9".repeat(64), "Encourages or instructs self-harm."), spam()).fingerprint());
    // content changed without a new digest (a loader bug, or hand-built policies): still a new fingerprint
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(1, "sha256:" + "1".repeat(64), "Encourages self-harm."), spam()).fingerprint());
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(), spam(), harassment()).fingerprint());
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm()).fingerprint());
    edit(copy.resolve("user.mustache"), "Label the unit below", "Label this unit");
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(), spam()).fingerprint());
    edit(copy.resolve("example.mustache"), "Why:", "Because:");
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(), spam()).fingerprint());
    Files.writeString(copy.resolve("unused.mustache"), "a partial nobody includes yet\n");
    changed.add(compile(copy, ModelParams.DEFAULT, selfHarm(), spam()).fingerprint());

    for (String f : changed) {
      assertThat(seen.add(f)).as("fingerprint %s is new", f).isTrue();
    }
  }

  @Test
  void should_give_the_same_fingerprint_for_templates_with_crlf_line_endings_or_a_bom() throws IOException {
    Path copy = copyPrompts("crlf");
    for (Path p : list(copy)) {
      String text = Files.readString(p).replace("\n", "\r\n");
      Files.writeString(p, (p.getFileName().toString().startsWith("system") ? "\uFEFF" : "") + text);
    }
    assertThat(compile(copy, ModelParams.DEFAULT, selfHarm()).json())
        .isEqualTo(compile(PROMPTS, ModelParams.DEFAULT, selfHarm()).json());
  }

  @Test
  void should_refuse_two_versions_of_one_policy() {
    Policy v2 = selfHarm(2, "sha256:" + "4".repeat(64), "x");
    assertThatThrownBy(() -> compile(PROMPTS, ModelParams.DEFAULT, selfHarm(), spam(), v2))
        .isInstanceOf(InputException.class)
        .hasMessage("policy self_harm is given more than once (self_harm@1, self_harm@2):"
            + " a prompt labels against one version of each policy");
  }

  @Test
  void should_refuse_an_empty_policy_list() {
    assertThatThrownBy(() -> PromptCompiler.compile(List.of(), PROMPTS, ModelParams.DEFAULT))
        .isInstanceOf(InputException.class)
        .hasMessage("no policies to compile: name one with --policy, or mark a version active");
  }

  @Test
  void should_show_only_in_prompt_examples_and_record_them_in_the_bundle() {
    PromptBundle bundle = compile(PROMPTS, ModelParams.DEFAULT, selfHarm());
    assertThat(bundle.systemMessage())
        .contains("Example sh-1:", "Example sh-2:", "a 30-day challenge")
        .doesNotContain("sh-3", "not in the prompt");
    JsonNode examples = bundle.toJson().get("examples");
    assertThat(examples).hasSize(2);
    assertThat(examples.get(1).toString())
        .isEqualTo("{\"policy\":\"self_harm@1\",\"id\":\"sh-2\",\"decision\":\"violating\",\"category\":\"promotion\","
            + "\"evidence\":[\"text\"],\"reason\":\"A dare to self-harm is promotion.\",\"components\":[{\"id\":\"text\",\"kind\":\"text\","
            + "\"text\":\"a 30-day challenge: hurt yourself a little more each day\"}]}");
  }

  @Test
  void should_record_model_parameters_policies_and_templates_in_the_bundle() {
    PromptBundle bundle = compile(PROMPTS, new ModelParams(0.5, 300), selfHarm());
    ObjectNode json = bundle.toJson();
    assertThat(json.get("format").asText()).isEqualTo("plumb.prompt-bundle/1");
    assertThat(json.get("model").toString()).isEqualTo("{\"temperature\":0.5,\"max_output_tokens\":300}");
    assertThat(json.get("policies").toString()).isEqualTo("[{\"policy\":\"self_harm@1\",\"title\":\"Self-harm and suicide\","
        + "\"sha256\":\"sha256:" + "1".repeat(64) + "\"}]");
    assertThat(json.get("unit_encoding").asText()).isEqualTo("plumb.unit-json/1");
    assertThat(json.get("delimiters").toString()).isEqualTo("{\"open\":\"<unit_data>\",\"close\":\"</unit_data>\"}");
    assertThat(json.get("system").asText()).isEqualTo(bundle.systemMessage());
    List<String> names = new ArrayList<>();
    json.get("templates").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly(
        "answer_format.mustache", "example.mustache", "policy.mustache", "system.mustache", "user.mustache");
    assertThat(bundle.modelParams()).isEqualTo(new ModelParams(0.5, 300));
  }

  @Test
  void should_build_a_strict_mode_schema_with_per_policy_enums() {
    PromptBundle bundle = compile(PROMPTS, ModelParams.DEFAULT, selfHarm(), spam());
    JsonNode schema = bundle.schema();
    assertStrict(schema, "$");
    assertThat(schema.get("required").toString()).isEqualTo("[\"self_harm\",\"spam\"]");
    JsonNode sh = schema.at("/properties/self_harm/properties");
    assertThat(sh.get("decision").toString()).isEqualTo("{\"type\":\"string\",\"enum\":[\"violating\",\"safe\"]}");
    assertThat(sh.get("category").get("type").toString()).isEqualTo("[\"string\",\"null\"]");
    assertThat(sh.get("category").get("enum").toString()).isEqualTo("[\"promotion\",\"instructions\",null]");
    assertThat(sh.get("confidence").get("minimum").asInt()).isZero();
    assertThat(sh.get("confidence").get("maximum").asInt()).isEqualTo(1);
    assertThat(sh.get("rationale").get("maxLength").asInt()).isEqualTo(400);
    assertThat(sh.get("evidence").get("items").toString()).isEqualTo("{\"type\":\"string\"}");
    List<String> order = new ArrayList<>();
    sh.fieldNames().forEachRemaining(order::add);
    assertThat(order).containsExactly("rationale", "evidence", "decision", "category", "confidence");
    assertThat(schema.at("/properties/spam/properties/category/type").asText()).isEqualTo("null");

    JsonNode strict = bundle.strictSchema();
    assertStrict(strict, "$");
    assertThat(strict.toString()).doesNotContain("maxLength", "$schema");
    assertThat(bundle.schema()).isEqualTo(schema); // copies: callers cannot change the bundle
  }

  /** OpenAI strict mode: every object closes its properties and requires all of them. */
  private static void assertStrict(JsonNode node, String path) {
    if (node.isObject() && node.has("properties")) {
      assertThat(node.get("additionalProperties").asBoolean(true)).as(path + " additionalProperties").isFalse();
      List<String> props = new ArrayList<>();
      node.get("properties").fieldNames().forEachRemaining(props::add);
      List<String> required = new ArrayList<>();
      node.get("required").forEach(r -> required.add(r.asText()));
      assertThat(required).as(path + " required").containsExactlyElementsOf(props);
      Iterator<String> it = node.get("properties").fieldNames();
      while (it.hasNext()) {
        String p = it.next();
        assertStrict(node.get("properties").get(p), path + "." + p);
      }
    }
  }

  private Path copyPrompts(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (Path p : list(PROMPTS)) {
      Files.copy(p, dir.resolve(p.getFileName()));
    }
    return dir;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".mustache")).sorted().toList();
    }
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
  }
}
