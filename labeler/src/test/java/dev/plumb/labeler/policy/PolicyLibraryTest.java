package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.labeler.unit.Component;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLibraryTest {
  static final Path MINIMAL = Path.of("src/test/resources/policies/minimal");

  @Test
  void should_load_every_version_with_its_fields() {
    PolicyLibrary library = PolicyLibrary.load(MINIMAL);

    assertThat(library.ids()).containsExactly("demo");
    assertThat(library.all()).extracting(Policy::key).containsExactly("demo@1", "demo@2", "demo@3");
    Policy v1 = library.versions("demo").get(0);
    assertThat(v1.title()).isEqualTo("Demo policy");
    assertThat(v1.status()).isEqualTo(PolicyStatus.RETIRED);
    assertThat(v1.effective()).isEqualTo(LocalDate.of(2026, 1, 1));
    assertThat(v1.owner()).isEqualTo("Test team");
    assertThat(v1.decisions()).containsExactly(
        new Decision("violating", "Breaks the demo rule.", true), new Decision("safe", "Does not.", false));
    assertThat(v1.categories()).containsExactly(new Category(
        "shouting", "Shouting", "Text written entirely in capital letters.",
        List.of("whole sentences in capitals"), List.of("acronyms")));
    assertThat(v1.rules()).containsExactly(new Rule("R1", null, "Judge the unit as a whole."));
    assertThat(v1.allowed()).containsExactly(new Rule("A1", "education", "Explaining what shouting is."));
    assertThat(v1.changes()).isEmpty();
    assertThat(library.file(v1)).isEqualTo(MINIMAL.resolve("demo/v1.yaml"));
  }

  @Test
  void should_read_the_text_shorthand_as_one_text_component_and_take_it_as_evidence() {
    Example e = PolicyLibrary.load(MINIMAL).versions("demo").get(0).examples().get(0);

    assertThat(e.id()).isEqualTo("d-1");
    assertThat(e.inPrompt()).isTrue();
    assertThat(e.category()).isEqualTo("shouting");
    assertThat(e.unit().id()).isEqualTo("d-1");
    assertThat(e.unit().components()).containsExactly(
        new Component("text", "text", "THIS IS A WHOLE SENTENCE IN CAPITALS", null));
    assertThat(e.evidence()).containsExactly("text");
  }

  @Test
  void should_read_multi_component_units_with_attributes() {
    Example e = PolicyLibrary.load(MINIMAL).versions("demo").get(0).examples().get(1);

    assertThat(e.inPrompt()).isFalse();
    assertThat(e.category()).isNull();
    assertThat(e.evidence()).isEmpty();
    assertThat(e.unit().attributes()).containsEntry("surface", "search");
    assertThat(e.unit().components()).containsExactly(
        new Component("query", "query", "NASA launch dates", null),
        new Component("pin-1", "pin", "Launch calendar", "https://img.example.com/d-2.jpg"));
  }

  @Test
  void should_resolve_a_bare_id_to_the_highest_active_version() {
    PolicyLibrary library = PolicyLibrary.load(MINIMAL);

    assertThat(library.resolve(PolicyRef.parse("demo")).key()).isEqualTo("demo@2");
    assertThat(library.resolve(PolicyRef.parse("demo@3")).key()).isEqualTo("demo@3");
    assertThat(library.resolve(List.of())).extracting(Policy::key).containsExactly("demo@2");
    assertThat(library.select(List.of("demo@1", "demo@1"))).extracting(Policy::key).containsExactly("demo@1");
  }

  @Test
  void should_name_what_exists_when_a_reference_does_not_resolve() {
    PolicyLibrary library = PolicyLibrary.load(MINIMAL);

    assertThatThrownBy(() -> library.resolve(PolicyRef.parse("demi")))
        .isInstanceOf(InputException.class)
        .hasMessage("unknown policy \"demi\" (did you mean \"demo\"?); the library at "
            + MINIMAL + " has: demo");
    assertThatThrownBy(() -> library.resolve(PolicyRef.parse("demo@7")))
        .isInstanceOf(InputException.class)
        .hasMessage("demo@7 does not exist; demo has versions 1 (retired), 2 (active), 3 (draft)");
    assertThatThrownBy(() -> library.select(List.of("demo@1", "demo@2")))
        .isInstanceOf(InputException.class)
        .hasMessage("demo is named twice (demo@1 and demo@2); a prompt labels each policy once");
    assertThatThrownBy(() -> library.select(List.of("Demo")))
        .isInstanceOf(InputException.class)
        .hasMessage("invalid policy reference \"Demo\": expected ID or ID@VERSION, e.g. self_harm@3");
  }

  @Test
  void should_fingerprint_content_not_key_order_or_layout(@org.junit.jupiter.api.io.TempDir Path tmp) {
    Path lib = Libraries.copy(MINIMAL, tmp.resolve("lib"));
    String before = PolicyLibrary.load(lib).versions("demo").get(0).sha256();
    Libraries.replace(lib.resolve("demo/v1.yaml"), "title: Demo policy\nstatus: retired\n", "status: retired\ntitle: 'Demo policy'\n");
    Libraries.replace(lib.resolve("demo/v1.yaml"), "    definition: Does not.", "    definition: >-\n      Does\n      not.");
    assertThat(PolicyLibrary.load(lib).versions("demo").get(0).sha256()).isEqualTo(before);

    Libraries.replace(lib.resolve("demo/v1.yaml"), "includes: [whole sentences in capitals]", "includes: [whole sentences in capitals, headlines]");
    assertThat(PolicyLibrary.load(lib).versions("demo").get(0).sha256()).isNotEqualTo(before);
  }

  @Test
  void should_fingerprint_list_order() {
    Policy p = PolicyLibrary.load(MINIMAL).versions("demo").get(0);
    com.fasterxml.jackson.databind.node.ObjectNode a = dev.plumb.core.Json.object();
    a.putArray("rules").add("R1").add("R2");
    com.fasterxml.jackson.databind.node.ObjectNode b = dev.plumb.core.Json.object();
    b.putArray("rules").add("R2").add("R1");
    assertThat(dev.plumb.core.Json.canonical(a)).isNotEqualTo(dev.plumb.core.Json.canonical(b));
    assertThat(p.sha256()).isNotEqualTo(PolicyLibrary.load(MINIMAL).versions("demo").get(1).sha256());
  }

  @Test
  void should_fingerprint_content_not_formatting() {
    PolicyLibrary library = PolicyLibrary.load(MINIMAL);
    Policy v1 = library.versions("demo").get(0);

    assertThat(v1.sha256()).startsWith("sha256:").hasSize(71);
    assertThat(library.versions("demo").get(1).sha256()).isNotEqualTo(v1.sha256());
  }
}
