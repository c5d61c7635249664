package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PpswrSketchTest {

  private static int[] draws(Sample s, int units) {
    int[] d = new int[units];
    for (Sample.SampledUnit u : s.units()) {
      d[Integer.parseInt(u.id().substring(1)) - 1] = ((Sample.DesignRecord.WithReplacement) u.design()).draws();
    }
    return d;
  }

  @Test
  void records_p_as_size_over_the_total_and_the_draws_add_up_to_n() {
    Sample s = Frames.draw(Frames.design("type: ppswr\nn: 4\n"), 2, SrsSketchTest.weighted(1, 2, 3, 4, 10));
    int total = 0;
    for (Sample.SampledUnit u : s.units()) {
      Sample.DesignRecord.WithReplacement w = (Sample.DesignRecord.WithReplacement) u.design();
      assertThat(w.p()).isEqualTo(u.weight() / 20);
      assertThat(w.size()).isEqualTo(u.weight());
      total += w.draws();
    }
    assertThat(total).isEqualTo(4);
    assertThat(s.draws()).isEqualTo(4);
    assertThat(s.strata().get(0).draws()).isEqualTo(4);
  }

  @Test
  void more_draws_than_units_one_positive_unit_takes_every_draw_and_all_zero_is_refused() {
    Sample many = Frames.draw(Frames.design("type: ppswr\nn: 12\n"), 2, SrsSketchTest.weighted(1, 2, 3));
    assertThat(many.units().stream().mapToInt(u -> ((Sample.DesignRecord.WithReplacement) u.design()).draws()).sum())
        .isEqualTo(12);
    Sample one = Frames.draw(Frames.design("type: ppswr\nn: 3\n"), 2, SrsSketchTest.weighted(0, 7, 0));
    assertThat(one.units()).extracting(Sample.SampledUnit::id).containsExactly("p2");
    assertThat(draws(one, 3)).containsExactly(0, 3, 0);
    assertThat(((Sample.DesignRecord.WithReplacement) one.units().get(0).design()).p()).isEqualTo(1.0);
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: ppswr\nn: 3\n"), 2, SrsSketchTest.weighted(0, 0)))
        .hasMessage("design.yaml: size: every unit of units.jsonl has size 0; PPS needs units with a positive size");
    assertThatThrownBy(() -> Frames.draw(Frames.design("type: ppswr\nn: 3\n"), 2, List.of()))
        .hasMessage("units.jsonl: no units (the frame is empty)");
  }

  /**
   * n = 6 draws from sizes 1, 2, 3, 4, 10 (p = .05, .1, .15, .2, .5). Each unit's number of draws is
   * Binomial(6, p_i); over 4,000 seeds: inclusion frequency 1 − (1 − p)^6, mean draws 6p, and the
   * distribution of the large unit's draws against R's dbinom:
   * <pre>
   * Rscript -e 'p <- c(1,2,3,4,10)/20; print(1-(1-p)^6, digits=15); print(dbinom(0:6, 6, 0.5), digits=15)'
   * # 0.264908109375 0.468559000000 0.622850484375 0.737856000000 0.984375000000
   * # 0.015625 0.093750 0.234375 0.312500 0.234375 0.093750 0.015625
   * </pre>
   */
  @Test
  void each_units_draws_are_binomial_n_p_as_in_r() {
    List<FrameUnit> units = SrsSketchTest.weighted(1, 2, 3, 4, 10);
    SamplingDesign d = Frames.design("type: ppswr\nn: 6\n");
    double[] inclusion = {0.264908109375, 0.468559, 0.622850484375, 0.737856, 0.984375};
    double[] dbinom = {0.015625, 0.09375, 0.234375, 0.3125, 0.234375, 0.09375, 0.015625};
    double[] p = {0.05, 0.1, 0.15, 0.2, 0.5};
    int reps = 4000;
    int[] included = new int[5];
    long[] drawn = new long[5];
    int[] big = new int[7];
    for (int seed = 0; seed < reps; seed++) {
      int[] x = draws(Frames.draw(d, seed, units), 5);
      for (int i = 0; i < 5; i++) {
        included[i] += x[i] > 0 ? 1 : 0;
        drawn[i] += x[i];
      }
      big[x[4]]++;
    }
    for (int i = 0; i < 5; i++) {
      double q = inclusion[i];
      assertThat((double) included[i] / reps).as("unit %d", i + 1).isCloseTo(q, within(4 * Math.sqrt(q * (1 - q) / reps)));
      assertThat((double) drawn[i] / reps).isCloseTo(6 * p[i], within(4 * Math.sqrt(6 * p[i] * (1 - p[i]) / reps)));
    }
    for (int k = 0; k <= 6; k++) {
      double q = dbinom[k];
      assertThat((double) big[k] / reps).as("P(draws = %d)", k).isCloseTo(q, within(4 * Math.sqrt(q * (1 - q) / reps)));
    }
  }
}
