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
    assertThat(r.err()).isEqualTo("plumb: unknown command 'frobnicate'\nTry 'plumb --help' for more information.\n");
  }

  @Test
  void should_suggest_the_command_meant_by_a_typo() {
    Cli r = Cli.run("smaple");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).startsWith("plumb: unknown command 'smaple'; did you mean sample?\n");
  }

  @Test
  void should_name_a_misspelt_option_and_suggest_it_rather_than_report_the_required_one_missing() {
    Cli r = Cli.run("score", "--frmae", "units.jsonl", "--out", "scored.jsonl");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(
        "plumb: unknown option '--frmae'; did you mean --frame?\nTry 'plumb score --help' for more information.\n");
  }

  @Test
  void should_name_an_unknown_option_without_a_suggestion_when_none_is_close() {
    Cli r = Cli.run("plan", "--prevalence", "0.01", "--half-width", "0.002", "--zzzzzz=3");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).startsWith("plumb: unknown option '--zzzzzz'\n");
  }
}
