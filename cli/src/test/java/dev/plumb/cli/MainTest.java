package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void should_print_help_with_exit_codes() {
    Cli r = Cli.run("--help");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("Usage: plumb").contains("Exit codes: 0 ok, 1 a check found problems");
  }

  @Test
  void should_print_version_and_commit() {
    Cli r = Cli.run("--version");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("plumb ").contains("(commit ");
  }

  @Test
  void should_exit_2_with_one_line_on_unknown_command() {
    Cli r = Cli.run("frobnicate");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).startsWith("plumb: Unmatched argument at index 0: 'frobnicate'");
    assertThat(r.err()).doesNotContain("Exception");
  }
}
