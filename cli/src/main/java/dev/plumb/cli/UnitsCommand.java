package dev.plumb.cli;

import dev.plumb.units.BuildReport;
import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import dev.plumb.units.synthetic.LogGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb units}: measurement units from logging tables, and synthetic logs to try it on. */
@Command(
    name = "units",
    mixinStandardHelpOptions = true,
    description = {
      "Build measurement units (units.jsonl) from logging tables or from a file of texts, or generate",
      "synthetic logs to try it on. See docs/units.md."
    },
    subcommands = {UnitsCommand.Build.class, UnitsFromTextsCommand.class, UnitsCommand.Generate.class})
final class UnitsCommand extends GroupCommand {
  /** {@code plumb units build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Assemble measurement units from logging tables (CSV, JSON Lines or Parquet",
        "files or globs) as units.yaml maps them, with the embedded DuckDB engine:",
        "one unit per interaction with its query, response and pins in position",
        "order; weight = impressions; scores = the maximum (or configured aggregate)",
        "of its components' risk scores; attributes; user ids dropped or hashed.",
        "Data problems are counted and reported; --strict fails on any. Writes the",
        "units atomically, and a manifest beside them (units.json). docs/units.md"
      },
      footer = {
        "",
        "Examples:",
        "  plumb units build --config fixtures/logs/units.yaml --out units.jsonl",
        "  plumb units build --config logs/units.yaml --out units.jsonl.gz --strict",
        "",
        "Exit codes: 0 built, 1 --strict found data problems (nothing written),",
        "2 bad units.yaml or unreadable input."
      })
  static final class Build extends ActionCommand {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The units.yaml (docs/units.md).")
    Path config;

    @Mixin UnitsFileOption out;

    @Option(names = "--strict", description = "Fail (exit 1, write nothing) when the data have any problem.")
    boolean strict;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1GB",
        description = "DuckDB memory limit; beyond it DuckDB spills to a directory beside --out (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--threads", paramLabel = "N", description = "DuckDB threads (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() {
      UnitsConfig cfg = UnitsConfig.read(config);
      String createdBy = VersionProvider.createdBy();
      UnitBuilder.Summary s = UnitBuilder.build(new UnitBuilder.Options(cfg, out.file, strict, memory,
          threads == null ? Runtime.getRuntime().availableProcessors() : threads, createdBy));
      boolean written = BuildReport.print(s, cfg, config, out.file, out(), err());
      return written ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
  }

  /** {@code plumb units generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Write synthetic logging tables of a visual-discovery platform (interactions,",
        "components, pins, impressions, risk_scores), a units.yaml mapping them, and",
        "the ground truth kept aside: truth.jsonl (one record per interaction x",
        "policy) and truth.json (exposure-weighted prevalence per policy). All texts",
        "are synthetic. Same options, same files. docs/units.md"
      },
      footer = {
        "",
        "Examples:",
        "  plumb units generate --out logs/ --interactions 10000 --seed 7",
        "  plumb units generate --out logs/ --interactions 12000 --seed 7 --reviewed 6000",
        "  plumb units generate --out big/ --interactions 2000000 --days 7 \\",
        "      --format parquet"
      })
  static final class Generate extends ActionCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write.")
    Path out;

    @Option(names = "--interactions", paramLabel = "N", defaultValue = "10000",
        description = "Interactions (= units) to generate (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Mixin GeneratorSeedOption seed;

    @Option(names = "--days", paramLabel = "D", defaultValue = "1",
        description = "Days the interactions span, one file per day and table (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", paramLabel = "DAY", defaultValue = "2026-11-25",
        description = "The first day (default: ${DEFAULT-VALUE}).")
    LocalDate start;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "csv",
        description = "Table format: csv or parquet (default: ${DEFAULT-VALUE}).")
    LogGenerator.Format format;

    @Option(names = "--reviewed", paramLabel = "N", defaultValue = "0",
        description = {"Also write reviewed.jsonl: the distinct texts of N past interactions (another seed, none",
            "of them in the tables) with their true label per policy, as a labeled training file",
            "for the local classifier (--train reviewed.jsonl --map adult_sexual ...). Default: none."})
    long reviewed;

    @Override
    public Integer call() {
      LogGenerator.Result r =
          LogGenerator.generate(new LogGenerator.Options(out, interactions, seed.value, days, start, format, reviewed));
      PrintWriter w = out();
      w.printf(Locale.ROOT, "generated %,d interactions, %,d component rows, %,d pins, %,d risk scores in %.1f s -> %s%n",
          r.interactions(), r.components(), r.pins(), r.scoreRows(), r.seconds(), out);
      w.printf(Locale.ROOT, "%-16s %10s %10s %12s%n", "policy", "units", "positive", "prevalence");
      for (LogGenerator.PolicyTruth t : r.truth()) {
        w.printf(Locale.ROOT, "%-16s %10d %10d %11.4f%%%n", t.policy(), t.units(), t.positiveUnits(),
            100 * t.prevalence());
      }
      w.printf(Locale.ROOT, "truth (exposure-weighted) in %s and %s; mapping in %s%n",
          out.resolve("truth.json"), out.resolve("truth.jsonl"), out.resolve("units.yaml"));
      if (reviewed > 0) {
        List<String> pos = new java.util.ArrayList<>();
        for (int p = 0; p < LogGenerator.POLICIES.size(); p++) {
          pos.add(LogGenerator.POLICIES.get(p) + " " + r.reviewedPositives().get(p));
        }
        w.printf(Locale.ROOT, "past reviewed texts: %,d distinct from %,d interactions (positive: %s) -> %s%n",
            r.reviewedTexts(), reviewed, String.join(", ", pos), out.resolve(LogGenerator.REVIEWED));
      }
      return ExitCode.OK;
    }
  }
}
