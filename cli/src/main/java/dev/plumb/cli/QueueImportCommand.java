package dev.plumb.cli;

import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.queue.DecisionMap;
import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.pipeline.StageLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb queue import}: raters' answers to gold (docs/review.md). */
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
final class QueueImportCommand extends ActionCommand {
  @Option(names = "--answers", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Answer files: .csv (vendor) or .json (Label Studio export).")
  List<Path> answers;

  @Mixin QueueDirOption queue;

  @Mixin GoldFileOption out;

  @Option(names = "--consensus", paramLabel = "METHOD", defaultValue = "majority",
      description = "majority, dawid-skene or error-model (default: ${DEFAULT-VALUE}).")
  String consensus;

  @Option(names = "--adjudicated", paramLabel = "FILE",
      description = "The adjudication file with decisions filled in for the ties.")
  Path adjudicated;

  @Option(names = "--keep-flagged",
      description = "Count the answers of raters the honeypots flag (default: they are excluded).")
  boolean keepFlagged;

  @Option(names = "--decision-map", paramLabel = "VALUE=DECISION",
      description = "Read a vendor CSV's answer VALUE as DECISION (repeatable), for answers given as 0/1 or"
          + " true/false: --decision-map 1=violating --decision-map 0=safe.")
  List<String> decisionMap = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    ConsensusMethod method = Format.option("--consensus", () -> ConsensusMethod.parse(consensus));
    QueueImport.Result r = QueueImport.run(new QueueImport.Request(answers, queue.dir, out.file, method, adjudicated, 0.95,
        keepFlagged, DecisionMap.parse(decisionMap)));
    PrintWriter w = out();
    w.println(StageLines.queueImport(r, method));
    w.printf(Locale.ROOT, "%-20s %6s %9s %6s %8s %8s%n", "policy", "gold", "positive", "ties", "fleiss", "ac1");
    for (QueueImport.PolicyResult p : r.policies()) {
      w.printf(Locale.ROOT, "%-20s %6d %9d %6d %8s %8s%n", p.policy(), p.gold(), p.positives(), p.ties(),
          p.agreement() == null ? "-" : Format.fixed(p.agreement().fleissKappa(), 3),
          p.agreement() == null ? "-" : Format.fixed(p.agreement().gwetAc1(), 3));
    }
    for (HoneypotScore s : r.raters()) {
      w.printf(Locale.ROOT, "rater %s: honeypots %,d/%,d (%s %s-%s)%s%n", s.rater(), s.correct(), s.answered(),
          s.interval().method(), Format.fixed(s.interval().lower(), 3), Format.fixed(s.interval().upper(), 3),
          s.flagged() ? " FLAGGED: " + s.reason() + (r.excluded().contains(s.rater())
              ? "; answers excluded" : "; answers kept (--keep-flagged)") : "");
    }
    if (!r.excluded().isEmpty()) {
      w.printf(Locale.ROOT, "excluded from consensus and agreement: %s (all raters' fleiss: %s)%n",
          String.join(", ", r.excluded()), String.join(", ", r.policies().stream()
              .map(p -> p.policy() + " " + (p.agreementAll() == null ? "-" : Format.fixed(p.agreementAll().fleissKappa(), 3)))
              .toList()));
    }
    int unanswered = r.policies().stream().mapToInt(QueueImport.PolicyResult::unanswered).sum();
    if (unanswered > 0) {
      w.printf(Locale.ROOT, "%,d unit x policy pairs answered only by excluded raters are left out of the gold%n",
          unanswered);
    }
    int ties = r.policies().stream().mapToInt(QueueImport.PolicyResult::ties).sum();
    if (ties > 0) {
      w.printf(Locale.ROOT, "%,d ties left out of the gold until adjudicated: fill in %s and pass it with"
          + " --adjudicated%n", ties, r.adjudication());
    }
    w.printf(Locale.ROOT, "wrote %s, %s, %s, %s%n", r.gold(), r.adjudication(), r.ratersFile(), r.answersFile());
    return ExitCode.OK;
  }
}
