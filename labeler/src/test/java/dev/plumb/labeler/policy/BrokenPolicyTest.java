package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken policy libraries in src/test/resources/broken: each case is a library
 * directory with a README.md saying what is wrong and expected.txt holding the exact lines a user
 * reads, with the case directory written as LIB.
 */
class BrokenPolicyTest {
  static final Path CORPUS = Path.of("src/test/resources/broken");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @Test
  void corpus_has_at_least_twenty_cases() throws IOException {
    assertThat(cases().count()).isGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void should_report_exactly_the_expected_lines(String name) throws IOException {
    Path dir = CORPUS.resolve(name);
    List<String> expected = Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8);

    InputException e = catchThrowableOfType(InputException.class, () -> PolicyLibrary.load(dir));

    assertThat(e).as("loading %s must fail", dir).isNotNull();
    List<String> actual = e.problems().stream().map(Problem::toString).map(l -> l.replace(dir.toString(), "LIB")).toList();
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(Problem::toString).toList()));
  }
}
