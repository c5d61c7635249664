package dev.plumb.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code plumb queue}, {@code plumb units}, ...): run
 * without one, it is a usage error naming them (exit 2).
 */
abstract class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  private final String commands;

  /** @param commands the subcommands as the error names them, e.g. {@code "export, simulate or import"} */
  GroupCommand(String commands) {
    this.commands = commands;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: " + commands);
  }
}
