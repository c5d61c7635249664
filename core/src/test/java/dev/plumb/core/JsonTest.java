package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  @TempDir Path dir;

  @Test
  void should_write_null_for_a_number_json_cannot_hold() {
    ObjectNode o = Json.object();
    Json.putFinite(o, "a", 0.25);
    Json.putFinite(o, "b", Double.NaN);
    Json.putFinite(o, "c", Double.POSITIVE_INFINITY);
    assertThat(Json.line(o)).isEqualTo("{\"a\":0.25,\"b\":null,\"c\":null}");
  }

  /** A record declaring a format, as the writers do: snake_case keys in component order. */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Format(double halfWidth, Double phase1, long n, java.math.BigDecimal usd, String note) {}

  @Test
  void should_turn_a_record_into_the_tree_that_writes_the_same_bytes() {
    Format f = new Format(1.0E-5, Json.finite(Double.POSITIVE_INFINITY), 3, new java.math.BigDecimal("0.500000"), null);
    ObjectNode tree = Json.tree(f);
    assertThat(Json.line(tree)).isEqualTo("{\"half_width\":1.0E-5,\"phase1\":null,\"n\":3,\"usd\":0.500000,\"note\":null}")
        .isEqualTo(Json.line(f));
    // the shared mapper's own valueToTree reads the double back as a decimal: what tree() avoids
    assertThat(Json.line(Json.mapper().valueToTree(f))).contains("\"half_width\":0.00001");
    assertThat(Json.finite(0.25)).isEqualTo(0.25);
    assertThat(Json.finite(Double.NaN)).isNull();
  }

  @Test
  void should_name_file_and_first_line_of_the_reason_when_a_sidecar_cannot_be_read() throws IOException {
    Path p = dir.resolve("x.raters.json");
    Files.writeString(p, "{\"a\": 1,}");
    assertThatThrownBy(() -> Json.read(p))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(p + ": cannot read: Unexpected character ('}'")
        .hasMessageNotContaining("\n");
    Path ok = Files.writeString(dir.resolve("ok.json"), "{\"a\":[1]}");
    assertThat(Json.read(ok).get("a").get(0).asInt()).isEqualTo(1);
  }

  @Test
  void should_locate_broken_json_in_a_handed_in_file() throws IOException {
    Path p = dir.resolve("truth.json");
    Files.writeString(p, "{\n  \"a\": tru\n}");
    assertThatThrownBy(() -> Json.read(p, "invalid JSON"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(p + ":2:");
    assertThatThrownBy(() -> Json.read(p, "not JSON")).hasMessageContaining(": not JSON: ");
    assertThatThrownBy(() -> Json.read(dir.resolve("missing.json"), "invalid JSON"))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("missing.json") + ": file not found");
  }

  @Test
  void should_name_what_is_wrong_in_the_users_terms_not_a_parser_feature() throws IOException {
    // python3 -c 'import json; print(json.dumps({"score": float("nan")}))' prints {"score": NaN}
    Path nan = Files.writeString(dir.resolve("scores.json"), "{\"score\": NaN}");
    // the per-unit truth.jsonl where a one-document truth.json is expected
    Path lines = Files.writeString(dir.resolve("truth.jsonl"), "{\"unit\":\"u1\"}\n{\"unit\":\"u2\"}\n");
    assertThatThrownBy(() -> Json.read(nan, "invalid JSON")).isInstanceOf(InputException.class)
        .hasMessage(nan + ":1:14: invalid JSON: NaN is not a JSON number (JSON has no NaN or Infinity; write a finite"
            + " number, or null where the field allows it)");
    assertThatThrownBy(() -> Json.read(lines, "invalid JSON")).isInstanceOf(InputException.class)
        .hasMessage(lines + ":2:1: invalid JSON: a second JSON value after the first; the file must hold one JSON"
            + " document (is it JSON Lines?)");
  }
}
