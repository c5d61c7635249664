package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import dev.plumb.history.synthetic.HistoryGenerator;
import dev.plumb.pipeline.HistoryRecorder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb history}: the store of calibrated runs, one per period (docs/history.md). */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "The history of calibrated runs: one embedded database file (DuckDB) holding, per period and policy,",
      "every estimate with its interval, the sign-off, the LLM's decision quality, sizes and provenance.",
      "Recording a period again replaces it. See docs/history.md."
    },
    subcommands = {
      HistoryCommand.Record.class,
      HistoryCommand.ListRuns.class,
      HistoryShowCommand.class,
      HistoryCommand.Generate.class,
    })
final class HistoryCommand extends GroupCommand {
  @Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Record a calibration report (report.json from plumb calibrate) as the run of one period.",
          "A period already recorded in the series is replaced, never counted twice."},
      footer = {"", "Examples:",
          "  plumb history record --report out/report/report.json --history out/history.duckdb",
          "  plumb history record --report report.json --history h.duckdb --period 2026-W48"})
  static final class Record extends ActionCommand {
    @Option(names = "--report", required = true, paramLabel = "FILE", description = "report.json written by plumb calibrate.")
    Path report;

    @Mixin HistoryOption.Recorded history;

    @Mixin PeriodOption.Measured period;

    @Mixin SeriesOption series;

    @Override
    public Integer call() {
      Period p = period.parsed();
      HistoryRecorder.Recorded recorded = HistoryRecorder.record(history.file, dev.plumb.history.ReportIngest.read(report, series.name, p));
      RunRecord run = recorded.run();
      boolean replaced = recorded.replaced();
      PrintWriter out = out();
      out.printf(Locale.ROOT, "%s %s period %s (%,d %s) in %s%n", replaced ? "Replaced" : "Recorded", run.series(),
          run.period(), run.policies().size(), run.policies().size() == 1 ? "policy" : "policies", history.file);
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
      description = "List the recorded runs: period, series, model, prompt fingerprint and each policy's version and sign-off.",
      footer = {"", "Example:", "  plumb history list --history out/history.duckdb"})
  static final class ListRuns extends ActionCommand {
    @Mixin HistoryOption history;

    @Option(names = "--series", paramLabel = "NAME", description = "Only this series (default: all).")
    String series;

    @Option(names = "--json", description = "Print the runs as a JSON array, model ids in full.")
    boolean json;

    /** The model column's width: a long model id (a fine-tune's, a deployment path) is cut with an ellipsis. */
    static final int MODEL_WIDTH = 32;

    @Override
    public Integer call() {
      List<HistoryStore.Entry> entries;
      try (HistoryStore store = HistoryStore.read(history.file)) {
        entries = store.list();
      }
      if (series != null) {
        entries = entries.stream().filter(e -> e.series().equals(series)).toList();
      }
      PrintWriter out = out();
      if (json) {
        com.fasterxml.jackson.databind.node.ArrayNode a = dev.plumb.core.Json.mapper().createArrayNode();
        for (HistoryStore.Entry e : entries) {
          com.fasterxml.jackson.databind.node.ObjectNode o = a.addObject();
          o.put("period", e.period().key()).put("series", e.series()).put("model", e.model())
              .put("prompt", e.prompt()).put("recorded_at", e.recordedAt().toString());
          e.versions().forEach(o.putObject("versions")::put);
          e.verdicts().forEach(o.putObject("verdicts")::put);
        }
        out.println(dev.plumb.core.Json.pretty(a));
        out.flush();
        return ExitCode.OK;
      }
      if (entries.isEmpty()) {
        out.println(series == null ? "No runs recorded." : "No runs in series " + series + ".");
        out.flush();
        return ExitCode.OK;
      }
      Set<String> policies = new LinkedHashSet<>();
      entries.forEach(e -> policies.addAll(e.verdicts().keySet()));
      List<String[]> rows = new ArrayList<>();
      List<String> head = new ArrayList<>(List.of("period", "series", "model", "prompt"));
      head.addAll(policies);
      rows.add(head.toArray(String[]::new));
      for (HistoryStore.Entry e : entries) {
        List<String> row = new ArrayList<>(List.of(e.period().key(), e.series(), e.model().isEmpty() ? "-" : Format.ellipsis(e.model(), MODEL_WIDTH),
            Format.shortHash(e.prompt())));
        for (String p : policies) {
          String v = e.verdicts().get(p);
          String version = e.versions().getOrDefault(p, "");
          String at = version.substring(PolicyKey.idOf(version).length()); // "@2", or "" without a version
          row.add(v == null ? "-" : at.isEmpty() ? v : v + " " + at);
        }
        rows.add(row.toArray(String[]::new));
      }
      TextTable.printLeft(rows, out);
      out.printf(Locale.ROOT, "%,d %s%n", entries.size(), entries.size() == 1 ? "run" : "runs");
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Record a seeded synthetic history (60 daily runs by default) for demos and checks:",
          "a prompt template change, a policy version change, a model change, a real shift in harassment on search",
          "and two outages, with sampling noise everywhere else (docs/history.md)."},
      footer = {"", "Example:", "  plumb history generate --history /tmp/demo.duckdb --seed 7",
          "  plumb dashboard --history /tmp/demo.duckdb --out /tmp/dashboard.html"})
  static final class Generate extends ActionCommand {
    @Mixin HistoryOption.Recorded history;

    @Option(names = "--days", paramLabel = "N", defaultValue = "60", description = "Days (default: ${DEFAULT-VALUE}).")
    int days;

    @Mixin GeneratorSeedOption seed;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "standard",
        description = "standard (with the shift and outages) or noise (neither) (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--with-backfill",
        description = "Also record what a backfill of self_harm@2 over the 10 days before its switch would give, as series "
            + HistoryGenerator.BRIDGE_SERIES + " (shown beside the main series in the dashboard).")
    boolean withBackfill;

    @Override
    public Integer call() {
      if (days < 1) {
        throw new InputException("--days: must be at least 1, got " + days);
      }
      HistoryGenerator.Scenario sc = switch (scenario) {
        case "standard" -> HistoryGenerator.Scenario.standard(seed.value);
        case "noise" -> HistoryGenerator.Scenario.noise(seed.value);
        default -> throw new InputException("--scenario: unknown scenario \"" + scenario + "\" (standard or noise)");
      };
      List<RunRecord> runs = HistoryGenerator.generate(sc.withDays(days));
      int replaced = 0;
      try (HistoryStore store = HistoryStore.open(history.file)) {
        for (RunRecord r : runs) {
          replaced += store.record(r) ? 1 : 0;
        }
        if (withBackfill) {
          for (RunRecord r : HistoryGenerator.bridge(sc.withDays(days), HistoryGenerator.POLICY_CHANGE_DAY - 10)) {
            store.record(r);
          }
        }
      }
      PrintWriter out = out();
      out.printf(Locale.ROOT, "Recorded %,d synthetic daily runs (%s .. %s, scenario %s, seed %d) in %s%s%n", runs.size(),
          runs.get(0).period(), runs.get(runs.size() - 1).period(), scenario, seed.value, history.file,
          replaced > 0 ? " (" + replaced + " replaced)" : "");
      if (withBackfill) {
        out.printf(Locale.ROOT, "Recorded the parallel series %s%n", HistoryGenerator.BRIDGE_SERIES);
      }
      out.flush();
      return ExitCode.OK;
    }
  }

}
