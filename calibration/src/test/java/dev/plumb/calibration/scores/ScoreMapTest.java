package dev.plumb.calibration.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference values from calibration/src/test/resources/reference/label_scores.py (sklearn 1.2.1, statsmodels). */
class ScoreMapTest {
  @TempDir Path dir;

  private static double[] outcome() {
    boolean[] g = ScoreQualityTest.gold(ScoreQualityTest.scores());
    double[] y = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      y[i] = g[i] ? 1 : 0;
    }
    return y;
  }

  private static final double[] PROBE = {0.0, 0.03, 0.2, 0.37, 0.5, 0.64, 0.81, 0.95, 1.0};

  @Test
  void isotonic_map_matches_sklearn_isotonic_regression_with_design_weights() {
    ScoreMap map = Recalibration.ISOTONIC.fitted("p@1", ScoreQualityTest.scores(), outcome(), ScoreQualityTest.weights());
    // IsotonicRegression(out_of_bounds="clip").fit(s, y, sample_weight=w).predict(probe)
    double[] sklearn = {0.19230769230769232, 0.19230769230769232, 0.4074074074074074, 0.4074074074074074,
        0.5357142857142857, 0.5833333333333334, 0.8809523809523809, 0.9404761904761905, 1.0};
    for (int k = 0; k < PROBE.length; k++) {
      assertThat(map.apply(PROBE[k])).as("at %s", PROBE[k]).isCloseTo(sklearn[k], within(1e-12));
    }
  }

  @Test
  void platt_map_matches_statsmodels_weighted_logistic_regression_on_the_logit() {
    ScoreMap map = Recalibration.PLATT.fitted("p@1", ScoreQualityTest.scores(), outcome(), ScoreQualityTest.weights());
    // GLM(y, [1, logit s], Binomial(), freq_weights=w).params
    assertThat(map.a()).isCloseTo(0.26328792097441395, within(1e-9));
    assertThat(map.b()).isCloseTo(0.26627262190619055, within(1e-9));
    assertThat(map.apply(0.5)).isCloseTo(1 / (1 + Math.exp(-0.26328792097441395)), within(1e-9));
  }

  @Test
  void a_written_map_reads_back_to_the_same_function() {
    for (Recalibration r : Recalibration.values()) {
      ScoreMap map = r.fitted("self_harm@2", ScoreQualityTest.scores(), outcome(), ScoreQualityTest.weights());
      Path file = dir.resolve(r.id() + ".json");
      map.write(file, Json.object().put("units", 60), "plumb test");
      ScoreMap back = ScoreMap.read(file);
      assertThat(back.policy()).isEqualTo("self_harm@2");
      assertThat(back.method()).isEqualTo(r);
      for (double p : PROBE) {
        assertThat(back.apply(p)).isEqualTo(map.apply(p));
      }
    }
  }

  @Test
  void platt_refuses_scores_that_separate_gold_perfectly() {
    assertThatThrownBy(() -> Recalibration.PLATT.fitted("p@1", new double[] {0.1, 0.2, 0.8, 0.9},
        new double[] {0, 0, 1, 1}, new double[] {1, 1, 1, 1}))
        .hasMessage("Platt scaling did not converge: the scores separate gold perfectly (use isotonic)");
  }

  @Test
  void a_bad_map_is_one_line_naming_file_line_and_field() throws Exception {
    Path file = dir.resolve("map.json");
    Files.writeString(file, "{\n  \"format\": \"plumb.score-map/1\",\n  \"policy\": \"p@1\",\n  \"method\": \"isotonic\",\n"
        + "  \"points\": [{\"score\": 0.2, \"probability\": 0.5}, {\"score\": 0.4, \"probability\": 0.3}]\n}\n");
    assertThatThrownBy(() -> ScoreMap.read(file)).isInstanceOf(InputException.class)
        .hasMessage(file + ":5: points[1].probability: an isotonic map never decreases: 0.3 after 0.5");
    Files.writeString(file, "{\"format\": \"plumb.score-map/1\",\n\"policy\": \"p@1\",\n\"method\": \"spline\"}\n");
    assertThatThrownBy(() -> ScoreMap.read(file))
        .hasMessage(file + ":3: method: expected \"isotonic\" or \"platt\", found \"spline\"");
  }
}
