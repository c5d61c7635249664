package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.labeler.unit.Component;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policy library shipped in policies/: what its authors promise about it. */
class StarterLibraryTest {
  static final Path POLICIES = Path.of("../policies");
  static final PolicyLibrary LIBRARY = PolicyLibrary.load(POLICIES);

  @Test
  void should_hold_the_four_policies_with_self_harm_at_version_2() {
    assertThat(LIBRARY.ids()).containsExactly("adult_sexual", "harassment", "misinformation", "self_harm");
    assertThat(LIBRARY.resolve(List.of())).extracting(Policy::key)
        .containsExactly("adult_sexual@1", "harassment@1", "misinformation@1", "self_harm@2");
    assertThat(LIBRARY.versions("self_harm")).extracting(Policy::status)
        .containsExactly(PolicyStatus.RETIRED, PolicyStatus.ACTIVE);
  }

  @Test
  void should_match_policies_lock() {
    assertThat(PolicyLock.read(POLICIES.resolve(PolicyLock.FILE_NAME)).check(LIBRARY)).isEmpty();
  }

  @Test
  void every_policy_uses_the_same_decisions_so_prevalence_means_the_same_everywhere() {
    for (Policy p : LIBRARY.all()) {
      assertThat(p.decisions()).as(p.key())
          .extracting(d -> d.id() + "=" + d.positive())
          .containsExactly("violating=true", "borderline=false", "safe=false");
    }
  }

  @Test
  void every_policy_has_enough_examples_including_multi_component_units() {
    for (Policy p : LIBRARY.all()) {
      List<Example> multi = p.examples().stream().filter(e -> e.unit().components().size() > 1).toList();
      assertThat(p.examples()).as(p.key()).hasSizeGreaterThanOrEqualTo(12);
      assertThat(multi).as(p.key()).hasSizeGreaterThanOrEqualTo(4);
      assertThat(multi).as(p.key() + ": a unit with a query, a response and pins")
          .anyMatch(e -> kinds(e).containsAll(Set.of("query", "response", "pin")));
      assertThat(multi).as(p.key() + ": a violating unit where only one of several pins violates")
          .anyMatch(e -> e.decision().equals("violating") && pins(e) > 1 && e.evidence().size() == 1
              && e.evidence().get(0).startsWith("pin-"));
      assertThat(p.examples()).as(p.key() + ": every decision has an example")
          .extracting(Example::decision).contains("violating", "borderline", "safe");
      assertThat(p.examples()).as(p.key() + ": some examples are few-shot").anyMatch(Example::inPrompt);
    }
  }

  @Test
  void every_category_has_a_violating_example() {
    for (Policy p : LIBRARY.all()) {
      Set<String> exemplified = p.examples().stream().map(Example::category).collect(Collectors.toSet());
      assertThat(exemplified).as(p.key()).containsAll(p.categories().stream().map(Category::id).toList());
    }
  }

  @Test
  void every_policy_names_allowed_contexts() {
    for (Policy p : LIBRARY.all()) {
      assertThat(p.allowed()).as(p.key()).hasSizeGreaterThanOrEqualTo(4);
      assertThat(p.rules()).as(p.key()).hasSizeGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void example_images_use_a_reserved_domain() {
    for (Policy p : LIBRARY.all()) {
      for (Example e : p.examples()) {
        for (Component c : e.unit().components()) {
          if (c.hasImage()) {
            assertThat(c.image()).as(p.key() + " " + e.id()).startsWith("https://img.example.com/");
          }
        }
      }
    }
  }

  private static Set<String> kinds(Example e) {
    return e.unit().components().stream().map(Component::kind).collect(Collectors.toSet());
  }

  private static long pins(Example e) {
    return e.unit().components().stream().filter(c -> c.kind().equals("pin")).count();
  }
}
