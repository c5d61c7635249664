package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.history.Period;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.pipeline.Backfill;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code plumb backfill}: relabels the stored samples of past periods with another policy version,
 * recalibrates them with the stored gold and records the result as a parallel series
 * (docs/history.md, "Backfills and bridging").
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure past periods again with another policy version: for each period, relabel its stored sample",
      "(plumb label; identical requests come from the labeler's cache, labels already there are kept),",
      "reuse its gold under the new version, recalibrate (plumb calibrate) and record the run in a parallel",
      "series of the history, drawn beside the main series by plumb dashboard.",
      "Gold reviewed under another version is reused only when the decision definitions are the same",
      "(plumb policy diff); a period with other gold is not measured, its units to re-review are listed in",
      "RUN/backfill/<policy@version>/rereview.jsonl, and the command exits 1."
    },
    footer = {"", "Example:",
        "  plumb backfill --policy self_harm@3 --periods 2026-11-01..2026-11-25 --runs 'out/{period}' \\",
        "      --history out/history.duckdb --backend openai --model gpt-4.1-mini",
        "",
        "Each run folder holds sample.jsonl, sample.json and gold.jsonl (as plumb run writes them);",
        "the backfill writes into RUN/backfill/<policy@version>/: labels.jsonl, gold.jsonl (+ gold.reuse.json), report/,",
        "or rereview.jsonl; decisions made again under the new version go in gold.rereviewed.jsonl there."})
final class BackfillCommand extends ActionCommand {
  @Option(names = "--policy", required = true, paramLabel = "ID@V", description = "The policy version to measure with, e.g. self_harm@3.")
  String policy;

  @Option(names = "--periods", required = true, paramLabel = "A..B", description = "The days (2026-11-01..2026-11-25) or weeks (2026-W40..2026-W47).")
  String periods;

  @Option(names = "--runs", required = true, paramLabel = "TEMPLATE",
      description = "Each period's run folder, with {period} in place of the period, e.g. out/{period}.")
  String runs;

  @Mixin HistoryOption.Recorded history;

  @Option(names = "--series", paramLabel = "NAME", description = "The parallel series (default: backfill:ID@V).")
  String series;

  @Mixin BreakdownOption by;

  @Mixin SignOffOption signoff;

  @Mixin LibraryOptions library;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "local", description = "Labeling backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Mixin ModelOptions model;

  @Override
  public Integer call() {
    try {
      PolicyKey.parse(policy);
    } catch (IllegalArgumentException e) {
      throw new InputException("--policy: expected ID@VERSION (a backfill needs an exact version), got \"" + policy + "\"");
    }
    if (!runs.contains("{period}")) {
      throw new InputException("--runs: the template must contain {period}, e.g. out/{period}");
    }
    List<Period> list = range(periods);
    String name = series != null ? series : "backfill:" + policy;
    PrintWriter out = out();
    PrintWriter err = err();
    LabelingSession session = model.applyTo(LabelingSession.builder().backend(backend))
        .command("plumb " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
        .createdBy(VersionProvider.createdBy()).listener(LabelProgress.on(err)).build();
    model.checkLocal(session.local());
    Backfill.Result result = Backfill.run(new Backfill.Request(policy, list, runs, history.file, name, by.attributes, signoff.rules(), signoff.file,
        library.policiesDir(), library.promptsDir(), decisionsDir(), session,
        VersionProvider.createdBy()), p -> {
          LabelProgress.summary(out, p.labels(), p.labeling(), 1);
          out.printf(Locale.ROOT, "%s %s %s: %,d gold units%s, report %s%n", p.recorded().replaced() ? "Replaced" : "Recorded",
              name, p.period(), p.goldKept(), p.goldReuse() == null ? "" : " (REUSED " + p.goldReuse().message() + ")", p.report());
          out.flush();
        });
    result.stopped().forEach(s -> err.println(s.period() + ": " + s.message()));
    err.flush();
    // a period left for re-review is a check that failed, not bad input: the others are recorded
    return result.stopped().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  /** The library gold decisions are checked against: only one named with --policies (else they are learned from the labels). */
  private Path decisionsDir() {
    return spec.commandLine().getParseResult().hasMatchedOption("--policies") ? library.policiesDir() : null;
  }

  /** {@code A..B}: every day (or week) from A to B inclusive. */
  static List<Period> range(String text) {
    String[] parts = text.split("\\.\\.", -1);
    if (parts.length != 2) {
      throw new InputException("--periods: expected A..B, e.g. 2026-11-01..2026-11-25, got \"" + text + "\"");
    }
    Period a = Format.period(parts[0], "--periods");
    Period b = Format.period(parts[1], "--periods");
    if (a.granularity() != b.granularity()) {
      throw new InputException("--periods: both ends must be days or both weeks, got \"" + text + "\"");
    }
    if (b.compareTo(a) < 0) {
      throw new InputException("--periods: " + b + " is before " + a);
    }
    List<Period> out = new ArrayList<>();
    for (var d = a.start(); !d.isAfter(b.start()); d = d.plusDays(a.granularity() == Period.Granularity.DAY ? 1 : 7)) {
      out.add(a.granularity() == Period.Granularity.DAY ? Period.day(d) : Period.weekOf(d));
      if (out.size() > 3660) {
        throw new InputException("--periods: more than 3660 periods in \"" + text + "\"");
      }
    }
    return out;
  }
}
