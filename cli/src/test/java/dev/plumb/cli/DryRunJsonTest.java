package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.core.Json;
import dev.plumb.labeler.batch.DryRunEstimate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DryRunJsonTest {
  @Test
  void should_write_null_costs_without_a_price_and_seconds_only_with_a_time_estimate() {
    DryRunEstimate.Expected x = new DryRunEstimate.Expected(90, "default: 5 + 55 per policy", "no prompt caching", null, null, null);
    DryRunEstimate timed = new DryRunEstimate(3, 6, 1, 2, 1000, 0, 400, "chars/4", null, null, null, 60, 0,
        Duration.ofSeconds(61), 17, 0, 0, 0, 0, 0.0, null, null, null, 0.25, x);
    // the bytes `plumb label --dry-run --json` wrote before the format was a record (same key order,
    // null costs, tokens_error as a double)
    assertThat(Json.line(DryRunJson.of(timed, "m"))).isEqualTo("{\"model\":\"m\",\"units\":3,\"labels\":6,\"resumed\":1,"
        + "\"requests\":2,\"tokenizer\":\"chars/4\",\"tokens_error\":0.25,\"tokens\":{\"input\":1000,\"cached_input\":0,"
        + "\"cache_write_input\":0,\"output_max\":400,\"output_expected\":90,\"schema_per_request\":17,\"cacheable_prefix\":0,"
        + "\"cache_prefixes\":0},\"images\":0,\"cache_hit_rate\":0.0,\"cache_hit_basis\":\"no prompt caching\","
        + "\"output_expected_basis\":\"default: 5 + 55 per policy\",\"cost_usd\":{\"list\":null,\"cached\":null,\"batch\":null,"
        + "\"output_max\":null,\"prompt\":{\"list\":null,\"cached\":null,\"batch\":null},\"expected\":{\"list\":null,"
        + "\"cached\":null,\"batch\":null}},\"seconds\":61}");

    DryRunEstimate untimed = new DryRunEstimate(3, 6, 1, 2, 1000, 0, 400, "chars/4", null, null, null, 0, 0,
        null, 17, 0, 0, 0, 0, 0.0, null, null, null, 0.25, x);
    assertThat(Json.line(DryRunJson.of(untimed, null))).startsWith("{\"model\":null,").doesNotContain("seconds");
  }
}
