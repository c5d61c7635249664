package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.history.Period;
import dev.plumb.history.RunJson;
import dev.plumb.history.RunRecord;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb history show}: one recorded run in full (docs/history.md). */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show one recorded run: every estimate with its interval, the sign-off, decision quality, sizes and provenance.",
    footer = {"", "Examples:", "  plumb history show --history out/history.duckdb --period 2026-11-25",
        "  plumb history show --history out/history.duckdb --json      # the latest period, as JSON"})
final class HistoryShowCommand extends ActionCommand {
  @Mixin HistoryOption history;

  @Mixin PeriodOption period;

  @Mixin SeriesOption series;

  @Option(names = "--policy", paramLabel = "ID", description = "Only this policy.")
  String policy;

  @Option(names = "--json", description = "Print the run as JSON (format plumb.history-run/1).")
  boolean json;

  @Override
  public Integer call() {
    Period wanted = period.parsed();
    List<RunRecord> runs = series.runs(history.file);
    RunRecord run = runs.get(series.indexOf(runs, wanted, history.file));
    if (policy != null) {
      if (run.policy(policy).isEmpty()) {
        throw new InputException("--policy: no policy \"" + policy + "\" in the run of " + run.period());
      }
      run = new RunRecord(run.series(), run.period(), run.recordedAt(), run.provenance(), List.of(run.policy(policy).get()));
    }
    RunRecord shown = run;
    Format.jsonOrText(out(), json, () -> RunJson.toJson(shown), out -> print(shown, out));
    return ExitCode.OK;
  }

  static void print(RunRecord run, PrintWriter out) {
    RunRecord.Provenance p = run.provenance();
    out.printf(Locale.ROOT, "%s %s (series %s), recorded %s%n", run.period().granularity().label(), run.period(),
        run.series(), run.recordedAt());
    out.printf(Locale.ROOT, "model %s, prompt %s, sample manifest %s%n", Format.orDash(p.model()), Format.orDash(p.promptFingerprint()),
        Format.orDash(p.sampleManifest()));
    for (PolicyResult r : run.policies()) {
      out.println();
      out.printf(Locale.ROOT, "%s  %s  sign-off %s%s%n", r.policy(), r.version(), r.signoff().verdict(),
          r.signoff().reasons().isEmpty() ? "" : ": " + String.join("; ", r.signoff().reasons()));
      RunRecord.DecisionQuality q = r.quality();
      out.printf(Locale.ROOT, "  LLM vs gold: sensitivity %s, specificity %s, kappa %s; sample %,d%s, gold %,d%s%n",
          Format.percent(q.sensitivity(), 1), Format.percent(q.specificity(), 1), Format.fixed(q.kappa(), 2),
          r.sizes().sample(), r.sizes().samplePlan() > 0 ? " of " + r.sizes().samplePlan() + " planned" : "",
          r.sizes().gold(), r.sizes().goldPlan() > 0 ? " of " + r.sizes().goldPlan() + " planned" : "");
      if (r.goldReuse().any()) {
        out.printf(Locale.ROOT, "  REUSED %s%n", r.goldReuse().describe(r.sizes().gold()));
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"  estimator", "domain", "prevalence", "SE", "interval"});
      for (EstimateRow e : r.estimates()) {
        String interval = e.kind().equals("not-estimable") ? e.note()
            : e.kind().equals("upper-bound") ? "[0, " + Format.percent(e.upper(), 3) + "] one-sided"
            : "[" + Format.percent(e.lower(), 3) + ", " + Format.percent(e.upper(), 3) + "]";
        rows.add(new String[] {"  " + e.estimator() + (e.recommended() ? " *" : ""), e.domain(),
            e.kind().equals("not-estimable") ? "-" : Format.percent(e.estimate(), 3), Format.percent(e.se(), 3), interval});
      }
      TextTable.printLeft(rows, out);
    }
    out.println();
    out.println("* the recommended (headline) estimator");
  }
}
