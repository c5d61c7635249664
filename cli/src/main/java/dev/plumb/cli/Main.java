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
    Console.exit(Main::run, args);
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
    cli.setHelpFactory(HelpLayout::new);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          PrintWriter e = cmd.getErr();
          // an unknown word explains a missing required option ("--frmae" for --frame): name it first
          e.println("plumb: " + Unknown.first(cmd).orElse(ex.getMessage()));
          e.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
          return ExitCode.BAD_INPUT;
        });
    cli.setExitCodeExceptionMapper(ex -> ex instanceof InputException ? ExitCode.BAD_INPUT : ExitCode.RUNTIME_FAILURE);
    return cli;
  }
}
