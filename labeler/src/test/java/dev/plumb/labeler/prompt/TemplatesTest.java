package dev.plumb.labeler.prompt;

import static dev.plumb.labeler.prompt.TestPolicies.PROMPTS;
import static dev.plumb.labeler.prompt.TestPolicies.selfHarm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place Mustache is configured: no HTML escaping, missing names are errors with a location. */
class TemplatesTest {
  @TempDir Path tmp;

  private static final String USER = "{{data_open}}\n{{unit_json}}\n{{data_close}}\n{{#images}}{{slot}}{{/images}}\n";

  private static Templates templates(String system, String user, String... partials) {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("system.mustache", system);
    sources.put("user.mustache", user);
    for (int i = 0; i < partials.length; i += 2) {
      sources.put(partials[i], partials[i + 1]);
    }
    return Templates.of(Path.of("prompts"), sources);
  }

  private static PromptBundle compile(Templates t, Policy... policies) {
    return PromptCompiler.compile(List.of(policies), t, ModelParams.DEFAULT);
  }

  @Test
  void should_not_html_escape_values() {
    Policy p = new Policy("html", 1, "<b>Tom & \"Jerry\"</b> 'quoted'", PolicyStatus.ACTIVE, null, null,
        "a < b && c > d; `code`; &amp; stays &amp;",
        List.of(new Decision("violating", "x", true)), List.of(), List.of(), List.of(), List.of(), List.of(),
        "sha256:" + "5".repeat(64));
    PromptBundle bundle = compile(templates("{{#policies}}{{title}}|{{summary}}{{/policies}}", USER), p);
    assertThat(bundle.systemMessage()).isEqualTo("<b>Tom & \"Jerry\"</b> 'quoted'|a < b && c > d; `code`; &amp; stays &amp;");
  }

  @Test
  void should_name_template_line_and_variable_when_a_variable_is_missing() {
    assertThatThrownBy(() -> compile(templates("line one\n\nrationale {{rationale_max}} and {{polcy_ids}}\n", USER), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessage("prompts/system.mustache:3: template variable \"polcy_ids\" is not defined; defined here: "
            + "data_close, data_open, policies, policy_count, policy_count_text, policy_ids, rationale_max");
  }

  @Test
  void should_name_the_partial_when_the_missing_variable_is_in_a_partial() {
    Templates t = templates("{{#policies}}\n{{> part}}\n{{/policies}}", USER, "part.mustache", "{{id}}\n{{#decisions}}{{id}} {{nope}}{{/decisions}}\n");
    assertThatThrownBy(() -> compile(t, selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("prompts/part.mustache:2: template variable \"nope\" is not defined; defined here: ")
        .hasMessageContaining("definition, ");
  }

  @Test
  void should_fail_on_a_missing_variable_in_the_user_template_at_compile_time() {
    assertThatThrownBy(() -> compile(templates("x", "{{data_open}}\n{{unit_json}}\n{{data_close}}\n{{unit_id}}\n"), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("prompts/user.mustache:4: template variable \"unit_id\" is not defined; defined here: ")
        .hasMessageContaining("unit_json");
  }

  @Test
  void should_report_an_unclosed_section_with_its_location() {
    assertThatThrownBy(() -> compile(templates("a\n{{#policies}}\n{{id}}\n", USER), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessage("prompts/system.mustache:2: template error: Failed to close 'policies' tag");
  }

  @Test
  void should_report_a_missing_partial() {
    assertThatThrownBy(() -> compile(templates("{{> nowhere}}", USER), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessage("prompts/system.mustache:1: template error: partial \"nowhere\" not found (prompts/nowhere.mustache)");
  }

  @Test
  void should_require_the_data_block_exactly_once_in_the_user_message() {
    assertThatThrownBy(() -> compile(templates("x", "{{unit_json}}\n"), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessage("prompts/user.mustache: template error: the user message must contain {{data_open}}, the unit"
            + " data and {{data_close}} exactly once, in that order");
    assertThatThrownBy(() -> compile(templates("x", USER + "(see {{data_close}})"), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("prompts/user.mustache: template error: the user message must contain");
  }

  @Test
  void should_require_every_image_slot() {
    assertThatThrownBy(() -> compile(templates("x", "{{data_open}}\n{{unit_json}}\n{{data_close}}\n"), selfHarm()))
        .isInstanceOf(InputException.class)
        .hasMessage("prompts/user.mustache: template error: each image's {{slot}} must appear once, in order");
  }

  @Test
  void should_report_a_missing_directory_and_a_missing_template() throws IOException {
    assertThatThrownBy(() -> PromptCompiler.compile(List.of(selfHarm()), tmp.resolve("nope"), ModelParams.DEFAULT))
        .isInstanceOf(InputException.class)
        .hasMessage(tmp.resolve("nope") + ": prompt template directory not found");
    Files.writeString(tmp.resolve("system.mustache"), "x");
    assertThatThrownBy(() -> PromptCompiler.compile(List.of(selfHarm()), tmp, ModelParams.DEFAULT))
        .isInstanceOf(InputException.class)
        .hasMessage(tmp.resolve("user.mustache") + ": template not found");
  }

  @Test
  void should_refuse_a_template_that_is_not_utf8() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("latin1"));
    try (Stream<Path> files = Files.list(PROMPTS)) {
      for (Path p : files.toList()) {
        Files.copy(p, dir.resolve(p.getFileName()));
      }
    }
    Files.write(dir.resolve("system.mustache"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
    assertThatThrownBy(() -> PromptCompiler.compile(List.of(selfHarm()), dir, ModelParams.DEFAULT))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("system.mustache") + ": invalid UTF-8");
  }

  @Test
  void should_never_parse_a_value_as_a_template() {
    Policy p = new Policy("tricky", 1, "{{data_open}} {{#policies}}x{{/policies}} {{> policy}} {{=<% %>=}}",
        PolicyStatus.ACTIVE, null, null, "{{{unit_json}}}",
        List.of(new Decision("violating", "x", true)), List.of(), List.of(), List.of(), List.of(), List.of(),
        "sha256:" + "6".repeat(64));
    PromptBundle bundle = compile(templates("{{#policies}}{{title}}|{{summary}}{{/policies}}", USER), p);
    assertThat(bundle.systemMessage())
        .isEqualTo("{{data_open}} {{#policies}}x{{/policies}} {{> policy}} {{=<% %>=}}|{{{unit_json}}}");
  }
}
