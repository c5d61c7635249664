package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
