package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameParserTest {

  private static String error(String json) {
    try {
      FrameUnit.parse(json, "units.jsonl", 7);
    } catch (InputException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + json);
  }

  @Test
  void should_read_id_weight_scores_and_attributes_and_keep_the_text() {
    String json = "{\"id\":\"u-1\",\"weight\":37,\"attributes\":{\"surface\":\"search\",\"day\":20261125,"
        + "\"tags\":[\"a\"]},\"scores\":{\"self_harm\":0.82,\"hate\":0},\"components\":[{\"id\":\"q\",\"text\":\"hi\"}],"
        + "\"extra\":1.50}";
    FrameUnit u = FrameUnit.parse(json, "units.jsonl", 3);
    assertThat(u.id()).isEqualTo("u-1");
    assertThat(u.weight()).isEqualTo(37.0);
    assertThat(u.scores()).isEqualTo(Map.of("self_harm", 0.82, "hate", 0.0));
    assertThat(u.attributes()).isEqualTo(Map.of("surface", "search", "day", "20261125"));
    assertThat(new String(u.json(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(u.line()).isEqualTo(3);
  }

  @Test
  void should_stop_at_a_line_longer_than_the_jsonl_limit_naming_the_line() {
    // the sampler's own line reader shares Jsonl's limit and message
    byte[] head = "{\"id\":\"a\"}\n{\"id\":\"b\",\"t\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] data = java.util.Arrays.copyOf(head, head.length + dev.plumb.core.Jsonl.MAX_LINE_BYTES + 10);
    java.util.Arrays.fill(data, head.length, data.length, (byte) 'x');
    try (FrameReader r = FrameReader.open("units.jsonl", new java.io.ByteArrayInputStream(data))) {
      assertThat(r.next()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(r::next).isInstanceOf(dev.plumb.core.InputException.class)
          .hasMessage("units.jsonl:2: line longer than 16 MiB, plumb's limit for one record (a unit's texts are usually"
              + " a few kilobytes): is this the right file?");
    }
  }

  @Test
  void should_default_the_weight_to_one() {
    assertThat(Frames.unit("{\"id\":\"a\"}").weight()).isEqualTo(1.0);
  }

  @Test
  void should_name_line_and_field_of_every_bad_unit() {
    assertThat(error("{\"weight\":3}")).isEqualTo("units.jsonl:7: id: missing");
    assertThat(error("{\"id\":null}")).isEqualTo("units.jsonl:7: id: missing");
    assertThat(error("{\"id\":\"\"}")).isEqualTo("units.jsonl:7: id: expected a non-empty string");
    assertThat(error("{\"id\":12}")).isEqualTo("units.jsonl:7: id: expected a non-empty string");
    assertThat(error("{\"id\":\"a\",\"weight\":-2}"))
        .isEqualTo("units.jsonl:7: weight: must be a finite number >= 0, found -2");
    assertThat(error("{\"id\":\"a\",\"weight\":\"12\"}"))
        .isEqualTo("units.jsonl:7: weight: must be a finite number >= 0, found \"12\"");
    assertThat(error("{\"id\":\"a\",\"weight\":null}"))
        .isEqualTo("units.jsonl:7: weight: must be a finite number >= 0, found null");
    assertThat(error("{\"id\":\"a\",\"weight\":1e400}"))
        .isEqualTo("units.jsonl:7: weight: must be a finite number >= 0, found 1e400");
    assertThat(error("{\"id\":\"a\",\"scores\":{\"self_harm\":1.2}}"))
        .isEqualTo("units.jsonl:7: scores.self_harm: must be a number in [0, 1], found 1.2");
    assertThat(error("{\"id\":\"a\",\"scores\":{\"self_harm\":\"high\"}}"))
        .isEqualTo("units.jsonl:7: scores.self_harm: must be a number in [0, 1], found \"high\"");
    assertThat(error("{\"id\":\"a\",\"scores\":[0.2]}"))
        .isEqualTo("units.jsonl:7: scores: expected an object, found an array");
    assertThat(error("{\"id\":\"a\",\"id\":\"b\"}")).isEqualTo("units.jsonl:7: id: duplicate field");
    assertThat(error("{\"id\":\"a\",\"design\":{\"pi\":0.1}}")).isEqualTo(
        "units.jsonl:7: design: a frame unit must not have a design record (this looks like a sample, not a frame)");
    assertThat(error("[1,2]")).isEqualTo("units.jsonl:7: expected a JSON object, found an array");
    assertThat(error("{\"id\":\"a\"} {}"))
        .isEqualTo("units.jsonl:7:12: invalid JSON: unexpected content after the object");
    assertThat(error("{\"id\":\"a\",\"components\":[{\"text\":\"x\"]}")).isEqualTo(
        "units.jsonl:7:36: invalid JSON: Unexpected close marker ']': expected '}' (for Object starting at column 25)");
    assertThat(error("{\"id\":\"a\",\"components\":[")).isEqualTo("units.jsonl:7:25: invalid JSON:"
        + " Unexpected end-of-input: expected close marker for Array (start marker at column 24)");
  }

  @Test
  void should_reject_invalid_utf8_even_inside_skipped_fields() {
    byte[] json = "{\"id\":\"a\",\"components\":[{\"text\":\"caf\u00e9\"}]}".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(json, (byte) 0xC3);
    json[at + 1] = (byte) 0x28; // C3 28 is not a valid sequence
    assertThatThrownBy(() -> new FrameParser().parse(json, 0, json.length, "units.jsonl", 2))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("units.jsonl:2:")
        .hasMessageContaining("invalid JSON: Invalid UTF-8");
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
