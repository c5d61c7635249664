package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir Path dir;

  @Test
  void should_leave_nothing_when_not_committed() throws IOException {
    Path target = dir.resolve("sample.jsonl");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.writer().write("half");
      out.writer().flush();
    }
    assertThat(target).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void should_replace_the_target_whole_on_commit() throws IOException {
    Path target = dir.resolve("sample.json");
    Files.writeString(target, "old");
    AtomicOutput.write(target, "new\n");
    assertThat(target).hasContent("new");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void should_give_outputs_the_mode_the_umask_allows_not_0600() throws Exception {
    // the umask this JVM inherited, as the shell reports it (octal, e.g. 0022)
    Process p = new ProcessBuilder("sh", "-c", "umask").redirectErrorStream(true).start();
    int umask = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim(), 8);
    assertThat(p.waitFor()).isZero();
    Path target = dir.resolve("report.html");
    AtomicOutput.write(target, "<html></html>\n");
    int mode = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(target)) {
      mode |= 1 << (8 - perm.ordinal()); // OWNER_READ is ordinal 0 = bit 0400
    }
    assertThat(Integer.toOctalString(mode)).isEqualTo(Integer.toOctalString(0666 & ~umask));
  }

  @Test
  void should_refuse_a_folder_or_a_path_under_a_file_naming_the_target_not_a_temporary_file() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("out"));
    assertThatThrownBy(() -> AtomicOutput.write(folder, "x"))
        .isInstanceOf(InputException.class)
        .hasMessage(folder + ": is a folder; give a file name for this output");
    Path file = Files.writeString(dir.resolve("units.jsonl"), "{}\n");
    Path under = file.resolve("sub/report.json");
    assertThatThrownBy(() -> AtomicOutput.write(under, "x"))
        .isInstanceOf(InputException.class)
        .hasMessage(under + ": cannot be written: " + file + " is a file, not a folder");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(folder, file);
    }
  }

  @Test
  void should_format_problems_like_a_compiler() {
    assertThat(Problem.at("policies/self_harm/v3.yaml", 14, 5, "decisions[1].id", "duplicate decision id \"safe\""))
        .hasToString("policies/self_harm/v3.yaml:14:5: decisions[1].id: duplicate decision id \"safe\"");
    assertThat(Problem.at("u.jsonl", 3, "weight", "must be >= 0, was -1")).hasToString("u.jsonl:3: weight: must be >= 0, was -1");
    assertThat(Problem.of("--seed must be an integer")).hasToString("--seed must be an integer");
  }

  @Test
  void should_hash_canonical_json_independent_of_key_order() throws IOException {
    var a = Json.mapper().readTree("{\"b\":1,\"a\":{\"y\":2,\"x\":[3,{\"q\":1,\"p\":2}]}}");
    var b = Json.mapper().readTree("{\"a\":{\"x\":[3,{\"p\":2,\"q\":1}],\"y\":2},\"b\":1}");
    assertThat(Json.canonical(a)).isEqualTo(Json.canonical(b)).isEqualTo("{\"a\":{\"x\":[3,{\"p\":2,\"q\":1}],\"y\":2},\"b\":1}");
    assertThat(Hashing.sha256("abc")).isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
