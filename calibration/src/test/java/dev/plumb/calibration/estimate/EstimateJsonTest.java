package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateJsonTest {
  @Test
  void should_write_plumb_estimate_1_with_both_kinds_of_row_and_the_bootstraps_settings() {
    // one unit, no positive: Korn-Graubard's effective size is infinite and written as null
    Estimate e = new Estimate(0.0, 0.0, 0.0, 1, 1, 1, 0, 0, 0.0, Double.POSITIVE_INFINITY, Double.NaN, 1.0);
    PrevalenceReport r = new PrevalenceReport("s.jsonl", DesignType.SRS, 2, 2, 1, "l.jsonl", IntervalMethod.BOOTSTRAP, 0.9,
        200, 7L,
        List.of(new PrevalenceReport.Row("p@1", null, null, 2, 1, e, new Interval(0, 0.5, 0.9, "bootstrap", true), null),
            new PrevalenceReport.Row("p@1", "surface", "search", 1, 0, null, null, "no labeled units")),
        List.of(new PrevalenceReport.Unlabeled("p@1", 1, 1, 0, List.of("u-2"))), List.of("a note"));
    // the bytes the writer produced before it built records: key order, nulls, kish_n_eff's name
    assertThat(Json.line(r.toJson())).isEqualTo("{\"format\":\"plumb.estimate/1\",\"sample\":{\"path\":\"s.jsonl\","
        + "\"design\":\"srs\",\"units\":2,\"rows\":2,\"strata\":1},\"labels\":\"l.jsonl\",\"interval\":{\"method\":\"bootstrap\","
        + "\"confidence\":0.9,\"replicates\":200,\"seed\":7},\"estimates\":[{\"policy\":\"p@1\",\"domain\":null,\"units\":2,"
        + "\"labeled\":1,\"positives\":0,\"prevalence\":0.0,\"se\":0.0,\"lower\":0.0,\"upper\":0.5,\"one_sided\":true,"
        + "\"interval_method\":\"bootstrap\",\"n_eff\":null,\"deff\":null,\"kish_n_eff\":1.0,\"df\":0,\"exposure\":0.0},"
        + "{\"policy\":\"p@1\",\"domain\":{\"attribute\":\"surface\",\"value\":\"search\"},\"units\":1,\"labeled\":0,"
        + "\"prevalence\":null,\"reason\":\"no labeled units\"}],\"unlabeled\":[{\"policy\":\"p@1\",\"units\":1,\"failed\":1,"
        + "\"invalid\":0,\"missing\":0,\"examples\":[\"u-2\"]}],\"notes\":[\"a note\"]}");
  }
}
