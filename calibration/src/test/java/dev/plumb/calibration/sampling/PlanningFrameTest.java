package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanningFrameTest {
  @TempDir Path dir;

  /** The plan's stratum sizes at the design's n are exactly the ones plumb sample draws. */
  @Test
  void should_allocate_strata_exactly_as_the_sampler_does() {
    List<String> lines = Frames.lines(3000, 5);
    Path frame = Frames.write(dir, "units.jsonl", lines);
    for (String allocation : List.of("proportional", "neyman")) {
      SamplingDesign d = Frames.design("""
          type: stratified
          n: 300
          policy: self_harm
          bins: [0, 0.05, 0.3, 1]
          by: [surface]
          min_per_stratum: 5
          allocation: %s
          """.formatted(allocation));
      Sample sample = Sampler.draw(frame, d, 7).sample();
      PlanningFrame plan = PlanningFrame.read(frame, d, "self_harm");
      List<String> ids = new ArrayList<>();
      List<Long> n = new ArrayList<>();
      List<Long> units = new ArrayList<>();
      for (Sample.Stratum s : sample.strata()) {
        ids.add(s.id());
        n.add((long) s.n());
        units.add(s.units());
      }
      assertThat(plan.strataIds()).as(allocation).isEqualTo(ids);
      assertThat(plan.allocate(300)).as(allocation).containsExactly(n.stream().mapToLong(Long::longValue).toArray());
      assertThat(plan.stratumUnits()).containsExactly(units.stream().mapToLong(Long::longValue).toArray());
      assertThat(plan.minimum()).isEqualTo(45);
      assertThat(plan.units()).isEqualTo(3000);
    }
  }

  @Test
  void should_scale_a_fixed_allocation_and_read_sizes_with_the_floor() {
    List<String> lines = Frames.lines(2000, 9);
    Path frame = Frames.write(dir, "units.jsonl", lines);
    SamplingDesign fixed = Frames.design("""
        type: stratified
        by: [surface]
        allocation: fixed
        sizes: {home: 10, related: 20, search: 30}
        """);
    PlanningFrame f = PlanningFrame.read(frame, fixed, "self_harm");
    assertThat(f.strataIds()).containsExactly("home", "related", "search");
    assertThat(f.allocate(60)).containsExactly(10, 20, 30);
    assertThat(f.allocate(120)).containsExactly(20, 40, 60);

    SamplingDesign pps = Frames.design("type: poisson\nn: 100\nsize: weight * score(self_harm)\nfloor: 0.1\n");
    PlanningFrame p = PlanningFrame.read(frame, pps, "self_harm");
    List<FrameUnit> units = Frames.units(lines);
    assertThat(p.sizes().orElseThrow()[3]).isEqualTo(pps.sizeMeasure().orElseThrow().of(units.get(3)));
    long floored = units.stream().filter(u -> u.scores().get("self_harm") < 0.1).count();
    assertThat(p.floored()).isEqualTo(floored).isPositive();
    assertThat(PlanningFrame.defaultPolicy(pps)).contains("self_harm");
    assertThat(PlanningFrame.defaultPolicy(Frames.design("type: srs\nn: 10\n"))).isEmpty();
  }

  @Test
  void should_name_the_unit_without_the_score_to_plan_with() {
    Path frame = Frames.write(dir, "units.jsonl", List.of(
        "{\"id\":\"a\",\"scores\":{\"self_harm\":0.1}}", "{\"id\":\"b\",\"scores\":{\"hate\":0.1}}"));
    assertThatThrownBy(() -> PlanningFrame.read(frame, Frames.design("type: srs\nn: 1\n"), "self_harm"))
        .isInstanceOf(InputException.class)
        .hasMessage(frame + ":2: scores.self_harm: missing; the plan reads it as the unit's probability of violating self_harm");
  }

  @Test
  void should_refuse_a_duplicate_id_like_the_sampler() {
    List<String> lines = new ArrayList<>(Frames.lines(50, 2));
    lines.add(lines.get(17));
    Path frame = Frames.write(dir, "units.jsonl", lines);
    SamplingDesign d = Frames.design("type: srs\nn: 10\n");
    String line = frame + ":51: id: duplicate unit id \"u-17\" (first on line 18)";
    assertThatThrownBy(() -> PlanningFrame.read(frame, d, "self_harm")).isInstanceOf(InputException.class).hasMessage(line);
    assertThatThrownBy(() -> Sampler.draw(frame, d, 3)).isInstanceOf(InputException.class).hasMessage(line);
  }
}
