package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFileTest {
  @TempDir Path dir;

  /** The reader of the tests: the value of {@code n:}. */
  private static long n(LocatedYaml doc) {
    return YamlFields.root(doc, "a mapping", YamlFields.failFast()).integer("n", true, 1, 10);
  }

  private static final YamlFile<Long> REQUIRED = YamlFile.required("count file", "n:", YamlFileTest::n);
  private static final YamlFile<Long> OPTIONAL = YamlFile.optional("count file", () -> 7L, YamlFileTest::n);

  @Test
  void should_name_what_a_required_file_needs_when_it_is_empty() {
    assertThatThrownBy(() -> REQUIRED.parse("# nothing yet\n", "c.yaml"))
        .isInstanceOf(InputException.class)
        .hasMessage("c.yaml: empty count file; it needs n:");
  }

  @Test
  void should_answer_the_default_for_an_empty_optional_file() {
    assertThat(OPTIONAL.parse("", "c.yaml")).isEqualTo(7L);
    assertThat(OPTIONAL.parse("---\n# only a comment\n", "c.yaml")).isEqualTo(7L);
  }

  @Test
  void should_hand_a_document_to_the_reader_whether_read_or_parsed() throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "n: 3\n");
    assertThat(REQUIRED.read(file)).isEqualTo(3L);
    assertThat(OPTIONAL.read(file)).isEqualTo(3L);
    assertThat(REQUIRED.parse("n: 4\n", "c.yaml")).isEqualTo(4L);
  }

  @Test
  void should_pass_the_readers_problem_through_with_its_location() {
    assertThatThrownBy(() -> OPTIONAL.parse("n: 11\n", "c.yaml"))
        .isInstanceOf(InputException.class)
        .hasMessage("c.yaml:1:4: n: expected a whole number from 1 to 10, got 11");
  }

  @Test
  void should_say_a_missing_file_is_not_found() {
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> REQUIRED.read(missing))
        .isInstanceOf(InputException.class)
        .hasMessage(missing + ": file not found");
  }
}
