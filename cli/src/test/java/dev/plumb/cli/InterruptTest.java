package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "Data safety": Ctrl-C on a real {@code plumb} process prints one line saying what is kept
 * and the command that resumes, keeps the previous output and leaves no partial file. The command
 * reads its input from a named pipe the test holds open, so it is interrupted mid-read every time.
 */
class InterruptTest {
  @TempDir Path dir;

  @Test
  void ctrl_c_prints_one_line_with_the_command_that_resumes_and_keeps_the_old_output() throws Exception {
    Path fifo = dir.resolve("texts.csv"); // the CSV reader streams (the JSON Lines reader seeks, which a pipe cannot)
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Path out = Files.writeString(dir.resolve("units.jsonl"), "old\n");
    Process plumb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "units", "from-texts", "--in", fifo.toString(),
        "--text", "prompt", "--out", out.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream pipe = Files.newOutputStream(fifo)) { // returns once plumb has opened its input
      pipe.write("prompt\na first text\n".getBytes(StandardCharsets.UTF_8));
      pipe.flush();
      assertThat(new ProcessBuilder("kill", "-INT", Long.toString(plumb.pid())).start().waitFor()).isZero();
      assertThat(plumb.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String err = new String(plumb.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(plumb.exitValue()).as(err).isEqualTo(130);
    assertThat(err).isEqualTo(
        "plumb: interrupted; finished outputs are kept, unfinished ones discarded (their previous versions stay);"
            + " to resume: plumb units from-texts --in " + fifo + " --text prompt --out " + out + "\n");
    assertThat(out).hasContent("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("texts.csv", "units.jsonl");
    }
  }
}
