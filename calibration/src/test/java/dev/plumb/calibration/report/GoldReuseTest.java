package dev.plumb.calibration.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldReuseTest {
  @TempDir Path dir;

  @Test
  void should_write_read_and_quote_the_reused_share_beside_the_gold() {
    Path gold = dir.resolve("gold.jsonl");
    Map<String, Integer> under = new LinkedHashMap<>();
    under.put("self_harm@2", 1_150);
    under.put("self_harm@3", 50);
    GoldReuse.write(gold, List.of(new GoldReuse("self_harm@1", Map.of("self_harm@2", 1_200), 1_200),
        new GoldReuse("hate@1", under, 1_300)));

    Map<String, GoldReuse> back = GoldReuse.read(gold);

    assertThat(GoldReuse.fileOf(gold)).isEqualTo(dir.resolve("gold.reuse.json"));
    assertThat(back.get("self_harm@1").message())
        .isEqualTo("gold reviewed under self_harm@2, reused for self_harm@1: 1,200 of 1,200 units");
    assertThat(back.get("hate@1").message())
        .isEqualTo("gold reviewed under self_harm@2 (1,150) and self_harm@3 (50), reused for hate@1: 1,200 of 1,300 units");
    assertThat(back.get("hate@1").json().toString()).isEqualTo("{\"reviewed_under\":[{\"version\":\"self_harm@2\",\"units\":1150},"
        + "{\"version\":\"self_harm@3\",\"units\":50}],\"reused\":1200,\"gold_units\":1300,\"message\":\"" + back.get("hate@1").message()
        + "\"}");

    // nothing reused any more: the stale file goes, so no report shows reuse the gold no longer has
    GoldReuse.write(gold, List.of());
    assertThat(GoldReuse.fileOf(gold)).doesNotExist();
    assertThat(GoldReuse.read(gold)).isEmpty();
  }

  @Test
  void should_name_the_file_and_field_of_a_bad_reuse_file() throws Exception {
    Path gold = dir.resolve("gold.jsonl");
    Files.writeString(GoldReuse.fileOf(gold),
        "{\"format\":\"plumb.gold-reuse/1\",\"policies\":{\"self_harm@1\":{\"gold_units\":10,\"reviewed_under\":{\"self_harm@2\":11}}}}");
    assertThatThrownBy(() -> GoldReuse.read(gold)).isInstanceOf(InputException.class)
        .hasMessage(GoldReuse.fileOf(gold) + ": policies.self_harm@1: reuses 11 units of 10");
    Files.writeString(GoldReuse.fileOf(gold), "{\"format\":\"plumb.report/1\"}");
    assertThatThrownBy(() -> GoldReuse.read(gold)).isInstanceOf(InputException.class)
        .hasMessage(GoldReuse.fileOf(gold) + ": format: expected \"plumb.gold-reuse/1\"");
  }
}
