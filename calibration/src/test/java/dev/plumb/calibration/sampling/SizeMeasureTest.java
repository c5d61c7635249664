package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import org.junit.jupiter.api.Test;

class SizeMeasureTest {
  private static final FrameUnit UNIT =
      Frames.unit("{\"id\":\"u\",\"weight\":40,\"scores\":{\"a\":0.5,\"b\":0.01}}", 9);

  private static double size(String formula, double floor) {
    return SizeMeasure.parse(formula, floor).of(UNIT);
  }

  @Test
  void should_evaluate_formulas_of_weight_and_floored_scores() {
    assertThat(size("weight", 0.05)).isEqualTo(40.0);
    assertThat(size("weight * score(a)", 0.05)).isEqualTo(20.0);
    assertThat(size("weight * score(b)", 0.05)).isEqualTo(2.0); // 0.01 raised to the floor 0.05
    assertThat(size("weight * max(score(a), score(b))", 0.05)).isEqualTo(20.0);
    assertThat(size("weight * min(score(a), score(b), 1)", 0.05)).isEqualTo(2.0);
    assertThat(size("sqrt(weight) * (1 + 2 * score(a)) / 2", 0.05)).isCloseTo(Math.sqrt(40), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(size("-(-weight) - 1e1", 0.05)).isEqualTo(30.0);
    assertThat(SizeMeasure.parse("weight * score(a) + score(b)", 0.1).policies()).containsExactly("a", "b");
    assertThat(SizeMeasure.parse("weight*score(b)", 0.1).floored(UNIT)).isTrue();
    assertThat(SizeMeasure.parse("weight*score(a)", 0.1).floored(UNIT)).isFalse();
  }

  /**
   * Regression (issue 18): a score below the floor that the formula does not use — b's 0.01 under
   * max(score(a), score(b)) with a at 0.5 — left the size unchanged but counted the unit as
   * raised, so a four-policy maximum reported 11,974 of the demo's 12,000 units raised (10,823 were).
   */
  @Test
  void should_count_a_unit_as_floored_only_when_the_floor_changes_its_size() {
    assertThat(SizeMeasure.parse("weight * max(score(a), score(b))", 0.05).floored(UNIT)).isFalse();
    assertThat(SizeMeasure.parse("weight * max(score(a), score(b))", 0.6).floored(UNIT)).isTrue();
    assertThat(SizeMeasure.parse("weight * min(score(a), score(b))", 0.05).floored(UNIT)).isTrue();
    assertThat(SizeMeasure.parse("weight * score(a) + score(b)", 0.05).floored(UNIT)).isTrue();
    assertThat(SizeMeasure.parse("weight", 0.05).floored(UNIT)).isFalse();
  }

  @Test
  void should_explain_syntax_errors_with_positions() {
    assertThatThrownBy(() -> SizeMeasure.parse("weight * scroe(a)", 0.1))
        .hasMessage("unknown name \"scroe\" at position 10; did you mean \"score\"?");
    assertThatThrownBy(() -> SizeMeasure.parse("weight * views", 0.1))
        .hasMessage("unknown name \"views\" at position 10 (known: weight, score(policy), max, min, sqrt)");
    assertThatThrownBy(() -> SizeMeasure.parse("weight * (score(a)", 0.1))
        .hasMessage("expected \")\" at position 19, found the end");
    assertThatThrownBy(() -> SizeMeasure.parse("weight *", 0.1))
        .hasMessage("the formula ends where a value was expected");
    assertThatThrownBy(() -> SizeMeasure.parse("weight weight", 0.1))
        .hasMessage("unexpected \"w\" at position 8");
    assertThatThrownBy(() -> SizeMeasure.parse("sqrt(weight, 2)", 0.1))
        .hasMessage("sqrt takes 1 argument, found 2 (at position 1)");
    assertThatThrownBy(() -> SizeMeasure.parse("max(weight)", 0.1))
        .hasMessage("max takes 2 or more arguments, found 1 (at position 1)");
    assertThatThrownBy(() -> SizeMeasure.parse("score()", 0.1))
        .hasMessage("score( needs a policy id, e.g. score(self_harm), at position 7");
    assertThatThrownBy(() -> SizeMeasure.parse("  ", 0.1)).hasMessage("empty formula");
    assertThatThrownBy(() -> SizeMeasure.parse("weight", 0)).hasMessage("floor must be in (0, 1], found 0.0");
  }

  @Test
  void should_reject_units_whose_size_is_missing_negative_or_zero() {
    assertThatThrownBy(() -> size("weight * score(c)", 0.1)).isInstanceOf(InputException.class)
        .hasMessage("units.jsonl:9: scores.c: missing; the design's size measure uses score(c)");
    assertThatThrownBy(() -> size("score(a) - weight", 0.1))
        .hasMessage("units.jsonl:9: size: the size measure score(a) - weight is -39.5; sizes must be finite and >= 0");
    assertThatThrownBy(() -> size("weight / (score(a) - 0.5)", 0.1))
        .hasMessage("units.jsonl:9: size: the size measure weight / (score(a) - 0.5) is Infinity; sizes must be finite and >= 0");
    assertThatThrownBy(() -> size("weight * 0", 0.1))
        .hasMessage("units.jsonl:9: size: the size measure weight * 0 is 0 for a unit with weight 40; a unit with "
            + "exposure must have a positive size (raise the floor or change the formula)");
    FrameUnit zero = Frames.unit("{\"id\":\"z\",\"weight\":0}");
    assertThat(SizeMeasure.weight().of(zero)).isEqualTo(0.0);
  }
}
