package dev.plumb.calibration.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaterErrorFitTest {

  @Test
  void priorsKeepStratumOrderWhateverOrderTheyCameIn() {
    List<String> sorted = List.of("llm_negative/w1", "llm_negative/w2", "llm_negative/w3", "llm_negative/w4",
        "llm_positive/w1", "llm_positive/w2", "llm_positive/w3", "llm_positive/w4");
    Map<String, Double> given = new LinkedHashMap<>();
    for (int i = sorted.size() - 1; i >= 0; i--) {
      given.put(sorted.get(i), i / 10.0);
    }
    RaterErrorFit fit = new RaterErrorFit(List.of(), null, given, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0, List.of(), true);
    // gold.raters.json lists the priors in this order; with Map.copyOf it changed from run to run
    assertThat(fit.priors().keySet()).containsExactlyElementsOf(sorted);
    assertThat(fit.priors().get("llm_positive/w2")).isEqualTo(0.5);
  }
}
