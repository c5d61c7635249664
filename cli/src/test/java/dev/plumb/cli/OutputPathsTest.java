package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "Data safety": an output that would replace one of the command's inputs, and an output
 * path that cannot be what the command writes, are refused before any work with exit 2 and one line.
 */
class OutputPathsTest {
  @TempDir Path dir;

  private static final String UNIT =
      "{\"id\":\"u1\",\"weight\":1,\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"hello\"}]}\n";

  private Path frame() throws IOException {
    return Files.writeString(dir.resolve("f.jsonl"), UNIT);
  }

  private Path design() throws IOException {
    return Files.writeString(dir.resolve("d.yaml"), "type: srs\nn: 1\n");
  }

  @Test
  void should_refuse_a_sample_that_would_replace_its_frame() throws IOException {
    Path frame = frame();
    Cli r = Cli.run("sample", "--frame", frame.toString(), "--design", design().toString(), "--out", frame.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--out " + frame + " would replace the --frame input " + frame
        + "; write the output somewhere else\n");
    assertThat(frame).hasContent(UNIT.strip());
  }

  @Test
  void should_see_through_symlinks_and_relative_spellings() throws IOException {
    Path frame = frame();
    Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), frame);
    Path other = dir.resolve("sub/../link.jsonl");
    Cli r = Cli.run("score", "--frame", link.toString(), "--out", other.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--out " + other + " would replace the --frame input " + link
        + "; write the output somewhere else\n");
    assertThat(frame).hasContent(UNIT.strip());
  }

  @Test
  void should_refuse_a_manifest_written_beside_the_output_over_an_input() throws IOException {
    Path frame = Files.writeString(dir.resolve("s.json"), UNIT);
    Path out = dir.resolve("s.jsonl");
    Cli r = Cli.run("sample", "--frame", frame.toString(), "--design", design().toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--out " + out + ": the file it writes beside it, " + frame
        + ", would replace the --frame input " + frame + "; write the output somewhere else\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void should_refuse_a_report_folder_holding_an_input_of_the_same_name() throws IOException {
    Path labels = Files.writeString(dir.resolve("report.json"), "{}\n");
    Cli r = Cli.run("calibrate", "--sample", frame().toString(), "--labels", labels.toString(),
        "--gold", labels.toString(), "--out", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--out " + dir + ": the file it writes beside it, " + labels
        + ", would replace the --labels input " + labels);
  }

  @Test
  void should_say_what_is_wrong_with_an_output_path_as_a_usage_error() throws IOException {
    Path frame = frame();
    Path folder = Files.createDirectories(dir.resolve("out"));
    Cli asFolder = Cli.run("score", "--frame", frame.toString(), "--out", folder.toString());
    assertThat(asFolder.code()).isEqualTo(2);
    assertThat(asFolder.err()).isEqualTo("--out " + folder + ": is a folder; give a file name for this output\n");

    Path under = frame.resolve("scored.jsonl");
    Cli underFile = Cli.run("score", "--frame", frame.toString(), "--out", under.toString());
    assertThat(underFile.code()).isEqualTo(2);
    assertThat(underFile.err()).isEqualTo("--out " + under + ": cannot be written: " + frame + " is a file, not a folder\n");

    Cli fileAsFolder = Cli.run("calibrate", "--sample", frame.toString(), "--labels", "l.jsonl", "--gold", "g.jsonl",
        "--out", frame.toString());
    assertThat(fileAsFolder.code()).isEqualTo(2);
    assertThat(fileAsFolder.err())
        .isEqualTo("--out " + frame + ": is a file; this command writes a folder there (give a folder name)\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(frame, folder);
    }
  }
}
