package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report stage passes {@code report.recalibrate_scores} on to calibrate's score recalibration. */
class ReportStageTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;

  private Path stage(TwoPhaseFixture f, String report) {
    String yaml = "output: out\ninput:\n  units: units.jsonl\npolicies:\n  dir: library\nsampling:\n  seed: 1\n"
        + "  design: {type: srs, n: 10}\nlabeler:\n  backend: openai\n  model: m\n  scores: true\n" + report;
    RunFile.Parsed parsed = RunFile.parse(yaml, dir.resolve("run.yaml").toString(), dir);
    try (RunState state = new RunState(parsed, "plumb test")) {
      new ReportStage(state, f.sample(), f.labels(), f.gold()).run(text -> {});
    }
    return dir.resolve("out");
  }

  @Test
  void should_write_a_score_map_beside_the_report_when_the_run_file_asks_for_recalibration() throws IOException {
    TwoPhaseFixture f = TwoPhaseFixture.write(Files.createDirectories(dir.resolve("f")), 11, 5_000, TwoPhaseFixture.SELF_HARM);
    // the fixture's policy, self_harm@3: the starter self_harm@2 under that version (safe / violating decisions)
    Path v3 = Files.createDirectories(dir.resolve("library/self_harm")).resolve("v3.yaml");
    Files.writeString(v3, Files.readString(ROOT.resolve("policies/self_harm/v2.yaml")).replace("version: 2\n", "version: 3\n"));
    // give every ok label a score that ranks the LLM's positives above its negatives, with some spread
    List<String> scored = new ArrayList<>();
    int i = 0;
    for (String line : Files.readAllLines(f.labels())) {
      ObjectNode o = (ObjectNode) Json.mapper().readTree(line);
      o.put("score", (o.path("positive").asBoolean() ? 0.6 : 0.05) + 0.3 * ((i++ * 37) % 100) / 100.0);
      scored.add(Json.line(o));
    }
    Files.write(f.labels(), scored);

    Path out = stage(f, "");
    assertThat(out.resolve("report.json")).exists();
    assertThat(out.resolve("score-map.self_harm@3.json")).doesNotExist();

    stage(f, "report:\n  recalibrate_scores: platt\n");
    assertThat(Json.read(out.resolve("score-map.self_harm@3.json")).path("method").asText()).isEqualTo("platt");
  }
}
