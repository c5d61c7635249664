package dev.plumb.cli;

import dev.plumb.units.LogGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plumb units}: measurement units from logging tables, and synthetic logs to try it on. */
@Command(
    name = "units",
    mixinStandardHelpOptions = true,
    description = {
      "Build measurement units (units.jsonl) from logging tables, or generate synthetic logs.",
      "See docs/units.md."
    },
    subcommands = {UnitsCommand.Generate.class})
final class UnitsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: generate or build");
  }

  /** {@code plumb units generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Write synthetic logging tables of a visual-discovery platform (interactions, components,",
        "pins, impressions, risk_scores), a units.yaml mapping them, and the ground truth kept",
        "aside: truth.jsonl (one record per interaction x policy) and truth.json (exposure-weighted",
        "prevalence per policy). All texts are synthetic. Same options = identical files."
      },
      footer = {
        "",
        "Examples:",
        "  plumb units generate --out logs/ --interactions 10000 --seed 7",
        "  plumb units generate --out big/ --interactions 2000000 --days 7 --format parquet"
      })
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write.")
    Path out;

    @Option(names = "--interactions", paramLabel = "N", defaultValue = "10000",
        description = "Interactions (= units) to generate (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", paramLabel = "D", defaultValue = "1",
        description = "Days the interactions span, one file per day and table (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", paramLabel = "DAY", defaultValue = "2026-11-25",
        description = "The first day (default: ${DEFAULT-VALUE}).")
    LocalDate start;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "csv",
        description = "Table format: csv or parquet (default: ${DEFAULT-VALUE}).")
    LogGenerator.Format format;

    @Override
    public Integer call() {
      LogGenerator.Result r =
          LogGenerator.generate(new LogGenerator.Options(out, interactions, seed, days, start, format));
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "generated %,d interactions, %,d component rows, %,d pins, %,d risk scores in %.1f s -> %s%n",
          r.interactions(), r.components(), r.pins(), r.scoreRows(), r.seconds(), out);
      w.printf(Locale.ROOT, "%-16s %10s %10s %12s%n", "policy", "units", "positive", "prevalence");
      for (LogGenerator.PolicyTruth t : r.truth()) {
        w.printf(Locale.ROOT, "%-16s %10d %10d %11.4f%%%n", t.policy(), t.units(), t.positiveUnits(),
            100 * t.prevalence());
      }
      w.printf(Locale.ROOT, "truth (exposure-weighted) in %s and %s; mapping in %s%n",
          out.resolve("truth.json"), out.resolve("truth.jsonl"), out.resolve("units.yaml"));
      return ExitCode.OK;
    }
  }
}
