package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
  @TempDir Path dir;

  @Test
  void writes_the_three_reports_for_a_two_phase_fixture() throws Exception {
    TwoPhaseFixture f = TwoPhaseFixture.write(dir, 11, 20_000, TwoPhaseFixture.SELF_HARM, TwoPhaseFixture.HATE);
    Path out = Path.of(System.getProperty("plumb.report.out", dir.resolve("report").toString()));
    Cli r = Cli.run("calibrate", "--sample", f.sample().toString(), "--labels", f.labels().toString(),
        "--gold", f.gold().toString(), "--out", out.toString(), "--by", "surface", "--answers", f.answers().toString(),
        "--truth", f.truthFile().toString());
    System.out.println(r.out() + r.err());
    assertThat(r.code()).isZero();
    JsonNode json = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
    assertThat(json.path("format").asText()).isEqualTo("plumb.report/1");
  }
}
