package dev.plumb.pipeline;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.LabelStudioImages;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.calibration.queue.ReviewAllocation;
import dev.plumb.core.InputException;
import dev.plumb.core.Seed;
import dev.plumb.history.Period;
import dev.plumb.history.RunRecord;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code queue}: draws the review subsample and writes the queue for the raters ({@link QueueExport});
 * in a sequential review, {@code queue-rK} draws round K's units given the rounds before ({@code queue
 * export --round K --reviewed ...}).
 */
final class QueueStage extends RunStage {
  private final Path sample;
  private final Path labels;
  private final Path queue;
  private final int round;
  private final List<Path> reviewed;
  /** {@code pilot: previous}'s run, once looked up (null: not yet). */
  private Optional<HistoryPilot.Found> pilot;

  QueueStage(RunState state, Path sample, Path labels, Path queue) {
    this("queue", state, sample, labels, queue, 0, List.of());
  }

  /** Round {@code round} of a sequential review (0: the whole review in one go), given the earlier rounds' gold. */
  QueueStage(String name, RunState state, Path sample, Path labels, Path queue, int round, List<Path> reviewed) {
    super(name, state, queue);
    this.sample = sample;
    this.labels = labels;
    this.queue = queue;
    this.round = round;
    this.reviewed = List.copyOf(reviewed);
  }

  @Override
  void describe(Key key) {
    RunFile.Review r = state.run.review();
    key.file("sample", sample).labels("labels", labels).input("design", r.design().fingerprint())
        .config("seed", r.seed()).config("show_llm", r.showLlm());
    if (r.labelStudioImages() != LabelStudioImages.SLOTS) {
      // only when not the default: runs that do not set the key keep one fingerprint
      key.config("label_studio_images", r.labelStudioImages().name().toLowerCase(Locale.ROOT));
    }
    key.fileIfGiven("raters", r.raters()).fileIfGiven("honeypots", r.honeypots());
    if (round > 0) { // only then: a review in one go keeps its fingerprint
      key.config("round", round);
      for (int i = 0; i < reviewed.size(); i++) {
        key.file("reviewed " + (i + 1), reviewed.get(i));
      }
    }
    if (r.pilot() != null) { // only then: a run without a pilot keeps its fingerprint
      Optional<HistoryPilot.Found> p = pilot();
      key.config("pilot", p.map(f -> f.period().key()).orElse("none"));
      p.ifPresent(f -> key.file("pilot gold", f.gold()).labels("pilot labels", f.labels()));
    }
  }

  /**
   * {@code pilot: previous}: the last run of series main recorded in report.history for a period
   * before this run's (report.period, else today's UTC day, as the report stage records it); empty
   * on a first run, which allocates from the risk scores as without a pilot.
   */
  private Optional<HistoryPilot.Found> pilot() {
    if (pilot == null) { // the fingerprint and the draw ask alike: read the history once
      pilot = previousRun();
    }
    return pilot;
  }

  private Optional<HistoryPilot.Found> previousRun() {
    RunFile.Report rp = state.run.report();
    Period period = rp.period() != null ? Period.parse(rp.period()) : Period.day(LocalDate.now(ZoneOffset.UTC));
    return HistoryPilot.before(rp.history(), RunRecord.MAIN, period, state.out, state.run.source() + ": review.pilot");
  }

  @Override
  String run(Context context) {
    RunFile.Review r = state.run.review();
    GoldDesign design = state.reviewDesign();
    Path partial = queue.resolveSibling("." + queue.getFileName() + ".partial");
    Inputs.delete(partial);
    Seed seed = Seed.of(r.seed(), design.seed());
    // the pilot guides only an allocation of the budget; a fixed n per stratum has nothing to share out
    boolean allocates = design.allocation() != ReviewAllocation.FIXED;
    Optional<HistoryPilot.Found> pilot = r.pilot() == null || !allocates ? Optional.empty() : pilot();
    QueueExport.Result x = QueueExport.run(new QueueExport.Request(sample, labels, design,
        r.raters() == null ? List.of() : QueueExport.readRaters(r.raters()), r.honeypots(), r.showLlm(), seed.value(), partial,
        state.createdBy, LibraryDecisions.lookup(state.run.policies().dir()),
        pilot.map(HistoryPilot.Found::gold).orElse(null), pilot.map(HistoryPilot.Found::labels).orElse(null), round,
        reviewed,
        r.labelStudioImages()));
    RunState.swap(partial, queue);
    // the honeypot notices (too few in the file, or a file the design does not use) belong beside it
    StringBuilder line = new StringBuilder(StageLines.queueExport(design, x, seed));
    if (round > 0) {
      line.append("; round ").append(round).append(" of ").append(design.rounds().count()).append(": ")
          .append(String.format(Locale.ROOT, "%,d", x.queue().items().stream().filter(i -> !i.honeypot()).count()))
          .append(" new units");
    }
    if (r.pilot() != null && !allocates) {
      line.append("; pilot: not used (the review design's allocation is fixed; neyman, optimal or proportional use it)");
    } else if (r.pilot() != null) {
      line.append("; ").append(pilot.map(f -> f.describe(state.run.report().history())).orElse("pilot: none (no run"
          + " recorded before this period in series main of " + RunState.rel(state.run.report().history())
          + "): rates from the risk scores"));
    }
    x.notices().forEach(n -> line.append("; ").append(n));
    return line.toString();
  }

}
