package dev.plumb.cli;

import dev.plumb.core.Console;

/** The exit codes every plumb command uses; documented in the README. */
public final class ExitCode {
  /** The command did its job. */
  public static final int OK = Console.OK;
  /** The command ran, and a check it performs found problems (validate, check, --strict sign-off). */
  public static final int CHECK_FAILED = Console.CHECK_FAILED;
  /** Bad input or usage: a file, a record, a config value or a command-line argument is wrong. */
  public static final int BAD_INPUT = Console.BAD_INPUT;
  /** The run failed for another reason (a provider refused, the disk filled, a bug). */
  public static final int RUNTIME_FAILURE = Console.RUNTIME_FAILURE;

  private ExitCode() {}
}
