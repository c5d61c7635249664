package dev.plumb.cli;

import dev.plumb.calibration.queue.ExpertExport;
import dev.plumb.calibration.queue.Queue;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.core.Seed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/** {@code plumb queue export --expert-from gold.jsonl}: the expert tier's queue (docs/review.md, "Expert tier"). */
final class ExpertRound {
  private ExpertRound() {}

  static int run(QueueCommand.Export e) {
    if (e.labels != null || e.design != null || e.honeypots != null || e.showLlm) {
      throw e.usage("--expert-from draws from the gold: --labels, --gold-design, --honeypots and --show-llm do not apply");
    }
    if (e.expertNegatives.share == null || e.queue == null) {
      throw e.usage("--expert-from needs --expert-negatives SHARE and --queue DIR");
    }
    Seed seed = e.seed.or(OptionalLong.empty());
    List<String> experts = e.raters == null ? List.of() : QueueExport.readRaters(e.raters);
    ExpertExport.Result r = ExpertExport.run(new ExpertExport.Request(e.expertFrom, e.queue, e.sample,
        e.expertNegatives.share, experts, e.expertOverlap, seed.value(), e.out, VersionProvider.createdBy()));
    PrintWriter w = e.out();
    Queue q = r.queue();
    w.printf(Locale.ROOT, "expert tier from %,d reviewed units of %s: every consensus-positive, %s of the"
        + " consensus-negatives, seed %d%s%n", r.reviewed(), e.expertFrom, Format.sig(e.expertNegatives.share), seed.value(),
        seed.note());
    w.printf(Locale.ROOT, "%-36s %8s %6s %10s%n", "cell", "units", "n", "pi3");
    for (Queue.Stratum st : q.strata()) {
      w.printf(Locale.ROOT, "%-36s %8d %6d %10s%n", st.id(), st.units(), st.n(), Format.sig(st.pi()));
    }
    w.printf(Locale.ROOT, "%,d items x %,d policies; %s%n", q.items().size(), q.policies().size(), q.raters().isEmpty()
        ? "no expert list: " + q.overlap() + " expert(s) per item, assigned outside plumb"
        : q.overlap() + " expert(s) per item from " + q.raters().size());
    w.printf(Locale.ROOT, "wrote %s%n", String.join(", ", r.files().stream().map(Path::toString).toList()));
    w.flush();
    return ExitCode.OK;
  }
}
