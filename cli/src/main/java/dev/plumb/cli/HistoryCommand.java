package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.history.synthetic.HistoryGenerator;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.RunJson;
import dev.plumb.history.RunRecord;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import dev.plumb.core.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
      HistoryCommand.Show.class,
      HistoryCommand.Generate.class,
    })
final class HistoryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: record, list, show or generate");
  }

  @Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Record a calibration report (report.json from plumb calibrate) as the run of one period.",
          "A period already recorded in the series is replaced, never counted twice."},
      footer = {"", "Examples:",
          "  plumb history record --report out/report/report.json --history out/history.duckdb",
          "  plumb history record --report report.json --history h.duckdb --period 2026-W48"})
  static final class Record implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "report.json written by plumb calibrate.")
    Path report;

    @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database (created when missing).")
    Path history;

    @Option(names = "--period", paramLabel = "DAY|WEEK",
        description = "The period measured: 2026-11-25 or 2026-W48 (default: the report's period, else its day).")
    String period;

    @Option(names = "--series", paramLabel = "NAME", defaultValue = RunRecord.MAIN, description = "Series (default: ${DEFAULT-VALUE}).")
    String series;

    @Override
    public Integer call() {
      Period p = period == null ? null : HistoryCommand.period(period, "--period");
      RunRecord run = dev.plumb.history.ReportIngest.read(report, series, p);
      boolean replaced;
      try (HistoryStore store = HistoryStore.open(history)) {
        replaced = store.record(run);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s %s period %s (%d %s) in %s%n", replaced ? "Replaced" : "Recorded", run.series(),
          run.period(), run.policies().size(), run.policies().size() == 1 ? "policy" : "policies", history);
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
      description = "List the recorded runs: period, series, model, prompt fingerprint and each policy's version and sign-off.",
      footer = {"", "Example:", "  plumb history list --history out/history.duckdb"})
  static final class ListRuns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database.")
    Path history;

    @Option(names = "--series", paramLabel = "NAME", description = "Only this series (default: all).")
    String series;

    @Override
    public Integer call() {
      List<HistoryStore.Entry> entries;
      try (HistoryStore store = HistoryStore.read(history)) {
        entries = store.list();
      }
      if (series != null) {
        entries = entries.stream().filter(e -> e.series().equals(series)).toList();
      }
      PrintWriter out = spec.commandLine().getOut();
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
        List<String> row = new ArrayList<>(List.of(e.period().key(), e.series(), e.model().isEmpty() ? "-" : e.model(),
            shortHash(e.prompt())));
        for (String p : policies) {
          String v = e.verdicts().get(p);
          String version = e.versions().getOrDefault(p, "");
          row.add(v == null ? "-" : v + (version.contains("@") ? " " + version.substring(version.indexOf('@')) : ""));
        }
        rows.add(row.toArray(String[]::new));
      }
      textTable(rows, out);
      out.printf(Locale.ROOT, "%d %s%n", entries.size(), entries.size() == 1 ? "run" : "runs");
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Show one recorded run: every estimate with its interval, the sign-off, decision quality, sizes and provenance.",
      footer = {"", "Examples:", "  plumb history show --history out/history.duckdb --period 2026-11-25",
          "  plumb history show --history out/history.duckdb --json      # the latest period, as JSON"})
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database.")
    Path history;

    @Option(names = "--period", paramLabel = "DAY|WEEK", description = "The period (default: the latest).")
    String period;

    @Option(names = "--series", paramLabel = "NAME", defaultValue = RunRecord.MAIN, description = "Series (default: ${DEFAULT-VALUE}).")
    String series;

    @Option(names = "--policy", paramLabel = "ID", description = "Only this policy.")
    String policy;

    @Option(names = "--json", description = "Print the run as JSON (format plumb.history-run/1).")
    boolean json;

    @Override
    public Integer call() {
      Period wanted = period == null ? null : HistoryCommand.period(period, "--period");
      List<RunRecord> runs;
      try (HistoryStore store = HistoryStore.read(history)) {
        runs = store.runs(series);
      }
      if (runs.isEmpty()) {
        throw new InputException(history + ": no runs in series \"" + series + "\"");
      }
      RunRecord run = wanted == null ? runs.get(runs.size() - 1)
          : runs.stream().filter(r -> r.period().equals(wanted)).findFirst()
              .orElseThrow(() -> new InputException(history + ": no run of " + wanted + " in series \"" + series + "\""));
      if (policy != null) {
        if (run.policy(policy).isEmpty()) {
          throw new InputException("--policy: no policy \"" + policy + "\" in the run of " + run.period());
        }
        run = new RunRecord(run.series(), run.period(), run.recordedAt(), run.provenance(), List.of(run.policy(policy).get()));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.print(Json.pretty(RunJson.toJson(run)));
      } else {
        print(run, out);
      }
      out.flush();
      return ExitCode.OK;
    }

    static void print(RunRecord run, PrintWriter out) {
      RunRecord.Provenance p = run.provenance();
      out.printf(Locale.ROOT, "%s %s (series %s), recorded %s%n", run.period().granularity().label(), run.period(),
          run.series(), run.recordedAt());
      out.printf(Locale.ROOT, "model %s, prompt %s, sample manifest %s%n", orDash(p.model()), orDash(p.promptFingerprint()),
          orDash(p.sampleManifest()));
      for (PolicyResult r : run.policies()) {
        out.println();
        out.printf(Locale.ROOT, "%s  %s  sign-off %s%s%n", r.policy(), r.version(), r.signoff().verdict(),
            r.signoff().reasons().isEmpty() ? "" : ": " + String.join("; ", r.signoff().reasons()));
        RunRecord.DecisionQuality q = r.quality();
        out.printf(Locale.ROOT, "  LLM vs gold: sensitivity %s, specificity %s, kappa %s; sample %d%s, gold %d%s%n",
            pct(q.sensitivity(), 1), pct(q.specificity(), 1), Double.isNaN(q.kappa()) ? "-" : String.format(Locale.ROOT, "%.2f", q.kappa()),
            r.sizes().sample(), r.sizes().samplePlan() > 0 ? " of " + r.sizes().samplePlan() + " planned" : "",
            r.sizes().gold(), r.sizes().goldPlan() > 0 ? " of " + r.sizes().goldPlan() + " planned" : "");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  estimator", "domain", "prevalence", "SE", "interval"});
        for (EstimateRow e : r.estimates()) {
          String interval = e.kind().equals("not-estimable") ? e.note()
              : e.kind().equals("upper-bound") ? "[0, " + pct(e.upper(), 3) + "] one-sided"
              : "[" + pct(e.lower(), 3) + ", " + pct(e.upper(), 3) + "]";
          rows.add(new String[] {"  " + e.estimator() + (e.recommended() ? " *" : ""), e.domain(),
              e.kind().equals("not-estimable") ? "-" : pct(e.estimate(), 3), pct(e.se(), 3), interval});
        }
        textTable(rows, out);
      }
      out.println();
      out.println("* the recommended (headline) estimator");
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Record a seeded synthetic history (60 daily runs by default) for demos and checks:",
          "a prompt template change, a policy version change, a model change, a real shift in harassment on search",
          "and two outages, with sampling noise everywhere else (docs/history.md)."},
      footer = {"", "Example:", "  plumb history generate --history /tmp/demo.duckdb --seed 7",
          "  plumb dashboard --history /tmp/demo.duckdb --out /tmp/dashboard.html"})
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database (created when missing).")
    Path history;

    @Option(names = "--days", paramLabel = "N", defaultValue = "60", description = "Days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

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
        case "standard" -> HistoryGenerator.Scenario.standard(seed);
        case "noise" -> HistoryGenerator.Scenario.noise(seed);
        default -> throw new InputException("--scenario: unknown scenario \"" + scenario + "\" (standard or noise)");
      };
      List<RunRecord> runs = HistoryGenerator.generate(sc.withDays(days));
      int replaced = 0;
      try (HistoryStore store = HistoryStore.open(history)) {
        for (RunRecord r : runs) {
          replaced += store.record(r) ? 1 : 0;
        }
        if (withBackfill) {
          for (RunRecord r : HistoryGenerator.bridge(sc.withDays(days), HistoryGenerator.POLICY_CHANGE_DAY - 10)) {
            store.record(r);
          }
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "Recorded %d synthetic daily runs (%s .. %s, scenario %s, seed %d) in %s%s%n", runs.size(),
          runs.get(0).period(), runs.get(runs.size() - 1).period(), scenario, seed, history,
          replaced > 0 ? " (" + replaced + " replaced)" : "");
      if (withBackfill) {
        out.printf(Locale.ROOT, "Recorded the parallel series %s%n", HistoryGenerator.BRIDGE_SERIES);
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static Period period(String text, String option) {
    try {
      return Period.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
  }

  static String shortHash(String h) {
    if (h == null || h.isEmpty()) {
      return "-";
    }
    String bare = h.startsWith("sha256:") ? h.substring(7) : h;
    return bare.substring(0, Math.min(10, bare.length()));
  }

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  static String pct(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f%%", v * 100);
  }

  /** Left-aligned columns, two spaces apart. */
  static void textTable(List<String[]> rows, PrintWriter out) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] row : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        line.append(row[c]).append(" ".repeat(width[c] - row[c].length()));
        if (c < cols - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
