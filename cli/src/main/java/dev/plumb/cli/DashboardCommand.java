package dev.plumb.cli;

import dev.plumb.core.AtomicOutput;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.RunRecord;
import dev.plumb.history.dashboard.Dashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb dashboard}: one self-contained HTML page of the history (docs/history.md). */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Render the history as one self-contained HTML page (inline CSS and SVG; opens offline): per policy the",
      "prevalence series with its interval band, markers where the policy version, prompt or model changed,",
      "the sign-off per period, per-surface small multiples and the LLM's quality trend; every series other",
      "than --series (a backfill) beside it."
    },
    footer = {"", "Examples:", "  plumb dashboard --history out/history.duckdb --out out/dashboard.html",
        "  plumb dashboard --history out/history.duckdb --rules rules.yaml --out out/dashboard.html"})
final class DashboardCommand extends ActionCommand {
  @Mixin HistoryOption history;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML page to write.")
  Path out;

  /** The main series; every other series is drawn beside it. */
  @Mixin SeriesOption series;

  @Option(names = "--rules", paramLabel = "FILE",
      description = "Also evaluate these monitor rules on every period and flag the alerts (docs/monitoring.md).")
  Path rules;

  @Override
  public Integer call() {
    dev.plumb.history.monitor.Rules parsed = rules == null ? null : dev.plumb.history.monitor.Rules.read(rules);
    List<RunRecord> main = series.runs(history.file);
    Map<String, List<RunRecord>> others = new LinkedHashMap<>();
    try (HistoryStore store = HistoryStore.read(history.file)) {
      for (String s : store.series()) {
        if (!s.equals(series.name)) {
          others.put(s, store.runs(s));
        }
      }
    }
    List<dev.plumb.history.monitor.Monitor.Alert> alerts = parsed == null ? List.of()
        : dev.plumb.history.monitor.Monitor.evaluate(parsed, main, java.util.stream.IntStream.range(0, main.size()).boxed().toList())
            .alerts();
    String html = Dashboard.render(history.file.getFileName().toString(), main, others, alerts,
        rules == null ? "" : rules.getFileName().toString(), new VersionProvider().getVersion()[0]);
    AtomicOutput.write(out, html);
    PrintWriter w = out();
    w.printf(Locale.ROOT, "Wrote %s (%s, %s .. %s%s)%n", out, Format.plural(main.size(), "period", "periods"),
        main.get(0).period(),
        main.get(main.size() - 1).period(), rules == null ? "" : ", " + alerts.size() + (alerts.size() == 1 ? " alert" : " alerts"));
    w.flush();
    return ExitCode.OK;
  }
}
