package dev.plumb.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitsConfigTest {
  @TempDir Path tmp;
  Path config;

  @BeforeEach
  void logs() throws IOException {
    config = ProblemLogs.write(tmp);
  }

  private String error(String yaml) throws IOException {
    Files.writeString(config, yaml);
    try {
      UnitsConfig.read(config);
    } catch (InputException e) {
      return e.getMessage().replace(config.toString(), "units.yaml");
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void reads_tables_globs_columns_and_unit_options() {
    UnitsConfig c = UnitsConfig.read(config);
    assertThat(c.tables().keySet()).containsExactly("interactions", "components", "pins", "impressions", "risk_scores");
    assertThat(c.tables().get("interactions").files()).extracting(p -> p.getFileName().toString())
        .containsExactly("interactions-1.csv", "interactions-2.csv");
    assertThat(c.tables().get("risk_scores").format()).isEqualTo(UnitsConfig.Format.JSONL);
    assertThat(c.tables().get("components").columns()).isEqualTo(Map.of("interaction", "interaction", "position", "pos", "pin", "pin"));
    assertThat(c.attributes()).containsExactlyEntriesOf(new java.util.LinkedHashMap<>(Map.of("surface", "surface")) {{
      put("day", "day");
      put("lang", "lang");
    }});
    assertThat(c.user()).isEqualTo(UnitsConfig.UserMode.HASH);
    assertThat(c.aggregate()).isEqualTo(UnitsConfig.Aggregate.MAX);
    assertThat(c.policies()).isEmpty();
  }

  @Test
  void an_unknown_key_is_named_with_a_suggestion() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("{aggregate: max,", "{agregate: max,")))
        .isEqualTo("units.yaml:21:12: units.scores.agregate: unknown key; did you mean \"aggregate\"? "
            + "(expected aggregate, missing, policies)");
  }

  @Test
  void an_unknown_column_name_is_named() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("position: pos,", "postion: pos,")))
        .isEqualTo("units.yaml:7:41: tables.components.columns.postion: unknown column name; did you mean "
            + "\"position\"? (expected interaction, position, pin)");
  }

  @Test
  void a_missing_required_column_mapping_is_named() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("pin: pin}", "}").replace("position: pos,", "position: pos")))
        .isEqualTo("units.yaml:7:5: tables.components.columns: missing pin: (the column that holds the pin id)");
  }

  @Test
  void a_glob_that_matches_nothing_is_named() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("logs/interactions-*.csv", "log/interactions-*.csv")))
        .isEqualTo("units.yaml:3:11: tables.interactions.path: no file matches log/interactions-*.csv (relative to "
            + tmp + ")");
  }

  @Test
  void a_missing_table_is_named() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replaceAll("(?s)  pins:.*?image: image}\n", "")))
        .isEqualTo("units.yaml:1:1: tables: missing table \"pins\"");
  }

  @Test
  void bad_option_values_are_named() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("aggregate: max", "aggregate: sum")))
        .isEqualTo("units.yaml:21:23: units.scores.aggregate: expected one of max, mean, min, got \"sum\"");
    assertThat(error(ProblemLogs.CONFIG.replace("missing: mean", "missing: 1.5")))
        .isEqualTo("units.yaml:21:37: units.scores.missing: must be between 0 and 1, got 1.5");
    assertThat(error(ProblemLogs.CONFIG.replace("  user_salt: s3cret\n", "")))
        .isEqualTo("units.yaml:19:3: units.user: user: hash needs user_salt: a secret string, so that hashed ids "
            + "cannot be looked up");
  }

  @Test
  void typed_values_are_worded_as_in_every_config_file() throws IOException {
    assertThat(error(ProblemLogs.CONFIG.replace("user: hash", "user: hsah")))
        .isEqualTo("units.yaml:19:9: units.user: expected one of drop, hash, got \"hsah\"; did you mean \"hash\"?");
    assertThat(error(ProblemLogs.CONFIG.replace("pin: pin}", "pin: 7}")))
        .isEqualTo("units.yaml:7:61: tables.components.columns.pin: expected a string, got the number 7 (put it in quotes: \"7\")");
    assertThat(error(ProblemLogs.CONFIG.replace("user_salt: s3cret", "user_salt: 12345")))
        .isEqualTo("units.yaml:20:14: units.user_salt: expected a string, got the number 12345 (put it in quotes: \"12345\")");
  }

  @Test
  void a_tab_delimiter_is_kept_as_written() throws IOException {
    Files.writeString(config, ProblemLogs.CONFIG.replace("path: logs/components.csv", "path: logs/components.csv\n    delimiter: \"\\t\""));
    assertThat(UnitsConfig.read(config).tables().get("components").delimiter()).isEqualTo("\t");
  }

  @Test
  void invalid_yaml_is_located() throws IOException {
    assertThat(error("tables:\n  interactions: {path: [a.csv\n"))
        .startsWith("units.yaml:3:1: invalid YAML: ");
  }

  @Test
  void globs_walk_only_as_deep_as_the_pattern() throws IOException {
    Files.createDirectories(tmp.resolve("d/2026-11-25"));
    Files.writeString(tmp.resolve("d/2026-11-25/a.csv"), "x\n");
    Files.writeString(tmp.resolve("d/b.csv"), "x\n");
    assertThat(UnitsConfig.glob(tmp, "d/*.csv")).containsExactly(tmp.resolve("d/b.csv"));
    assertThat(UnitsConfig.glob(tmp, "d/*/*.csv")).containsExactly(tmp.resolve("d/2026-11-25/a.csv"));
    assertThat(UnitsConfig.glob(tmp, "d/**.csv")).containsExactly(tmp.resolve("d/2026-11-25/a.csv"), tmp.resolve("d/b.csv"));
    assertThat(UnitsConfig.glob(tmp, "d/b.csv")).isEqualTo(List.of(tmp.resolve("d/b.csv")));
  }
}
