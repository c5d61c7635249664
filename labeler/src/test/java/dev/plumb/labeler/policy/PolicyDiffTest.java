package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
  static final PolicyLibrary LIBRARY = StarterLibraryTest.LIBRARY;

  @Test
  void should_show_the_self_harm_v1_to_v2_change_by_section_and_id() {
    Policy v1 = LIBRARY.resolve(PolicyRef.parse("self_harm@1"));
    Policy v2 = LIBRARY.resolve(PolicyRef.parse("self_harm@2"));

    List<String> lines = PolicyDiff.between(v1, v2).lines();

    assertThat(lines.get(0)).isEqualTo("self_harm@1 -> self_harm@2");
    assertThat(lines).contains(
        "Metadata",
        "  ~ title: Suicide and self-injury -> Suicide, self-injury and eating disorders",
        "  ~ status: retired -> active",
        "  ~ effective: 2026-01-15 -> 2026-03-01",
        "Categories",
        "  + disordered_eating \"Eating-disorder promotion and instruction\"",
        "Rules",
        "  ~ order: R1 R2 R3 R4 R5 R6 R7 -> R3 R1 R2 R4 R5 R6 R7 R8",
        "  ~ R7:",
        "      {+disordered_eating,+} promotion, graphic_depiction.",
        "Allowed",
        "Examples",
        "  + sh-15: violating/disordered_eating (4 components, evidence query, pin-2)",
        "  + sh-16: safe (2 components)",
        "  + sh-17: borderline",
        "  ~ sh-09: expected safe -> violating/disordered_eating",
        "  - sh-12: safe",
        "Changes noted in self_harm@2");
    assertThat(lines).anyMatch(l -> l.startsWith("  + R8: Food, weight and exercise content is in scope only"));
    assertThat(lines).anyMatch(l -> l.startsWith("  + A7 (fitness): Diet, nutrition and fitness content"));
    assertThat(lines).noneMatch(l -> l.startsWith("  ~ R1") || l.startsWith("  ~ R2") || l.startsWith("  ~ R6"));
    assertThat(lines).allMatch(l -> l.length() <= 100);
  }

  @Test
  void should_say_so_when_nothing_changed() {
    Policy p = LIBRARY.resolve(PolicyRef.parse("harassment"));
    PolicyDiff diff = PolicyDiff.between(p, p);

    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.lines()).endsWith(
        "", "Metadata: no changes", "", "Decisions: no changes", "", "Categories: no changes",
        "", "Rules: no changes", "", "Allowed: no changes", "", "Examples: no changes", "", "No changes.");
  }

  @Test
  void should_call_out_a_decision_that_starts_counting_toward_prevalence() {
    Policy p = LIBRARY.resolve(PolicyRef.parse("harassment"));
    List<Decision> decisions = p.decisions().stream()
        .map(d -> d.id().equals("borderline") ? new Decision(d.id(), d.definition(), true) : d)
        .toList();
    Policy changed = new Policy(p.id(), 2, p.title(), p.status(), p.effective(), p.owner(), p.summary(), decisions,
        p.categories(), p.rules(), p.allowed(), p.examples(), List.of("borderline now counts"), "sha256:x");

    assertThat(PolicyDiff.between(p, changed).lines())
        .contains("  ~ borderline.positive: false -> true  (changes what counts toward prevalence)");
  }

  @Test
  void should_show_a_word_diff_for_small_edits_and_whole_texts_for_rewrites() {
    Policy p = LIBRARY.resolve(PolicyRef.parse("misinformation"));
    List<Rule> rules = p.rules().stream()
        .map(r -> switch (r.id()) {
          case "R2" -> new Rule("R2", null, r.text().replace("four areas", "five areas"));
          case "R5" -> new Rule("R5", null, "Something else entirely.");
          default -> r;
        })
        .toList();
    Policy changed = new Policy(p.id(), 2, p.title(), p.status(), p.effective(), p.owner(), p.summary(),
        p.decisions(), p.categories(), rules, p.allowed(), p.examples(), List.of("x"), "sha256:x");

    List<String> lines = PolicyDiff.between(p, changed).lines();
    assertThat(lines).containsSubsequence(
        "  ~ R2:",
        "      A violation needs a claim that is false or misleading and falls in one of the [-four-]",
        "      {+five+} areas. A false claim outside them (trivia, history, celebrity gossip) is safe under",
        "      this policy.",
        "  ~ R5:",
        "      - Fact-checks, debunks and reporting that repeat a false claim in order to correct it are",
        "        safe.",
        "      + Something else entirely.");
  }

  @Test
  void should_list_the_changes_that_change_what_a_gold_decision_means_from_self_harm_v2_to_v1() {
    Policy v1 = LIBRARY.resolve(PolicyRef.parse("self_harm@1"));
    Policy v2 = LIBRARY.resolve(PolicyRef.parse("self_harm@2"));

    List<String> changes = PolicyDiff.between(v2, v1).definitionChanges();

    assertThat(changes).contains("- category disordered_eating", "- rule R8", "- allowed A7", "~ rule R7", "~ rules order");
    // titles, status, dates and examples are listed by the diff but do not change what a decision means
    assertThat(changes).noneMatch(c -> c.contains("title") || c.contains("sh-") || c.contains("status"));
  }

  @Test
  void should_find_no_definition_change_when_only_examples_metadata_and_spacing_changed() {
    Policy p = LIBRARY.resolve(PolicyRef.parse("self_harm@2"));
    List<Rule> rules = p.rules().stream().map(r -> new Rule(r.id(), r.context(), r.text().replace(" ", "  "))).toList();
    Policy changed = new Policy(p.id(), 3, "Another title", p.status(), p.effective(), "Someone else", p.summary() + " More.",
        p.decisions(), p.categories(), rules, p.allowed(), p.examples().subList(1, p.examples().size()),
        List.of("examples trimmed"), "sha256:x");

    PolicyDiff diff = PolicyDiff.between(p, changed);

    assertThat(diff.isEmpty()).isFalse();
    assertThat(diff.definitionChanges()).isEmpty();
  }

  @Test
  void should_count_a_reworded_decision_definition_and_a_positive_flag_as_definition_changes() {
    Policy p = LIBRARY.resolve(PolicyRef.parse("harassment"));
    List<Decision> decisions = p.decisions().stream()
        .map(d -> switch (d.id()) {
          case "borderline" -> new Decision(d.id(), d.definition(), true);
          case "safe" -> new Decision(d.id(), d.definition() + " Also jokes.", false);
          default -> d;
        })
        .toList();
    Policy changed = new Policy(p.id(), 2, p.title(), p.status(), p.effective(), p.owner(), p.summary(), decisions,
        p.categories(), p.rules(), p.allowed(), p.examples(), List.of("x"), "sha256:x");

    assertThat(PolicyDiff.between(p, changed).definitionChanges())
        .containsExactly("~ borderline.positive", "~ safe.definition");
  }
}
