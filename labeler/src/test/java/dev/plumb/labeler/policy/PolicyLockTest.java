package dev.plumb.labeler.policy;

import static dev.plumb.labeler.policy.Libraries.copy;
import static dev.plumb.labeler.policy.Libraries.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLockTest {
  @TempDir Path tmp;
  Path lib;

  @BeforeEach
  void copyMinimalLibrary() {
    lib = copy(PolicyLibraryTest.MINIMAL, tmp.resolve("policies"));
  }

  PolicyLock lockNow() {
    PolicyLibrary library = PolicyLibrary.load(lib);
    PolicyLock.Update u = PolicyLock.read(PolicyLock.fileOf(library)).update(library, List.of());
    assertThat(u.refused()).isEmpty();
    u.lock().write();
    return u.lock();
  }

  List<String> check() {
    PolicyLibrary library = PolicyLibrary.load(lib);
    return PolicyLock.read(PolicyLock.fileOf(library)).check(library).stream().map(Problem::toString).toList();
  }

  @Test
  void should_lock_active_and_retired_versions_but_not_drafts() throws IOException {
    PolicyLibrary library = PolicyLibrary.load(lib);
    PolicyLock.Update u = PolicyLock.read(PolicyLock.fileOf(library)).update(library, List.of());
    u.lock().write();

    assertThat(u.added()).containsExactly("demo@1", "demo@2");
    assertThat(Files.readAllLines(lib.resolve("policies.lock")))
        .filteredOn(l -> !l.startsWith("#"))
        .containsExactly(
            "demo@1 " + library.versions("demo").get(0).sha256(),
            "demo@2 " + library.versions("demo").get(1).sha256());
    assertThat(check()).isEmpty();
  }

  @Test
  void should_sort_entries_by_id_then_numeric_version() {
    String hash = "sha256:" + "0".repeat(64);
    Path file = lib.resolve("policies.lock");
    write(file, "zeta@10 " + hash + "\nzeta@9 " + hash + "\nalpha@2 " + hash + "\n");

    assertThat(PolicyLock.read(file).entries().keySet()).containsExactly("alpha@2", "zeta@9", "zeta@10");
  }

  @Test
  void should_fail_naming_the_file_when_a_locked_version_is_edited() {
    lockNow();
    replace(lib.resolve("demo/v1.yaml"), "Breaks the demo rule.", "Breaks the demo rules.");
    String now = PolicyLibrary.load(lib).versions("demo").get(0).sha256();
    String was = PolicyLock.read(lib.resolve("policies.lock")).entries().get("demo@1").sha256();

    assertThat(check()).containsExactly(
        lib + "/demo/v1.yaml: changed since it was locked (policies.lock:4 has " + PolicyLock.shortHash(was)
            + ", the file now hashes to " + PolicyLock.shortHash(now)
            + "); a locked version is immutable: undo the edit and make the change in a new version (v4.yaml)");
  }

  @Test
  void should_not_count_comments_formatting_or_status_as_a_change() {
    lockNow();
    replace(lib.resolve("demo/v1.yaml"), "# A minimal valid policy used by the loader tests.\n", "");
    replace(lib.resolve("demo/v1.yaml"), "includes: [whole sentences in capitals]",
        "includes:\n      - \"whole sentences in capitals\"   # block style now");
    replace(lib.resolve("demo/v1.yaml"), "status: retired", "status: active");

    assertThat(check()).isEmpty();
  }

  @Test
  void should_fail_when_a_locked_version_file_is_missing() throws IOException {
    lockNow();
    Files.delete(lib.resolve("demo/v1.yaml"));

    assertThat(check()).containsExactly(
        lib + "/demo/v1.yaml: missing, but policies.lock:4 locks demo@1; restore the file (labels may cite this version)");
  }

  @Test
  void should_fail_when_an_active_version_is_not_locked() throws IOException {
    lockNow();
    write(lib.resolve("policies.lock"), Files.readString(lib.resolve("policies.lock")).replaceAll("demo@2 .*\n", ""));

    assertThat(check()).containsExactly(lib + "/demo/v2.yaml: demo@2 is active but not locked; run plumb policy lock");
  }

  @Test
  void should_fail_when_the_lock_file_is_missing() {
    assertThat(check()).containsExactly(
        lib + "/policies.lock: missing; 2 active or retired versions need locking: run plumb policy lock");
  }

  @Test
  void should_refuse_to_relock_silently_and_relock_when_named() {
    lockNow();
    replace(lib.resolve("demo/v2.yaml"), "Dropped the categories.", "Dropped every category.");
    PolicyLibrary library = PolicyLibrary.load(lib);
    PolicyLock lock = PolicyLock.read(lib.resolve("policies.lock"));

    PolicyLock.Update refused = lock.update(library, List.of());
    assertThat(refused.refused()).extracting(Problem::toString).singleElement().asString()
        .startsWith(lib + "/demo/v2.yaml: changed since it was locked (policies.lock:5 has ")
        .endsWith("; if no label was ever made with it, plumb policy lock --relock demo@2 accepts the edit");

    PolicyLock.Update relocked = lock.update(library, List.of(PolicyRef.parse("demo@2")));
    assertThat(relocked.refused()).isEmpty();
    assertThat(relocked.relocked()).containsExactly("demo@2");
    assertThat(relocked.lock().entries().get("demo@2").sha256()).isEqualTo(library.versions("demo").get(1).sha256());
  }

  @Test
  void should_drop_a_missing_version_only_when_named() throws IOException {
    lockNow();
    Files.delete(lib.resolve("demo/v1.yaml"));
    PolicyLibrary library = PolicyLibrary.load(lib);
    PolicyLock lock = PolicyLock.read(lib.resolve("policies.lock"));

    assertThat(lock.update(library, List.of()).refused()).hasSize(1);
    PolicyLock.Update u = lock.update(library, List.of(PolicyRef.parse("demo@1")));
    assertThat(u.dropped()).containsExactly("demo@1");
    assertThat(u.lock().entries().keySet()).containsExactly("demo@2");
  }

  @Test
  void should_require_a_version_to_relock() {
    PolicyLibrary library = PolicyLibrary.load(lib);
    assertThatThrownBy(() -> PolicyLock.read(lib.resolve("policies.lock")).update(library, List.of(PolicyRef.parse("demo"))))
        .isInstanceOf(InputException.class)
        .hasMessage("--relock demo: name the version to relock, e.g. demo@1");
  }

  @Test
  void should_report_every_malformed_line_of_the_lock_file() {
    Path file = lib.resolve("policies.lock");
    String hash = "sha256:" + "a".repeat(64);
    write(file, "# comment\n\ndemo@1 " + hash + "\ndemo@1 " + hash + "\ndemo@2 sha256:abc\nDemo@3 " + hash + "\n");

    assertThatThrownBy(() -> PolicyLock.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(String.join("\n",
            file + ":4: demo@1 is locked twice (first at line 3)",
            file + ":5: expected \"ID@VERSION sha256:HEX\", got \"demo@2 sha256:abc\"",
            file + ":6: expected \"ID@VERSION sha256:HEX\", got \"Demo@3 " + hash + "\""));
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
