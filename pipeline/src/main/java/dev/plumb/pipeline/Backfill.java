package dev.plumb.pipeline;

import dev.plumb.calibration.report.CalibrationReport;
import dev.plumb.calibration.report.GoldReuse;
import dev.plumb.calibration.report.SignOffRules;
import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.history.Period;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures past periods again with another policy version (docs/history.md, "Backfills and
 * bridging"): per period, relabel its stored sample, reuse its gold under the new version where the
 * decision definitions are unchanged ({@link BackfillGold}; otherwise list the units to re-review and
 * leave the period out), recalibrate, and record the run in a parallel series of the history.
 */
public final class Backfill {
  private Backfill() {}

  /**
   * @param policy the exact version to measure with, {@code id@version}
   * @param periods the periods, in order
   * @param runs each period's run folder, with {@code {period}} in place of the period
   * @param policiesDir the library to label with; {@code decisionsDir} the one gold decisions are checked
   *     against (null: none)
   * @param session the labeling session (its model, limits and cache; the policy and prompt are this request's)
   */
  public record Request(String policy, List<Period> periods, String runs, Path history, String series, List<String> by,
      SignOffRules rules, Path signoff, Path policiesDir, Path promptsDir, Path decisionsDir, LabelingSession session,
      String createdBy) {
    public Request {
      periods = List.copyOf(periods);
      by = List.copyOf(by);
    }
  }

  /**
   * One period done: its labeling run, the gold used and the history record.
   *
   * @param goldKept the gold units calibrated with
   * @param goldReuse the units among them reviewed under other versions and reused, or null when none
   */
  public record PeriodResult(Period period, Path labels, RunSummary labeling, int goldKept, GoldReuse goldReuse, Path report,
      HistoryRecorder.Recorded recorded) {}

  /**
   * One period not measured because some of its gold was reviewed under a version whose decision
   * definitions differ (docs/history.md, "Reusing gold across versions").
   *
   * @param rereview the list of units to review again under the backfilled version
   * @param message one line: how many units, why, and the list
   */
  public record Stopped(Period period, Path rereview, String message) {}

  /** The periods measured and recorded, and the periods stopped for re-review. */
  public record Result(List<PeriodResult> done, List<Stopped> stopped) {
    public Result {
      done = List.copyOf(done);
      stopped = List.copyOf(stopped);
    }
  }

  /** The run folder of {@code period}. */
  public static Path runDir(String runs, Period period) {
    return Path.of(runs.replace("{period}", period.key()));
  }

  /**
   * Runs the backfill, calling {@code done} after each period (so progress shows as it goes). Every
   * period's gold is checked before anything is labeled: a period with gold reviewed under a version
   * whose decision definitions differ is not labeled, calibrated or recorded; its re-review list is
   * written instead ({@link Stopped}), and the other periods go on.
   *
   * @throws InputException before any labeling when a run folder lacks its sample, manifest or gold,
   *     or has no gold for the policy
   */
  public static Result run(Request r, Consumer<PeriodResult> done) {
    // check every folder before labeling anything
    List<String> missing = new ArrayList<>();
    for (Period p : r.periods()) {
      Path dir = runDir(r.runs(), p);
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
    PolicyLibrary library = PolicyLibrary.load(r.policiesDir());
    Policy target = library.select(List.of(r.policy())).get(0);
    BackfillGold reuse = new BackfillGold(target, library);
    Map<Period, BackfillGold.Plan> plans = new LinkedHashMap<>();
    for (Period p : r.periods()) {
      Path dir = runDir(r.runs(), p);
      BackfillGold.Plan plan = reuse.plan(dir.resolve("gold.jsonl"), work(dir, r).resolve(BackfillGold.REREVIEWED));
      if (plan.total() == 0) {
        throw new InputException(dir.resolve("gold.jsonl") + ": no gold for policy " + target.id());
      }
      plans.put(p, plan);
    }
    List<Stopped> stopped = new ArrayList<>();
    plans.forEach((p, plan) -> {
      Path list = work(runDir(r.runs(), p), r).resolve(BackfillGold.REREVIEW);
      if (plan.measurable()) {
        deleteIfExists(list);
      } else {
        reuse.writeRereview(plan, list);
        stopped.add(new Stopped(p, list, reuse.message(plan, list)));
      }
    });
    List<PeriodResult> results = new ArrayList<>();
    for (Period p : r.periods()) {
      BackfillGold.Plan plan = plans.get(p);
      if (!plan.measurable()) {
        continue;
      }
      Path dir = runDir(r.runs(), p);
      Path work = work(dir, r);
      Path labels = work.resolve("labels.jsonl");
      RunSummary labeling = label(r, dir.resolve("sample.jsonl"), labels, p);
      Path gold = work.resolve("gold.jsonl");
      reuse.writeGold(plan, gold);
      int kept = plan.kept().size();
      Path reportDir = work.resolve("report");
      Calibrate.Result c = Calibrate.run(new Calibrate.Request(new CalibrationReport.Request(
          dir.resolve("sample.jsonl"), dir.resolve("sample.json"), labels, gold, null, null, r.by(),
          dev.plumb.calibration.corrected.CalibrationOptions.defaults(), r.rules(), r.signoff(), r.createdBy(),
          Instant.now(), LibraryDecisions.only(r.decisionsDir(), r.policy())), reportDir, r.history(), r.series(), p));
      PeriodResult result = new PeriodResult(p, labels, labeling, kept,
          plan.reused().isEmpty() ? null : new GoldReuse(r.policy(), plan.reused(), kept), reportDir.resolve("report.json"),
          c.recorded());
      results.add(result);
      done.accept(result);
    }
    return new Result(results, stopped);
  }

  /** {@code RUN/backfill/<policy@version>/}. */
  private static Path work(Path runDir, Request r) {
    return runDir.resolve("backfill").resolve(r.policy());
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new PlumbException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** Labels one period's sample with the backfilled version (resuming; identical requests from the cache). */
  private static RunSummary label(Request r, Path sample, Path labels, Period period) {
    LabelingSession s = r.session().withPoliciesDir(r.policiesDir());
    if (!s.local() && s.model() == null) {
      throw new InputException(LabelingSession.modelRequired(s.backend()));
    }
    List<Policy> selected = PolicyLibrary.load(r.policiesDir()).select(List.of(r.policy()));
    PromptBundle bundle;
    BackendSpec spec;
    try {
      bundle = PromptCompiler.compile(selected, r.promptsDir(), s.modelParams(selected.size()));
      spec = s.spec();
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(e.getMessage()));
    }
    if (!Files.isRegularFile(sample)) {
      throw new InputException(sample + ": file not found");
    }
    RunSummary summary;
    try (Backend b = s.open(spec, selected, null, Credentials.fromEnvironment())) {
      summary = BatchLabeler.run(s.config(sample, labels, bundle, b, spec).build());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    if (summary.outcome() != RunSummary.Outcome.COMPLETE) {
      throw new PlumbException("labeling " + period + " with " + r.policy() + " stopped: " + summary.message()
          + "; fix it and run the same command again");
    }
    return summary;
  }
}
