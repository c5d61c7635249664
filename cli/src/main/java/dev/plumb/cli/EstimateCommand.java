package dev.plumb.cli;

import dev.plumb.calibration.estimate.Estimate;
import dev.plumb.calibration.estimate.IntervalMethod;
import dev.plumb.calibration.estimate.Prevalence;
import dev.plumb.calibration.estimate.PrevalenceReport;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb estimate}: design-based prevalence per policy (and domain) from a sample and its labels. */
@Command(
    name = "estimate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Estimate the exposure-weighted prevalence of every policy in a labels file from a probability sample,",
      "with standard errors, intervals, effective sample sizes and design effects (docs/estimation.md).",
      "Only status ok labels count; sampled units without one are excluded and reported."
    },
    footer = {
      "",
      "Examples:",
      "  plumb estimate --sample out/sample.jsonl --labels out/labels.jsonl",
      "  plumb estimate --sample out/sample.jsonl --labels out/labels.jsonl --by surface --by day",
      "  plumb estimate --sample out/sample.jsonl --labels out/labels.jsonl --interval bootstrap --bootstrap 2000 --json",
      "",
      "Intervals: kg-gamma (default; one phase has no review classes, so it is korn-graubard and reported so),",
      "korn-graubard, logit, wilson, wald, bootstrap."
    })
final class EstimateCommand extends ActionCommand {
  @Mixin SampleFileOptions sample;

  @Mixin BreakdownOption by;

  @Option(names = "--interval", paramLabel = "METHOD", defaultValue = "kg-gamma",
      description = "Interval method: kg-gamma (calibrate's default; without review classes korn-graubard), "
          + "korn-graubard, logit, wilson, wald or bootstrap (default: ${DEFAULT-VALUE}).")
  String interval;

  @Mixin ConfidenceOption confidence;

  @Option(names = "--bootstrap", paramLabel = "N",
      description = "Bootstrap replicates (implies --interval bootstrap; default 1000 with it).")
  Integer bootstrap;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the machine-readable report (format plumb.estimate/1).")
  boolean json;

  @Override
  public Integer call() {
    IntervalMethod method = method();
    Prevalence.Request request = new Prevalence.Request(
        sample.sample, sample.manifest(), sample.labels, by.attributes, method, confidence.level(),
        bootstrap != null ? bootstrap : 1000, seed);
    PrevalenceReport report = Prevalence.estimate(request);
    Format.jsonOrText(out(), json, report::toJson, out -> print(report, out));
    return ExitCode.OK;
  }

  private IntervalMethod method() {
    IntervalMethod method = Format.option("--interval", () -> IntervalMethod.parse(interval));
    boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--interval");
    if (bootstrap != null) {
      if (explicit && method != IntervalMethod.BOOTSTRAP) {
        throw new InputException("--bootstrap applies to the bootstrap interval, but --interval is " + method.label());
      }
      method = IntervalMethod.BOOTSTRAP;
    }
    return method;
  }

  static void print(PrevalenceReport r, PrintWriter out) {
    String level = Format.level(r.confidence());
    out.printf(Locale.ROOT, "%s: %s design, %,d units%s in %,d %s; labels %s%n", r.sample(), r.design().id(), r.units(),
        r.rows() != r.units() ? " (" + r.rows() + " draws)" : "", r.strata(), r.strata() == 1 ? "stratum" : "strata", r.labels());
    out.printf(Locale.ROOT, "Exposure-weighted prevalence, %s %s intervals%s%n", level, r.method().label(),
        r.replicates() > 0 ? " (" + r.replicates() + " replicates, seed " + r.seed() + ")" : "");
    out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"policy", "domain", "units", "labeled", "positives", "prevalence", "SE", level + " interval", "n_eff", "deff"});
    for (PrevalenceReport.Row row : r.estimates()) {
      Estimate e = row.estimate();
      if (e == null) {
        rows.add(new String[] {row.policy(), row.domain(), Integer.toString(row.units()), Integer.toString(row.labeled()),
            "-", "-", "-", row.reason(), "-", "-"});
        continue;
      }
      Interval i = row.interval();
      String interval = i.oneSided()
          ? (i.lower() == 0 ? "[0, " + Format.percent(i.upper(), 3) + "] one-sided" : "[" + Format.percent(i.lower(), 3) + ", 100%] one-sided")
          : "[" + Format.percent(i.lower(), 3) + ", " + Format.percent(i.upper(), 3) + "]";
      rows.add(new String[] {row.policy(), row.domain(), Integer.toString(row.units()), Integer.toString(row.labeled()),
          Long.toString(Math.round(e.sumY())), Format.percent(e.estimate(), 3), Format.percent(e.se(), 3), interval,
          Double.isFinite(e.nEff()) ? String.format(Locale.ROOT, "%.1f", e.nEff()) : "inf",
          Double.isFinite(e.deff()) ? String.format(Locale.ROOT, "%.2f", e.deff()) : "-"});
    }
    TextTable.print(rows, out, EstimateCommand::leftAligned);
    for (PrevalenceReport.Unlabeled u : r.unlabeled()) {
      List<String> parts = new ArrayList<>();
      if (u.failed() > 0) {
        parts.add(u.failed() + " failed");
      }
      if (u.invalid() > 0) {
        parts.add(u.invalid() + " invalid");
      }
      if (u.missing() > 0) {
        parts.add(u.missing() + " without a label");
      }
      out.printf(Locale.ROOT, "%nUnlabeled for %s: %,d of %,d units (%s), e.g. %s%s%n", u.policy(), u.units(), r.units(),
          String.join(", ", parts), String.join(", ", u.examples()), u.units() > u.examples().size() ? ", ..." : "");
    }
    if (!r.notes().isEmpty()) {
      out.println();
      r.notes().forEach(n -> out.println("Note: " + n));
    }
  }

  /** The estimate table's text columns (policy, domain, the interval or why there is none), left-aligned. */
  static boolean leftAligned(int column) {
    return column < 2 || column == 7;
  }
}
