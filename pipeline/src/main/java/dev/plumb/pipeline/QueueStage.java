package dev.plumb.pipeline;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.LabelStudioImages;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.core.InputException;
import dev.plumb.core.Seed;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code queue}: draws the review subsample and writes the queue for the raters ({@link QueueExport}). */
final class QueueStage extends RunStage {
  private final Path sample;
  private final Path labels;
  private final Path queue;

  QueueStage(RunState state, Path sample, Path labels, Path queue) {
    super("queue", state, queue);
    this.sample = sample;
    this.labels = labels;
    this.queue = queue;
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
  }

  @Override
  String run(Context context) {
    RunFile.Review r = state.run.review();
    Path file = r.design().materialize(state.config, "review");
    GoldDesign design;
    try {
      design = GoldDesign.read(file);
    } catch (InputException e) {
      throw r.design().relocate(e, file);
    }
    Path partial = state.out.resolve(".queue.partial");
    Inputs.delete(partial);
    Seed seed = Seed.of(r.seed(), design.seed());
    QueueExport.Result x = QueueExport.run(new QueueExport.Request(sample, labels, design,
        r.raters() == null ? List.of() : QueueExport.readRaters(r.raters()), r.honeypots(), r.showLlm(), seed.value(), partial,
        state.createdBy, LibraryDecisions.lookup(state.run.policies().dir()), null, null, 0, List.of(),
        r.labelStudioImages()));
    RunState.swap(partial, queue);
    // the honeypot notices (too few in the file, or a file the design does not use) belong beside it
    StringBuilder line = new StringBuilder(StageLines.queueExport(design, x, seed));
    x.notices().forEach(n -> line.append("; ").append(n));
    return line.toString();
  }

}
