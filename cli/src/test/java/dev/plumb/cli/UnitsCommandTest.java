package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitsCommandTest {
  @TempDir Path tmp;

  @Test
  void generates_logs_then_builds_units_from_them() throws IOException {
    Path logs = tmp.resolve("logs");
    Cli g = Cli.run("units", "generate", "--out", logs.toString(), "--interactions", "1500", "--seed", "3", "--days", "2");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.out()).startsWith("generated 1,500 interactions, ");
    assertThat(g.out()).contains("self_harm", "truth (exposure-weighted) in ");
    assertThat(logs.resolve("interactions/2026-11-26.csv")).exists();

    Path units = tmp.resolve("out/units.jsonl");
    Cli b = Cli.run("units", "build", "--config", logs.resolve("units.yaml").toString(), "--out", units.toString(),
        "--strict", "--memory", "256MB", "--threads", "1");
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("data problems: none\n");
    assertThat(b.out()).containsPattern("built 1,500 units \\([0-9,]+ components, weight [0-9,]+, scores: "
        + "adult_sexual, harassment, misinformation, self_harm\\) in [0-9.]+ s -> " + units);
    assertThat(Files.readAllLines(units)).hasSize(1500);
    assertThat(tmp.resolve("out/units.json")).exists();
  }

  @Test
  void strict_fails_with_exit_1_and_writes_nothing() throws IOException {
    Path config = smallLogs();
    Path units = tmp.resolve("units.jsonl");
    Cli b = Cli.run("units", "build", "--config", config.toString(), "--out", units.toString(), "--strict");
    assertThat(b.code()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(b.err()).contains("data problems: 2\n", "  unknown_pins", "  interactions_without_impressions",
        config + ": --strict: 2 data problems; nothing written");
    assertThat(units).doesNotExist();

    Cli lenient = Cli.run("units", "build", "--config", config.toString(), "--out", units.toString());
    assertThat(lenient.code()).as(lenient.err()).isZero();
    assertThat(lenient.out()).contains("data problems: 2\n");
    assertThat(Files.readString(units)).isEqualTo(
        "{\"id\":\"a\",\"weight\":4,\"attributes\":{},\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"hi\"},"
            + "{\"id\":\"p1\",\"kind\":\"pin\",\"text\":\"Pin one\"}]}\n"
            + "{\"id\":\"b\",\"weight\":0,\"attributes\":{},\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"yo\"}]}\n");
  }

  @Test
  void a_bad_units_yaml_is_one_located_line_and_exit_2() throws IOException {
    Path config = smallLogs();
    Files.writeString(config, Files.readString(config).replace("path: p.csv", "pth: p.csv"));
    Cli b = Cli.run("units", "build", "--config", config.toString(), "--out", tmp.resolve("u.jsonl").toString());
    assertThat(b.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(b.err()).isEqualTo(config + ":7:6: tables.pins.pth: unknown key; did you mean \"path\"? "
        + "(expected path, format, delimiter, columns)\n");
  }

  @Test
  void units_without_a_subcommand_is_a_usage_error() {
    assertThat(Cli.run("units").code()).isEqualTo(ExitCode.BAD_INPUT);
  }

  private Path smallLogs() throws IOException {
    Files.writeString(tmp.resolve("i.csv"), "id,q\na,hi\nb,yo\n");
    Files.writeString(tmp.resolve("c.csv"), "i,pos,pin\na,1,p1\nb,1,p9\n");
    Files.writeString(tmp.resolve("p.csv"), "id,title\np1,Pin one\n");
    Files.writeString(tmp.resolve("w.csv"), "id,n\na,4\n");
    Path config = tmp.resolve("units.yaml");
    Files.writeString(config, """
        tables:
          interactions:
            {path: i.csv, columns: {id: id, query: q}}
          components:
            {path: c.csv, columns: {interaction: i, position: pos, pin: pin}}
          pins:
            {path: p.csv, columns: {id: id, title: title}}
          impressions:
            {path: w.csv, columns: {entity: id, count: n}}
        """);
    return config;
  }
}
