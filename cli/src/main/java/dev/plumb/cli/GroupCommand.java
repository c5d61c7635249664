package dev.plumb.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code plumb queue}, {@code plumb units}, ...): run
 * without one, it is a usage error naming them (exit 2), in the order they are declared.
 */
abstract class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: " + orList(List.copyOf(spec.subcommands().keySet())));
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String orList(List<String> names) {
    int last = names.size() - 1;
    return last <= 0 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }
}
