package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.core.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SrsSketchTest {

  static List<FrameUnit> weighted(double... w) {
    List<FrameUnit> out = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      out.add(Frames.unit("{\"id\":\"p" + (i + 1) + "\",\"weight\":" + w[i] + "}", i + 1));
    }
    return out;
  }

  @Test
  void n_equal_to_the_frame_takes_every_unit_with_pi_one() {
    Sample s = Frames.draw(Frames.design("type: srs\nn: 4\n"), 1, weighted(1, 2, 3, 0));
    assertThat(s.units()).extracting(Sample.SampledUnit::id).containsExactly("p1", "p2", "p3", "p4");
    assertThat(s.units()).allSatisfy(u -> assertThat(((Sample.DesignRecord.WithoutReplacement) u.design()).pi()).isEqualTo(1.0));
    assertThat(s.certainty()).isEqualTo(4);
    assertThat(s.frameWeight()).isEqualTo(6.0);
  }

  @Test
  void a_design_of_n_zero_cannot_be_made() {
    assertThatThrownBy(() -> new SamplingDesign.Srs(0, Origin.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 1, found 0");
    assertThatThrownBy(() -> new SamplingDesign.Priority(0, SizeMeasure.parse("weight", 0.05), Origin.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 1, found 0");
  }

  @Test
  void n_larger_than_the_frame_and_an_empty_frame_are_refused() {
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: srs\nn: 5\n"), 1, weighted(1, 2, 3, 4)))
        .isInstanceOf(InputException.class)
        .hasMessage("design.yaml:2:4: n: sample size 5 is larger than the frame (units.jsonl has 4 units)");
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: srs\nn: 2\n"), 1, weighted(1)))
        .hasMessage("design.yaml:2:4: n: sample size 2 is larger than the frame (units.jsonl has 1 unit)");
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: srs\nn: 1\n"), 1, List.of()))
        .hasMessage("units.jsonl: no units (the frame is empty)");
  }

  @Test
  void keeps_the_n_smallest_u_whatever_the_order_and_merges_partitions() {
    List<FrameUnit> units = Frames.units(Frames.lines(300, 4));
    SamplingDesign d = Frames.design("type: srs\nn: 7\n");
    Sample whole = Frames.draw(d, 11, units);
    List<String> expected = units.stream().map(FrameUnit::id)
        .sorted(Comparator.comparingDouble(id -> UnitRandom.uniform(11, id))).limit(7).sorted().toList();
    assertThat(whole.units()).extracting(Sample.SampledUnit::id).containsExactlyElementsOf(expected);
    SampleSketch a = d.sketch(11);
    SampleSketch b = d.sketch(11);
    for (int i = units.size() - 1; i >= 0; i--) {
      (i % 3 == 0 ? a : b).offer(units.get(i));
    }
    Sample merged = b.merge(a).finish("units.jsonl");
    assertThat(merged.units()).extracting(Sample.SampledUnit::id).containsExactlyElementsOf(expected);
    assertThat(merged.frameUnits()).isEqualTo(300);
  }

  /** Every unit's inclusion frequency over 4,000 seeds is n/N = 2/6 (4 standard errors: ±0.03). */
  @Test
  void every_unit_is_included_with_probability_n_over_N() {
    List<FrameUnit> units = weighted(1, 1, 1, 1, 1, 50);
    SamplingDesign d = Frames.design("type: srs\nn: 2\n");
    int[] count = new int[6];
    int reps = 4000;
    for (int seed = 0; seed < reps; seed++) {
      for (Sample.SampledUnit u : Frames.draw(d, seed, units).units()) {
        count[Integer.parseInt(u.id().substring(1)) - 1]++;
      }
    }
    for (int c : count) {
      assertThat((double) c / reps).isCloseTo(1.0 / 3, within(4 * Math.sqrt(1.0 / 3 * 2 / 3 / reps)));
    }
  }
}
