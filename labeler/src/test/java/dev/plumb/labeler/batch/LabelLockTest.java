package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, "Data safety": a {@code plumb label} killed with kill -9 leaves neither a lock file that
 * blocks or confuses the next run nor a run record at {@code running} forever; a label file that
 * cannot be read leaves no lock.
 */
class LabelLockTest {
  @TempDir Path dir;

  /** What a labeling process holds while it runs: the store open, the run record at "running". */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      Path out = Path.of(args[0]);
      LabelStore store = LabelStore.open(out, "sha256:p", "m");
      Files.writeString(LabelerConfig.defaultRunFile(out), "{\"status\": \"running\"}\n");
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(60_000);
      store.close();
    }
  }

  @Test
  void should_take_over_the_lock_of_a_killed_run_and_mark_its_record_interrupted() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Holder.class.getName(), out.toString())
        .redirectErrorStream(true).start();
    try {
      assertThat(new String(p.getInputStream().readNBytes(7), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("locked\n");
      assertThatThrownBy(() -> LabelStore.open(out, "sha256:p", "m"))
          .hasMessageStartingWith(out + " is being written by another plumb label run (pid " + p.pid() + ", started ")
          .hasMessageEndingWith(", holds labels.jsonl.lock); wait for that run to finish, or label into another --out");
      p.destroyForcibly(); // kill -9: no shutdown hook runs
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    Path lock = LabelStore.lockFile(out);
    assertThat(lock).exists(); // what kill -9 leaves
    try (LabelStore store = LabelStore.open(out, "sha256:p", "m")) {
      assertThat(store.repair()).startsWith("took over labels.jsonl.lock from a plumb label run that was killed (pid "
          + p.pid() + ", started ");
      assertThat(store.tookOver()).isTrue();
      RunFileWriter.markInterrupted(LabelerConfig.defaultRunFile(out));
    }
    assertThat(lock).doesNotExist();
    var record = Json.mapper().readTree(LabelerConfig.defaultRunFile(out).toFile());
    assertThat(record.get("status").asText()).isEqualTo("interrupted");
    assertThat(record.get("message").asText()).startsWith("killed while running (found by the next run at ");
    try (LabelStore again = LabelStore.open(out, "sha256:p", "m")) {
      assertThat(again.repair()).isNull(); // a clean close left nothing to take over
    }
  }

  @Test
  void should_refuse_to_cut_a_last_line_plumb_did_not_write_and_leave_the_file_as_it_was() throws IOException {
    // issue 18: --out naming a notes file (one line, no newline) lost it as "a torn last line"
    Path out = Files.writeString(dir.resolve("notes.jsonl"), "{\"unit\": \"a\"}\nhello world");
    assertThatThrownBy(() -> LabelStore.open(out, "sha256:p", "m")).isInstanceOf(InputException.class)
        .hasMessage(out + ":2: not a labels file: its last line is not a record plumb writes; nothing was changed"
            + " (give another --out)");
    assertThat(out).hasContent("{\"unit\": \"a\"}\nhello world");
    assertThat(List.of(dir.toFile().list())).containsExactly("notes.jsonl");
  }

  @Test
  void should_leave_no_lock_when_the_label_file_cannot_be_read() throws IOException {
    Path out = dir.resolve("labels.jsonl");
    Files.write(out, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\n', 0, 0, 0, '\n'});
    assertThatThrownBy(() -> LabelStore.open(out, "sha256:p", "m")).isInstanceOf(InputException.class);
    assertThat(List.of(dir.toFile().list())).containsExactly("labels.jsonl");
  }
}
