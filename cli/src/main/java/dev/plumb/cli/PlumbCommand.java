package dev.plumb.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code plumb} root command: only lists and dispatches to subcommands. */
@Command(
    name = "plumb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Measure how much of what people see violates written safety policies:",
      "sample -> LLM labels -> human gold -> corrected prevalence with a confidence interval.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage, 3 runtime failure.",
      "Run 'plumb COMMAND --help' for a command's options and examples."
    })
public final class PlumbCommand implements Runnable {
  /**
   * The commands, in the order help lists them. They are added by {@link Main} rather than named in
   * the annotation so that a run builds the full option model of only the command it runs.
   */
  static final List<Class<?>> COMMANDS = List.of(
      PolicyCommand.class,
      PromptCommand.class,
      ScoreCommand.class,
      SampleCommand.class,
      EstimateCommand.class,
      PlanCommand.class,
      LabelCommand.class,
      UnitsCommand.class,
      CalibrateCommand.class,
      QueueCommand.class,
      HistoryCommand.class,
      DashboardCommand.class,
      MonitorCommand.class,
      BackfillCommand.class,
      RunCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--debug", description = "Print stack traces with errors.", scope = picocli.CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
