package dev.plumb.labeler.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldOutTest {
  private static final Policy SELF_HARM =
      PolicyLibrary.load(Path.of("..").toAbsolutePath().normalize().resolve("policies")).resolve(PolicyRef.of("self_harm", 2));

  private static Example example(String id) {
    return SELF_HARM.examples().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void should_hold_out_the_example_itself_and_every_example_sharing_a_text() {
    Unit sh03 = example("sh-03").unit();
    HeldOut heldOut = new HeldOut();

    Policy trained = heldOut.trainingPolicy(new Unit("sh-03", sh03.attributes(), sh03.components()), SELF_HARM);
    assertThat(trained.examples()).extracting(Example::id).doesNotContain("sh-03").hasSize(SELF_HARM.examples().size() - 1);
    assertThat(trained.sha256()).isNotEqualTo(SELF_HARM.sha256()).startsWith("sha256:");
    assertThat(trained.key()).isEqualTo("self_harm@2");
    assertThat(heldOut.trainingPolicy(new Unit("sh-03", sh03.attributes(), sh03.components()), SELF_HARM)).isSameAs(trained);

    // a golden unit that repeats one component of sh-11 (pin-3) is not answered by a model trained on sh-11
    Unit golden = Unit.ofText("g-1", example("sh-11").unit().components().get(4).text());
    assertThat(HeldOut.heldOut(golden, SELF_HARM)).containsExactly("sh-11");

    // a new text trains on everything
    assertThat(heldOut.trainingPolicy(Unit.ofText("g-2", "a recipe for plum cake"), SELF_HARM)).isSameAs(SELF_HARM);
  }

  @Test
  void should_know_which_cases_the_prompt_shows() {
    assertThat(HeldOut.shownInPrompt(example("sh-01").unit(), SELF_HARM)).isTrue(); // in_prompt: true
    assertThat(HeldOut.shownInPrompt(example("sh-05").unit(), SELF_HARM)).isFalse();
    assertThat(HeldOut.shownInPrompt(Unit.ofText("x", "hello"), SELF_HARM)).isFalse();
  }

  @Test
  void should_match_binary_and_decision_expectations() {
    CaseAnswer borderline = new CaseAnswer("ok", "borderline", null, false, 0.8, "r", false);
    CaseAnswer promotion = new CaseAnswer("ok", "violating", "promotion", true, 0.8, "r", false);
    CaseAnswer invalid = new CaseAnswer("invalid", null, null, false, Double.NaN, "bad JSON", false);

    assertThat(Expected.binary(false).matches(borderline)).isTrue();
    assertThat(Expected.binary(false).matches(invalid)).isFalse();
    assertThat(Expected.binary(true).matches(promotion)).isTrue();
    assertThat(new Expected("violating", "instructions", true, true).matches(promotion)).isFalse();
    assertThat(new Expected("violating", null, false, true).matches(promotion)).isTrue();
    assertThat(new Expected("borderline", null, true, false).matches(borderline)).isTrue();
    assertThat(List.of(Expected.binary(true).toString(), new Expected("violating", "promotion", true, true).toString(), invalid.toString()))
        .containsExactly("(positive)", "violating/promotion", "(invalid)");
  }
}
