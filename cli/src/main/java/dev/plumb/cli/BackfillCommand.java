package dev.plumb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.calibration.report.SignOffRules;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.history.HistoryStore;
import dev.plumb.history.Period;
import dev.plumb.history.ReportIngest;
import dev.plumb.history.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "series of the history, drawn beside the main series by plumb dashboard."
    },
    footer = {"", "Example:",
        "  plumb backfill --policy self_harm@3 --periods 2026-11-01..2026-11-25 --runs 'out/{period}' \\",
        "      --history out/history.duckdb --backend openai --model gpt-4.1-mini",
        "",
        "Each run folder holds sample.jsonl, sample.json and gold.jsonl (as plumb run writes them);",
        "the backfill writes into RUN/backfill/<policy@version>/: labels.jsonl, gold.jsonl, report/."})
final class BackfillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "ID@V", description = "The policy version to measure with, e.g. self_harm@3.")
  String policy;

  @Option(names = "--periods", required = true, paramLabel = "A..B", description = "The days (2026-11-01..2026-11-25) or weeks (2026-W40..2026-W47).")
  String periods;

  @Option(names = "--runs", required = true, paramLabel = "TEMPLATE",
      description = "Each period's run folder, with {period} in place of the period, e.g. out/{period}.")
  String runs;

  @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history database.")
  Path history;

  @Option(names = "--series", paramLabel = "NAME", description = "The parallel series (default: backfill:ID@V).")
  String series;

  @Option(names = "--by", paramLabel = "ATTR", description = "Also calibrate per value of this unit attribute (repeatable).")
  List<String> by = new ArrayList<>();

  @Option(names = "--signoff", paramLabel = "FILE", description = "Sign-off thresholds (default thresholds otherwise).")
  Path signoff;

  @Option(names = "--policies", paramLabel = "DIR", description = "The policy library (as for plumb label).")
  Path policies;

  @Option(names = "--prompts", paramLabel = "DIR", description = "The prompt templates (as for plumb label).")
  Path prompts;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "local", description = "Labeling backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (for backends other than local).")
  String model;

  @Option(names = "--provider", paramLabel = "NAME", description = "Provider (langchain4j backend).")
  String provider;

  @Option(names = "--base-url", paramLabel = "URL", description = "OpenAI-compatible base URL.")
  String baseUrl;

  @Override
  public Integer call() {
    int at = policy.indexOf('@');
    if (at <= 0 || at == policy.length() - 1) {
      throw new InputException("--policy: expected ID@VERSION (a backfill needs an exact version), got \"" + policy + "\"");
    }
    String id = policy.substring(0, at);
    if (!runs.contains("{period}")) {
      throw new InputException("--runs: the template must contain {period}, e.g. out/{period}");
    }
    List<Period> list = range(periods);
    String name = series != null ? series : "backfill:" + policy;
    // check every folder before labeling anything
    List<String> missing = new ArrayList<>();
    for (Period p : list) {
      Path dir = Path.of(runs.replace("{period}", p.key()));
      for (String f : List.of("sample.jsonl", "sample.json", "gold.jsonl")) {
        if (!Files.isRegularFile(dir.resolve(f))) {
          missing.add(dir.resolve(f).toString());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new InputException("--runs: missing " + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
          + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : ""));
    }
    SignOffRules rules = signoff == null ? SignOffRules.defaults() : SignOffRules.read(signoff);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String version = "plumb " + VersionProvider.version() + " (commit " + VersionProvider.commit() + ")";
    for (Period p : list) {
      Path dir = Path.of(runs.replace("{period}", p.key()));
      Path work = dir.resolve("backfill").resolve(policy);
      Path labels = work.resolve("labels.jsonl");
      List<String> args = new ArrayList<>(List.of("label", "--units", dir.resolve("sample.jsonl").toString(),
          "--out", labels.toString(), "--policy", policy, "--backend", backend));
      add(args, "--model", model);
      add(args, "--provider", provider);
      add(args, "--base-url", baseUrl);
      add(args, "--policies", policies == null ? null : policies.toString());
      add(args, "--prompts", prompts == null ? null : prompts.toString());
      int code = Main.commandLine(out, err).execute(args.toArray(String[]::new));
      if (code != ExitCode.OK) {
        throw new PlumbException("labeling " + p + " with " + policy + " failed (exit " + code + "); fix it and run the same command again");
      }
      Path gold = work.resolve("gold.jsonl");
      int kept = rekeyGold(dir.resolve("gold.jsonl"), gold, id);
      if (kept == 0) {
        throw new InputException(dir.resolve("gold.jsonl") + ": no gold for policy " + id);
      }
      CalibrationReport report = CalibrationReport.build(new CalibrationReport.Request(
          dir.resolve("sample.jsonl"), dir.resolve("sample.json"), labels, gold, null, null, by,
          CalibrationOptions.defaults(), rules, signoff, version, Instant.now(), decisions()));
      ReportFiles.write(report, work.resolve("report"));
      RunRecord run = ReportIngest.read(work.resolve("report").resolve("report.json"), name, p);
      boolean replaced;
      try (HistoryStore store = HistoryStore.open(history)) {
        replaced = store.record(run);
      }
      out.printf(Locale.ROOT, "%s %s %s: %d gold units reused, report %s%n", replaced ? "Replaced" : "Recorded", name, p, kept,
          work.resolve("report").resolve("report.json"));
      out.flush();
    }
    return ExitCode.OK;
  }

  /** Copies the gold records of policy {@code id} (any version) with their policy key set to the backfilled version. */
  private int rekeyGold(Path from, Path to, String id) {
    int kept = 0;
    try (AtomicOutput o = AtomicOutput.create(to); Jsonl in = Jsonl.open(from)) {
      Writer w = o.writer();
      for (Jsonl.Line line : in) {
        ObjectNode n = line.node();
        String key = n.path("policy").asText();
        String pid = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
        if (!pid.equals(id)) {
          continue;
        }
        n.put("policy", policy);
        w.write(Json.line(n));
        w.write('\n');
        kept++;
      }
      o.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + to + ": " + e.getMessage(), e);
    }
    return kept;
  }

  /** The backfilled version's decisions from the policy library (with --policies), so gold decisions are checked against them. */
  private java.util.Map<String, java.util.Map<String, Boolean>> decisions() {
    if (policies == null) {
      return java.util.Map.of();
    }
    java.util.Map<String, Boolean> d = new java.util.LinkedHashMap<>();
    dev.plumb.labeler.policy.PolicyLibrary.load(policies).all().stream().filter(p -> p.key().equals(policy)).findFirst()
        .ifPresent(p -> p.decisions().forEach(x -> d.put(x.id(), x.positive())));
    return d.isEmpty() ? java.util.Map.of() : java.util.Map.of(policy, d);
  }

  private static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option);
      args.add(value);
    }
  }

  /** {@code A..B}: every day (or week) from A to B inclusive. */
  static List<Period> range(String text) {
    String[] parts = text.split("\\.\\.", -1);
    if (parts.length != 2) {
      throw new InputException("--periods: expected A..B, e.g. 2026-11-01..2026-11-25, got \"" + text + "\"");
    }
    Period a = HistoryCommand.period(parts[0], "--periods");
    Period b = HistoryCommand.period(parts[1], "--periods");
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
