package dev.plumb.cli;

import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.Panel;
import dev.plumb.calibration.queue.Queue;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.queue.QueueSimulation;
import dev.plumb.calibration.queue.ReviewPolicy;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plumb queue}: human review queues (docs/review.md). */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = {
      "Human review queues: draw the phase-2 review subsample, hand it to raters (CSV or Label",
      "Studio), and turn their answers into gold records with phase-2 inclusion probabilities.",
      ""
    },
    subcommands = {QueueCommand.Export.class, QueueCommand.Simulate.class, QueueCommand.Import.class},
    footer = {
      "",
      "  plumb queue export --sample sample.jsonl --labels labels.jsonl --gold-design review.yaml --out queue/",
      "  plumb queue simulate --queue queue/ --truth truth.jsonl --panel panel.yaml --out answers.csv",
      "  plumb queue import --answers answers.csv --queue queue/ --out gold.jsonl"
    })
final class QueueCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: export, simulate or import");
  }

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
        "  overlap: 3                  # raters per item",
        "  honeypot_rate: 0.1          # honeypot items per sampled item",
        "  rater_bar: 0.8              # minimum honeypot accuracy"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--sample", required = true, paramLabel = "FILE", description = "sample.jsonl")
    Path sample;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "labels.jsonl")
    Path labels;

    @Option(names = "--gold-design", required = true, paramLabel = "FILE", description = "The review design (YAML).")
    Path design;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The queue directory.")
    Path out;

    @Option(names = "--raters", paramLabel = "FILE", description = "Rater ids, one per line (default: the vendor assigns).")
    Path raters;

    @Option(names = "--honeypots", paramLabel = "FILE", description = "Known-answer units (JSON Lines).")
    Path honeypots;

    @Option(names = "--show-llm", description = "Pre-annotate with the LLM's answers.")
    boolean showLlm;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (overrides seed: in the design).")
    Long seed;

    @Option(names = "--policies", paramLabel = "DIR", defaultValue = "policies",
        description = "Policy library for the decisions and categories (default: ${DEFAULT-VALUE}; when"
            + " absent they are learned from the labels).")
    Path policies;

    @Override
    public Integer call() {
      GoldDesign d = GoldDesign.read(design);
      boolean drawn = seed == null && d.seed().isEmpty();
      long s = seed != null ? seed : d.seed().orElseGet(() -> new SecureRandom().nextLong());
      List<String> list = raters == null ? List.of() : QueueExport.readRaters(raters);
      QueueExport.Result r = QueueExport.run(new QueueExport.Request(sample, labels, d, list, honeypots, showLlm, s,
          out, "plumb " + VersionProvider.version() + " (commit " + VersionProvider.commit() + ")", lookup(policies)));
      PrintWriter w = spec.commandLine().getOut();
      Queue q = r.queue();
      long pots = q.items().stream().filter(Queue.Item::honeypot).count();
      w.printf(Locale.ROOT, "%s review of %d sampled units, seed %d%s%n", d.type(), r.sampleUnits(), s,
          drawn ? " (drawn; pass --seed to repeat)" : "");
      w.printf(Locale.ROOT, "%-16s %8s %6s %10s%n", "stratum", "units", "n", "pi");
      for (Queue.Stratum st : q.strata()) {
        w.printf(Locale.ROOT, "%-16s %8d %6d %10s%n", st.id(), st.units(), st.n(), SampleCommand.sig(st.pi()));
      }
      w.printf(Locale.ROOT, "%d items (%d sampled units, %d honeypots%s) x %d policies (%s)%n", q.items().size(),
          q.items().size() - pots, pots, pots < Math.round(d.honeypotRate() * (q.items().size() - pots))
              ? ", all " + r.honeypotsAvailable() + " available" : "",
          q.policies().size(), String.join(", ", q.policies().stream().map(ReviewPolicy::key).toList()));
      w.printf(Locale.ROOT, "%s%n", q.raters().isEmpty()
          ? "no rater list: the vendor assigns " + q.overlap() + " rater(s) per item"
          : q.overlap() + " raters per item from " + q.raters().size() + " raters");
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
  static final class Simulate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "The queue directory.")
    Path queue;

    @Option(names = "--truth", required = true, paramLabel = "FILE",
        description = "truth.jsonl: unit, policy (id), decision, positive, category.")
    Path truth;

    @Option(names = "--panel", required = true, paramLabel = "FILE", description = "The panel (YAML).")
    Path panel;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "answers.csv")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (overrides seed: in the panel).")
    Long seed;

    @Override
    public Integer call() {
      Panel p = Panel.read(panel);
      boolean drawn = seed == null && p.seed().isEmpty();
      long s = seed != null ? seed : p.seed().orElseGet(() -> new SecureRandom().nextLong());
      QueueSimulation.Result r = QueueSimulation.run(queue, truth, p, s, out);
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "%d simulated answers, seed %d%s%n", r.answers(), s,
          drawn ? " (drawn; pass --seed to repeat)" : "");
      w.printf(Locale.ROOT, "%-12s %8s %8s%n", "rater", "answers", "wrong");
      r.perRater().forEach((rater, t) -> w.printf(Locale.ROOT, "%-12s %8d %8d%n", rater, t[0], t[1]));
      w.printf(Locale.ROOT, "wrote %s%n", r.out());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Read raters' answers (vendor CSV or Label Studio JSON export), check them against the queue,",
        "build consensus per unit x policy, score raters on honeypots, and write gold.jsonl with each",
        "unit's phase-2 stratum and inclusion probability. Beside it: <gold>.adjudication.csv (ties),",
        "<gold>.raters.json (honeypot accuracy, agreement) and <gold>.answers.jsonl (every answer).",
        "Raters the honeypots flag (accuracy below the queue's rater_bar) do not count: their answers",
        "are left out of the consensus and of the agreement statistics (shown apart), unless",
        "--keep-flagged.",
        ""
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--answers", required = true, arity = "1..*", paramLabel = "FILE",
        description = "Answer files: .csv (vendor) or .json (Label Studio export).")
    List<Path> answers;

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "The queue directory.")
    Path queue;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "gold.jsonl")
    Path out;

    @Option(names = "--consensus", paramLabel = "METHOD", defaultValue = "majority",
        description = "majority, dawid-skene or error-model (default: ${DEFAULT-VALUE}).")
    String consensus;

    @Option(names = "--adjudicated", paramLabel = "FILE",
        description = "The adjudication file with decisions filled in for the ties.")
    Path adjudicated;

    @Option(names = "--keep-flagged",
        description = "Count the answers of raters the honeypots flag (default: they are excluded).")
    boolean keepFlagged;

    @Override
    public Integer call() {
      ConsensusMethod method;
      try {
        method = ConsensusMethod.parse(consensus);
      } catch (IllegalArgumentException e) {
        throw new InputException("--consensus: " + e.getMessage());
      }
      QueueImport.Result r = QueueImport.run(new QueueImport.Request(answers, queue, out, method, adjudicated, 0.95,
          keepFlagged));
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "%d answers on %d items (%d honeypots); consensus: %s%n", r.answers(),
          r.items() + r.honeypots(), r.honeypots(), method.label());
      w.printf(Locale.ROOT, "%-20s %6s %9s %6s %8s %8s%n", "policy", "gold", "positive", "ties", "fleiss", "ac1");
      for (QueueImport.PolicyResult p : r.policies()) {
        w.printf(Locale.ROOT, "%-20s %6d %9d %6d %8s %8s%n", p.policy(), p.gold(), p.positives(), p.ties(),
            p.agreement() == null ? "-" : fmt(p.agreement().fleissKappa()),
            p.agreement() == null ? "-" : fmt(p.agreement().gwetAc1()));
      }
      for (HoneypotScore s : r.raters()) {
        w.printf(Locale.ROOT, "rater %s: honeypots %d/%d (%s %s-%s)%s%n", s.rater(), s.correct(), s.answered(),
            s.interval().method(), fmt(s.interval().lower()), fmt(s.interval().upper()),
            s.flagged() ? " FLAGGED: " + s.reason() + (r.excluded().contains(s.rater())
                ? "; answers excluded" : "; answers kept (--keep-flagged)") : "");
      }
      if (!r.excluded().isEmpty()) {
        w.printf(Locale.ROOT, "excluded from consensus and agreement: %s (all raters' fleiss: %s)%n",
            String.join(", ", r.excluded()), String.join(", ", r.policies().stream()
                .map(p -> p.policy() + " " + (p.agreementAll() == null ? "-" : fmt(p.agreementAll().fleissKappa())))
                .toList()));
      }
      int unanswered = r.policies().stream().mapToInt(QueueImport.PolicyResult::unanswered).sum();
      if (unanswered > 0) {
        w.printf(Locale.ROOT, "%d unit x policy pairs answered only by excluded raters are left out of the gold%n",
            unanswered);
      }
      int ties = r.policies().stream().mapToInt(QueueImport.PolicyResult::ties).sum();
      if (ties > 0) {
        w.printf(Locale.ROOT, "%d ties left out of the gold until adjudicated: fill in %s and pass it with"
            + " --adjudicated%n", ties, r.adjudication());
      }
      w.printf(Locale.ROOT, "wrote %s, %s, %s, %s%n", r.gold(), r.adjudication(), r.ratersFile(), r.answersFile());
      return ExitCode.OK;
    }

    private static String fmt(double v) {
      return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
  }

  /** Decisions and categories from the policy library, when there is one. */
  static Function<String, Optional<ReviewPolicy>> lookup(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return key -> Optional.empty();
    }
    PolicyLibrary library = PolicyLibrary.load(dir);
    return key -> {
      Policy p;
      try {
        p = library.resolve(PolicyRef.parse(key));
      } catch (InputException | IllegalArgumentException e) {
        return Optional.empty();
      }
      Map<String, Boolean> decisions = new LinkedHashMap<>();
      for (Decision d : p.decisions()) {
        decisions.put(d.id(), d.positive());
      }
      List<String> categories = new ArrayList<>();
      for (Category c : p.categories()) {
        categories.add(c.id());
      }
      return Optional.of(new ReviewPolicy(key, decisions, categories));
    };
  }
}
