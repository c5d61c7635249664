package dev.plumb.cli;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.history.RunRecord;
import dev.plumb.history.monitor.Monitor;
import dev.plumb.history.monitor.Rules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb monitor}: alert rules over the history, for a scheduler to act on (docs/monitoring.md). */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluate alert rules on the latest period of the history (or the one given): an interval bound crossing a",
      "threshold, a statistically significant change against the trailing comparable periods, LLM decision quality",
      "below a bar, sample or gold size short of plan. Writes alerts.json, prints a summary and exits 1 when an",
      "alert fired, so cron, Airflow or any scheduler can act on it. See docs/monitoring.md."
    },
    footer = {"", "Examples:",
        "  plumb monitor --history out/history.duckdb --rules rules.yaml",
        "  plumb monitor --history out/history.duckdb --rules rules.yaml --period 2026-11-21 --out alerts-1121.json",
        "  plumb monitor --history out/history.duckdb --rules rules.yaml --all      # every period, as a backtest",
        "", "Exit codes: 0 no alert, 1 an alert fired, 2 bad input."})
final class MonitorCommand extends ActionCommand {
  @Mixin HistoryOption history;

  @Option(names = "--rules", required = true, paramLabel = "FILE", description = "The rules (rules.yaml).")
  Path rules;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "alerts.json", description = "Alerts file (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin PeriodOption period;

  @Option(names = "--all", description = "Evaluate every period in turn, each against the periods before it.")
  boolean all;

  @Mixin SeriesOption series;

  @Override
  public Integer call() {
    if (all && period.text != null) {
      throw new InputException("--all and --period exclude each other");
    }
    Rules parsed = Rules.read(rules);
    List<RunRecord> runs = series.runs(history.file);
    List<Integer> which;
    if (all) {
      which = IntStream.range(0, runs.size()).boxed().toList();
    } else {
      which = List.of(series.indexOf(runs, period.parsed(), history.file));
    }
    Monitor.Result result = Monitor.evaluate(parsed, runs, which);
    AtomicOutput.write(out, Json.pretty(result.toJson(history.file.toString(), series.name, rules.toString())));

    PrintWriter w = out();
    String periods = which.size() == 1 ? runs.get(which.get(0)).period().key()
        : runs.get(which.get(0)).period() + " .. " + runs.get(which.get(which.size() - 1)).period();
    w.printf(Locale.ROOT, "Monitor %s %s: %,d %s, %,d %s, %,d %s%s%n", series.name, periods, parsed.rules().size(),
        parsed.rules().size() == 1 ? "rule" : "rules", result.tests(), result.tests() == 1 ? "check" : "checks",
        result.alerts().size(), result.alerts().size() == 1 ? "alert" : "alerts",
        result.skipped().isEmpty() ? "" : ", " + result.skipped().size() + " skipped");
    for (Monitor.Alert a : result.alerts()) {
      w.printf(Locale.ROOT, "ALERT %s  %s  %s%s: %s%n", a.rule(), a.period(), a.policy(),
          a.domain().equals("all") ? "" : " " + a.domain(), a.message());
    }
    java.util.Map<String, List<Monitor.Skipped>> byRule = new java.util.LinkedHashMap<>();
    result.skipped().forEach(s -> byRule.computeIfAbsent(s.rule(), k -> new ArrayList<>()).add(s));
    byRule.forEach((rule, list) -> {
      Monitor.Skipped last = list.get(list.size() - 1);
      w.printf(Locale.ROOT, "skipped %,d %s checks, e.g. %s %s%s: %s%n", list.size(), rule, last.period(), last.policy(),
          last.domain().equals("all") ? "" : " " + last.domain(), last.reason());
    });
    w.printf(Locale.ROOT, "Wrote %s%n", out);
    w.flush();
    return result.alerts().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }
}
