package dev.plumb.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that does work when run (every command but the groups, which only dispatch: {@link
 * GroupCommand}): picocli injects its spec, and it prints through the writers picocli was given, so
 * that a test runs it in-process and reads what it printed. {@link #call()} returns the exit code
 * ({@link ExitCode}); bad input is thrown ({@code InputException}, {@link #usage}) and mapped to its
 * exit code by {@link Main}'s one handler.
 */
abstract class ActionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Standard output, as picocli was given it. */
  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error, as picocli was given it. */
  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A usage error (exit 2, followed by the command's help hint), {@code message} as the user reads it. */
  final ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
