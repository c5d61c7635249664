package dev.plumb.cli;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.Panel;
import dev.plumb.calibration.queue.Queue;
import dev.plumb.calibration.queue.LabelStudioImages;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.calibration.synthetic.QueueSimulation;
import dev.plumb.calibration.queue.ReviewPolicy;
import dev.plumb.core.Seed;
import dev.plumb.pipeline.LibraryDecisions;
import dev.plumb.pipeline.StageLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb queue}: human review queues (docs/review.md). */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = {
      "Human review queues: draw the phase-2 review subsample, hand it to raters (CSV or Label",
      "Studio), and turn their answers into gold records with phase-2 inclusion probabilities.",
      ""
    },
    subcommands = {QueueCommand.Export.class, QueueCommand.Simulate.class, QueueImportCommand.class,
        QueueMergeRoundsCommand.class},
    footer = {
      "",
      "  plumb queue export --sample sample.jsonl --labels labels.jsonl --gold-design review.yaml --out queue/",
      "  plumb queue simulate --queue queue/ --truth truth.jsonl --panel panel.yaml --out answers.csv",
      "  plumb queue import --answers answers.csv --queue queue/ --out gold.jsonl"
    })
final class QueueCommand extends GroupCommand {
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Draw a probability subsample of the labeled sample for human review (SRS, or stratified by",
        "the LLM's decision), mix in honeypots, assign each item to raters, and write the queue:",
        "queue.csv (one row per item x policy x rater), label-studio.json + label-studio.xml (tasks",
        "and labeling config) and queue.json (the manifest import needs). LLM answers are hidden",
        "unless --show-llm.",
        ""
      },
      footer = {
        "",
        "review.yaml:",
        "  type: stratified            # srs | stratified (by the LLM's decision)",
        "  stratify_by: any_positive   # or one policy id",
        "  n: {llm_positive: 100, llm_negative: 100}   # srs: n: 200",
        "  weight_classes: 4           # split each stratum by phase-1 weight m/pi1 (reads sample.json)",
        "  allocation: optimal         # or neyman | proportional: n is then the total, shared among",
        "                              # strata x weight classes (scores, --pilot or --pilot-history give the variances)",
        "  overlap: 3                  # raters per item",
        "  honeypot_rate: 0.1          # honeypot items per sampled item",
        "  rater_bar: 0.8              # minimum honeypot accuracy"
      })
  static final class Export extends ActionCommand {
    @Option(names = "--sample", required = true, paramLabel = "FILE", description = "sample.jsonl")
    Path sample;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels.jsonl (required unless --expert-from)")
    Path labels;

    @Option(names = "--gold-design", paramLabel = "FILE",
        description = "The review design (YAML; required unless --expert-from).")
    Path design;

    @Option(names = "--expert-from", paramLabel = "FILE",
        description = "Expert tier: draw from this vendor gold (gold.jsonl) every consensus-positive unit and"
            + " --expert-negatives of each review stratum's consensus-negatives (docs/review.md, \"Expert tier\").")
    Path expertFrom;

    @Mixin ExpertNegativesOption expertNegatives;

    @Option(names = "--queue", paramLabel = "DIR", description = "With --expert-from: the vendor queue the gold came from.")
    Path queue;

    @Option(names = "--expert-overlap", paramLabel = "N", defaultValue = "1",
        description = "With --expert-from: experts per item (default: ${DEFAULT-VALUE}).")
    int expertOverlap;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The queue directory.")
    Path out;

    @Option(names = "--raters", paramLabel = "FILE", description = "Rater ids, one per line (default: the vendor assigns).")
    Path raters;

    @Option(names = "--honeypots", paramLabel = "FILE", description = "Known-answer units (JSON Lines).")
    Path honeypots;

    @Option(names = "--show-llm", description = "Pre-annotate with the LLM's answers.")
    boolean showLlm;

    @Mixin SeedOption seed;

    @Option(names = "--label-studio-images", paramLabel = "slots|list", defaultValue = "slots",
        description = "Label Studio images: slots (one tag per image, image_1..image_N; every frontend build we"
            + " could load) or list (one tag over all of a unit's images; needs multi-image valueList, which no npm"
            + " build has). Default: ${DEFAULT-VALUE}.")
    String labelStudioImages;

    @Option(names = "--policies", paramLabel = "DIR", defaultValue = "policies",
        description = "Policy library for the decisions and categories (default: ${DEFAULT-VALUE}; when"
            + " absent they are learned from the labels).")
    Path policies;

    @Mixin PilotOptions pilot;

    @Option(names = "--round", paramLabel = "K",
        description = "Sequential review (rounds: in the design): draw round K's units, never one reviewed before.")
    int round;

    @Option(names = "--reviewed", paramLabel = "FILE", arity = "1..*",
        description = "With --round K > 1: the gold of the rounds before (checked: the units this design drew).")
    List<Path> reviewed = new ArrayList<>();

    @Override
    public Integer call() {
      if (expertFrom != null) {
        return ExpertRound.run(this);
      }
      if (labels == null || design == null) {
        throw usage("Missing required option"
            + (labels == null && design == null ? "s: '--labels=FILE', '--gold-design=FILE'"
                : labels == null ? ": '--labels=FILE'" : ": '--gold-design=FILE'"));
      }
      if (expertNegatives.share != null || queue != null) {
        throw usage("--expert-negatives and --queue apply to --expert-from");
      }
      if (spec.commandLine().getParseResult().hasMatchedOption("--round") && round < 1) {
        throw usage("--round: rounds count from 1, got " + round); // 0 is the field's "not given"
      }
      GoldDesign d = GoldDesign.read(design);
      Seed s = seed.or(d.seed());
      List<String> list = raters == null ? List.of() : QueueExport.readRaters(raters);
      LabelStudioImages images;
      try {
        images = LabelStudioImages.parse(labelStudioImages);
      } catch (IllegalArgumentException e) {
        throw usage("--label-studio-images: " + e.getMessage());
      }
      PilotOptions.Pilot p = pilot.files();
      QueueExport.Result r = QueueExport.run(new QueueExport.Request(sample, labels, d, list, honeypots, showLlm, s.value(),
          out, VersionProvider.createdBy(), LibraryDecisions.lookup(policies), p == null ? null : p.gold(),
          p == null ? null : p.labels(), round, reviewed, images));
      PrintWriter w = out();
      Queue q = r.queue();
      long pots = q.items().stream().filter(Queue.Item::honeypot).count();
      w.println(StageLines.queueExport(d, r, s));
      if (p != null && p.found() != null) {
        w.println(p.found().describe(pilot.history));
      }
      w.printf(Locale.ROOT, "%-16s %8s %6s %10s%n", "stratum", "units", "n", "pi");
      for (Queue.Stratum st : q.strata()) {
        w.printf(Locale.ROOT, "%-16s %8d %6d %10s%n", st.id(), st.units(), st.n(), Format.sig(st.pi()));
      }
      w.printf(Locale.ROOT, "%,d items (%,d sampled units, %,d honeypots) x %,d policies (%s)%n", q.items().size(),
          q.items().size() - pots, pots,
          q.policies().size(), String.join(", ", q.policies().stream().map(ReviewPolicy::key).toList()));
      r.notices().forEach(n -> w.println("notice: " + n));
      w.printf(Locale.ROOT, "%s%n", q.raters().isEmpty()
          ? "no rater list: the vendor assigns " + q.overlap() + " rater(s) per item"
          : q.overlap() + " raters per item from " + q.raters().size() + " raters");
      if (round > 0) {
        w.printf(Locale.ROOT, "round %d of %d%s%n", round, d.rounds().count(), round < d.rounds().count()
            ? "; after its import: plumb queue merge-rounds, then plumb calibrate --round-queue " + out : " (the last)");
      }
      w.printf(Locale.ROOT, "wrote %s%n", String.join(", ", r.files().stream().map(Path::toString).toList()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Answer a queue with a seeded simulated rater panel (per-rater sensitivity and specificity)",
        "from the ground truth, in the CSV a vendor returns. For synthetic data: it lets the whole",
        "chain run unattended.",
        ""
      },
      footer = {
        "",
        "panel.yaml:",
        "  default: {sensitivity: 0.9, specificity: 0.98}",
        "  category_accuracy: 0.9",
        "  raters:",
        "    r05: {sensitivity: 0.6, specificity: 0.85}   # a sloppy rater"
      })
  static final class Simulate extends ActionCommand {
    @Mixin QueueDirOption queue;

    @Option(names = "--truth", required = true, paramLabel = "FILE",
        description = "truth.jsonl: unit, policy (id), decision, positive, category.")
    Path truth;

    @Option(names = "--panel", required = true, paramLabel = "FILE", description = "The panel (YAML).")
    Path panel;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "answers.csv")
    Path out;

    @Mixin SeedOption seed;

    @Override
    public Integer call() {
      Panel p = Panel.read(panel);
      Seed s = seed.or(p.seed());
      QueueSimulation.Result r = QueueSimulation.run(queue.dir, truth, p, s.value(), out);
      PrintWriter w = out();
      w.println(StageLines.queueSimulation(r, s));
      w.printf(Locale.ROOT, "%-12s %8s %8s%n", "rater", "answers", "wrong");
      r.perRater().forEach((rater, t) -> w.printf(Locale.ROOT, "%-12s %8d %8d%n", rater, t[0], t[1]));
      w.printf(Locale.ROOT, "wrote %s%n", r.out());
      return ExitCode.OK;
    }
  }

}
