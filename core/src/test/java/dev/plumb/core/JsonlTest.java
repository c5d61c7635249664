package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTest {
  @TempDir Path dir;

  @Test
  void should_refuse_a_pipe_with_one_line_instead_of_failing_to_seek() throws Exception {
    // e.g. --in <(zcat f.gz): a FIFO opens, but a second pass would see nothing (issue 18)
    Path fifo = dir.resolve("units.jsonl");
    org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    assertThatThrownBy(() -> Jsonl.open(fifo))
        .isInstanceOf(InputException.class)
        .hasMessage(fifo + ": not a regular file (a pipe or a device); plumb may read an input more than once, "
            + "so write it to a file first (a .gz file is read as it is)");
  }

  private List<Jsonl.Line> readAll(Path p) {
    List<Jsonl.Line> lines = new ArrayList<>();
    Jsonl.forEach(p, lines::add);
    return lines;
  }

  @Test
  void should_stop_at_a_line_longer_than_the_limit_naming_the_file_and_line() throws IOException {
    // a 60 MB text field, as a user once fed to sample and score: one limit, one clear message, read
    // no further than the limit (also for the raw texts the sampler streams)
    Path p = dir.resolve("big.jsonl");
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write("{\"id\":\"a\"}\n{\"id\":\"b\",\"text\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] x = new byte[1 << 20];
      java.util.Arrays.fill(x, (byte) 'x');
      for (int i = 0; i < 17; i++) {
        out.write(x);
      }
      out.write("\"}\n".getBytes(StandardCharsets.US_ASCII));
    }
    String expected = p + ":2: line longer than 16 MiB, plumb's limit for one record (a unit's texts are usually a few"
        + " kilobytes): is this the right file?";
    assertThatThrownBy(() -> readAll(p)).isInstanceOf(InputException.class).hasMessage(expected);
    try (Jsonl in = Jsonl.open(p)) {
      assertThatThrownBy(() -> in.texts().forEach(t -> {})).isInstanceOf(InputException.class).hasMessage(expected);
    }
    // just under the limit is read
    Path ok = dir.resolve("ok.jsonl");
    Files.writeString(ok, "{\"t\":\"" + "y".repeat(Jsonl.MAX_LINE_BYTES - 10) + "\"}\n");
    assertThat(readAll(ok)).hasSize(1);
  }

  @Test
  void should_number_lines_and_skip_blank_ones() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.writeString(p, "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n");
    List<Jsonl.Line> lines = readAll(p);
    assertThat(lines).extracting(Jsonl.Line::number).containsExactly(1, 3);
    assertThat(lines.get(1).node().get("id").asText()).isEqualTo("b");
  }

  @Test
  void should_give_raw_texts_with_line_numbers_when_asked() throws IOException {
    Path p = dir.resolve("t.jsonl");
    Files.writeString(p, "\uFEFF{\"id\":\"a\"}\r\n  \n{not json}\n");
    List<Jsonl.Text> texts = new ArrayList<>();
    try (Jsonl in = Jsonl.open(p)) {
      in.texts().forEach(texts::add);
    }
    assertThat(texts).containsExactly(new Jsonl.Text(1, "{\"id\":\"a\"}"), new Jsonl.Text(3, "{not json}"));
  }

  @Test
  void should_read_gzip_transparently() throws IOException {
    Path p = dir.resolve("u.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write("{\"id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(readAll(p)).hasSize(1);
  }

  @Test
  void should_name_file_and_line_of_invalid_json() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.writeString(p, "{\"id\":\"a\"}\n{\"id\": }\n");
    assertThatThrownBy(() -> readAll(p))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(p + ":2:8: invalid JSON: Unexpected character ('}'");
  }

  @Test
  void should_name_where_an_unclosed_object_started_without_the_parsers_source_note() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.writeString(p, "{\"id\":\"a\"}\n{\"unit\":\"x\"\n");
    assertThatThrownBy(() -> readAll(p))
        .isInstanceOf(InputException.class)
        .hasMessage(p + ":2:12: invalid JSON: Unexpected end-of-input: expected close marker for Object"
            + " (start marker at column 1)");
  }

  @Test
  void should_reject_a_line_that_is_not_an_object() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.writeString(p, "[1,2]\n");
    assertThatThrownBy(() -> readAll(p))
        .hasMessage(p + ":1: expected a JSON object, found an array");
  }

  @Test
  void should_reject_duplicate_keys() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.writeString(p, "{\"id\":\"a\",\"id\":\"b\"}\n");
    assertThatThrownBy(() -> readAll(p)).hasMessageContaining(":1:").hasMessageContaining("Duplicate field 'id'");
  }

  @Test
  void should_report_invalid_utf8_with_line() throws IOException {
    Path p = dir.resolve("u.jsonl");
    Files.write(p, new byte[] {'{', '}', '\n', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    assertThatThrownBy(() -> readAll(p)).hasMessage(p + ":2: invalid UTF-8");
  }

  @Test
  void should_drop_a_torn_last_line_only_when_tolerated() throws IOException {
    Path p = dir.resolve("labels.jsonl");
    Files.writeString(p, "{\"unit\":\"a\"}\n{\"unit\":\"b\",\"dec");
    assertThatThrownBy(() -> readAll(p)).isInstanceOf(InputException.class);
    try (Jsonl jsonl = Jsonl.open(p).tolerateTornTail()) {
      List<Jsonl.Line> lines = new ArrayList<>();
      jsonl.forEach(lines::add);
      assertThat(lines).hasSize(1);
      assertThat(jsonl.tornTail()).isEqualTo("{\"unit\":\"b\",\"dec");
    }
  }

  @Test
  void should_say_when_the_file_is_missing() {
    Path p = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> Jsonl.open(p)).hasMessage(p + ": file not found");
  }
}
