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
}
