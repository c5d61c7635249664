package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb sample} keeps stratified candidates lean (offsets instead of text) and reads the
 * selected units back from the file; the sample must be byte for byte the one the in-memory sketch
 * draws, for plain and gzip frames, with a byte-order mark, CRLF line ends and blank lines.
 */
class LeanStratifiedTest {
  @TempDir Path dir;

  @Test
  void should_read_back_exactly_the_selected_units_from_plain_and_gzip_frames() throws IOException {
    List<String> lines = Frames.lines(5000, 11);
    StringBuilder text = new StringBuilder("\uFEFF");
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i)).append(i % 7 == 0 ? "\r\n" : "\n");
      if (i % 500 == 0) {
        text.append("\n  \n");
      }
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Path plain = dir.resolve("units.jsonl");
    Files.write(plain, bytes);
    Path gzip = dir.resolve("units.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      o.write(bytes);
    }
    SamplingDesign d = Frames.design("""
        type: stratified
        n: 400
        policy: self_harm
        bins: [0, 0.05, 0.3, 1]
        by: [surface]
        allocation: neyman
        """);
    Sample expected = Frames.draw(d, 3, Frames.units(lines));
    for (Path frame : List.of(plain, gzip)) {
      Sample lean = Sampler.draw(frame, d, 3).sample();
      assertThat(lean.units()).hasSameSizeAs(expected.units());
      for (int i = 0; i < expected.units().size(); i++) {
        Sample.SampledUnit e = expected.units().get(i);
        Sample.SampledUnit a = lean.units().get(i);
        assertThat(a.id()).isEqualTo(e.id());
        assertThat(new String(a.json(), StandardCharsets.UTF_8)).as(frame + " " + a.id())
            .isEqualTo(new String(e.json(), StandardCharsets.UTF_8));
        assertThat(a.design()).isEqualTo(e.design());
      }
    }
  }
}
