package dev.plumb.cli;

import dev.plumb.core.Spelling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The first unknown option or command on a command line, as one message with core's {@link
 * Spelling} suggestion: {@code unknown option '--frmae'; did you mean --frame?}. picocli reports a
 * missing required option before the unmatched word that was meant to be it, and suggests with a
 * policy of its own; every plumb reader suggests through {@link Spelling}.
 */
final class Unknown {
  private Unknown() {}

  static Optional<String> first(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    for (String arg : cmd.getUnmatchedArguments()) {
      if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> options = new ArrayList<>();
        spec.options().stream().filter(o -> !o.hidden()).forEach(o -> options.add(o.longestName()));
        return Optional.of("unknown option '" + name + "'" + suggestion(name, options));
      }
      if (!spec.subcommands().isEmpty()) {
        List<String> commands = new ArrayList<>(spec.subcommands().keySet());
        return Optional.of("unknown command '" + arg + "'" + suggestion(arg, commands));
      }
      return Optional.of("unexpected argument '" + arg + "'");
    }
    return Optional.empty();
  }

  private static String suggestion(String word, List<String> known) {
    return Spelling.suggest(word, known).map(s -> "; did you mean " + s + "?").orElse("");
  }

  private static boolean isNumber(String arg) {
    try {
      Double.parseDouble(arg);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
