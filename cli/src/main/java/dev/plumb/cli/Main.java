package dev.plumb.cli;

import dev.plumb.core.Console;
import dev.plumb.core.InputException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** Entry point. Only {@link #main} exits; everything else returns an exit code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Console.exit("plumb", Main::run, args);
  }

  /**
   * Runs one plumb command in-process with the given writers and returns its exit code (see
   * {@link ExitCode}). Tests call this directly.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cli = commandLine(out, err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter e = commandLine.getErr();
          if (debug) {
            ex.printStackTrace(e);
          }
          return Console.report(ex, e, "plumb", debug ? "" : " (run with --debug for the stack trace)");
        });
    return cli.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new PlumbCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpAutoWidth(true);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          PrintWriter e = cmd.getErr();
          e.println("plumb: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, e)) {
            e.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
          }
          return ExitCode.BAD_INPUT;
        });
    // Output paths are checked once here for every command, before it does any work (OutputPaths).
    cli.setExecutionStrategy(parsed -> {
      try {
        OutputPaths.check(parsed);
      } catch (InputException e) {
        throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExitCodeExceptionMapper(ex -> ex instanceof InputException ? ExitCode.BAD_INPUT : ExitCode.RUNTIME_FAILURE);
    return cli;
  }
}
