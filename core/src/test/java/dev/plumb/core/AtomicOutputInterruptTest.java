package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "Data safety": a command interrupted while writing an output keeps the previous file
 * and leaves no {@code .NAME.*.partial} behind — at once on Ctrl-C or SIGTERM (the shutdown hook),
 * at the next write of the same file after kill -9 (the sweep). Real processes, killed for real.
 */
class AtomicOutputInterruptTest {
  @TempDir Path dir;

  /** Starts writing args[0] and never finishes. */
  public static final class Writer {
    public static void main(String[] args) throws Exception {
      AtomicOutput out = AtomicOutput.create(Path.of(args[0]));
      out.writer().write("half of the new content");
      out.writer().flush();
      System.out.println("writing");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  private Process writer(Path target) throws IOException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Writer.class.getName(), target.toString())
        .redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readNBytes(8), StandardCharsets.UTF_8)).isEqualTo("writing\n");
    return p;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void should_keep_the_old_file_and_leave_no_partial_when_interrupted() throws Exception {
    Path target = Files.writeString(dir.resolve("scored.jsonl"), "old\n");
    Process p = writer(target);
    assertThat(files()).hasSize(2).anyMatch(f -> f.matches("\\.scored\\.jsonl\\." + p.pid() + "-[0-9a-z]+\\.partial"));
    p.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(files()).containsExactly("scored.jsonl");
    assertThat(target).hasContent("old");
  }

  @Test
  void should_sweep_the_partial_of_a_killed_process_at_the_next_write() throws Exception {
    Path target = Files.writeString(dir.resolve("report.html"), "old\n");
    Process p = writer(target);
    p.destroyForcibly(); // kill -9: no hook runs
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(files()).hasSize(2);
    assertThat(target).hasContent("old");
    AtomicOutput.write(target, "new\n");
    assertThat(files()).containsExactly("report.html");
    assertThat(target).hasContent("new");
  }

  @Test
  void an_interrupt_prints_one_line_with_what_is_kept_and_the_command_that_resumes() {
    assertThat(Console.interrupted("plumb", "score", "--frame", "my units.jsonl", "--out", "scored.jsonl"))
        .isEqualTo("plumb: interrupted; finished outputs are kept, unfinished ones discarded (their previous versions"
            + " stay); to resume: plumb score --frame 'my units.jsonl' --out scored.jsonl");
  }
}
