package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlFieldsTest {
  private static final LocatedYaml.Kind KIND = LocatedYaml.Kind.of("test file");

  private final List<Problem> problems = new ArrayList<>();

  private YamlFields collect(String yaml) {
    return YamlFields.root(LocatedYaml.parse(yaml, "f.yaml", KIND), "a mapping", YamlFields.collect(problems));
  }

  private List<String> messages() {
    return problems.stream().map(Problem::toString).toList();
  }

  @Test
  void should_read_typed_values_and_treat_null_as_not_given() {
    YamlFields f = collect("name: ' x '\nn: 7\nrate: 0.25\non: true\nnone: null\nlist: [a, b]\none: a\n");
    assertThat(f.string("name", true)).isEqualTo("x");
    assertThat(f.integer("n", true, 1, 10)).isEqualTo(7L);
    assertThat(f.number("rate", true, 0, 1)).isEqualTo(0.25);
    assertThat(f.bool("on", true)).isTrue();
    assertThat(f.string("none", false)).isNull();
    assertThat(f.integer("absent", false, 0, 1)).isNull();
    assertThat(f.strings("list")).containsExactly("a", "b");
    assertThat(f.names("one")).containsExactly("a");
    assertThat(f.names("list")).containsExactly("a", "b");
    assertThat(problems).isEmpty();
  }

  @Test
  void should_report_every_problem_at_its_value_in_one_pass() {
    YamlFields f = collect("name: 3\nn: 0\nrate: 1.5\non: \"true\"\nmode: uper\nempty: ''\n");
    f.string("name", true);
    f.integer("n", true, 1, 999_999);
    f.number("rate", true, 0, 1);
    f.bool("on", true);
    f.choice("mode", true, List.of("lower", "upper"));
    f.string("empty", true);
    f.string("missing", true);
    assertThat(messages()).containsExactly(
        "f.yaml:1:7: name: expected a string, got the number 3 (put it in quotes: \"3\")",
        "f.yaml:2:4: n: expected a whole number from 1 to 999999, got 0",
        "f.yaml:3:7: rate: must be between 0 and 1, got 1.5",
        "f.yaml:4:5: on: expected true or false, got the string \"true\" (remove the quotes)",
        "f.yaml:5:7: mode: expected one of lower, upper, got \"uper\"; did you mean \"upper\"?",
        "f.yaml:6:8: empty: must not be empty",
        "f.yaml:1:1: missing: missing");
  }

  @Test
  void should_word_a_number_without_an_upper_bound_as_at_least() {
    YamlFields f = collect("rpm: -1\n");
    assertThat(f.number("rpm", false, 0, Double.MAX_VALUE)).isNull();
    assertThat(messages()).containsExactly("f.yaml:1:6: rpm: must be >= 0, got -1");
  }

  @Test
  void should_report_unknown_keys_at_the_key_with_the_one_suggestion_policy() {
    YamlFields f = collect("alocation: x\ncolour: y\n");
    boolean ok = f.only(List.of("allocation", "n"), (key, suggestion) -> "unknown option"
        + (suggestion.isEmpty() ? " (options: allocation, n)" : YamlFields.hint(suggestion)));
    assertThat(ok).isFalse();
    assertThat(messages()).containsExactly(
        "f.yaml:1:1: alocation: unknown option; did you mean \"allocation\"?",
        "f.yaml:2:1: colour: unknown option (options: allocation, n)");
  }

  @Test
  void should_throw_the_first_problem_when_failing_fast() {
    LocatedYaml doc = LocatedYaml.parse("a:\n  b: x\n", "f.yaml", KIND);
    YamlFields f = YamlFields.root(doc, "a mapping", YamlFields.failFast());
    YamlFields a = f.object("a");
    assertThat(a.field("b")).isEqualTo("a.b");
    assertThatThrownBy(() -> a.integer("b", true, 0, 9))
        .isInstanceOf(InputException.class)
        .hasMessage("f.yaml:2:6: a.b: expected a whole number, got the string \"x\"");
    assertThatThrownBy(() -> {
      throw a.errorAtKey("b", "not here");
    }).hasMessage("f.yaml:2:3: a.b: not here");
    assertThat(YamlFields.of(doc.node("a.b"), "f.yaml", YamlFields.collect(problems), "a mapping")).isNull();
    assertThat(messages()).containsExactly("f.yaml:2:6: a.b: expected a mapping, got the string \"x\"");
  }
}
