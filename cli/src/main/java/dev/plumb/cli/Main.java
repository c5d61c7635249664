package dev.plumb.cli;

import dev.plumb.core.Console;
import dev.plumb.core.InputException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

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
    CommandLine cli = commandLine(out, err, commandNamed(args));
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

  /** Every command fully built (what tests that walk all the commands use). */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  /**
   * The command line with {@code full} (a command name; {@code null} for all) built in full and the
   * other commands as their names and descriptions only: enough for {@code plumb --help}, the
   * "did you mean" of a mistyped command, and dispatch. Building every command's option model by
   * reflection was most of the start-up time of {@code plumb --help} and {@code --version}.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String full) {
    CommandLine cli = new CommandLine(new PlumbCommand());
    for (Class<?> c : PlumbCommand.COMMANDS) {
      Command command = c.getAnnotation(Command.class);
      if (full == null || full.equals(command.name()) || Arrays.asList(command.aliases()).contains(full)) {
        cli.addSubcommand(instantiate(c));
      } else {
        CommandSpec outline = CommandSpec.create().name(command.name()).aliases(command.aliases());
        outline.usageMessage().description(command.description()).header(command.header()).hidden(command.hidden());
        cli.addSubcommand(command.name(), new CommandLine(outline));
      }
    }
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

  /** The first argument that is not an option: the command a run asks for, or "" (none). */
  private static String commandNamed(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return "";
  }

  private static Object instantiate(Class<?> c) {
    try {
      var constructor = c.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create command " + c.getName(), e);
    }
  }
}
