package dev.plumb.cli;

import dev.plumb.calibration.queue.RoundGold;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb queue merge-rounds}: one gold file from a sequential review's rounds (docs/review.md, "Sequential review"). */
@Command(
    name = "merge-rounds",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Merge the gold of a sequential review's rounds into one gold file, each record's pi brought to",
      "the cumulative review (the stratified SRS of every unit reviewed so far), for plumb calibrate.",
      "Error-model gold is imported again as one queue: one rater-error model fitted on every round's",
      "answers (the gold's .answers.jsonl and .raters.json siblings) scores every unit; the merged",
      "raters, answers and adjudication files are written beside --out, each item named as its round's",
      "queue names it, with its round. A round's adjudicated records decide their units in the merge.",
      ""
    })
final class QueueMergeRoundsCommand extends ActionCommand {
  @Option(names = "--gold", required = true, arity = "2..*", paramLabel = "FILE",
      description = "The gold of rounds 1 .. K (queue import of each round's queue).")
  List<Path> gold;

  @Option(names = "--adjudicated", arity = "1..*", paramLabel = "FILE",
      description = "Error-model gold: filled-in adjudication files (the merged .adjudication.csv, or a round's);"
          + " each row's unit decides that unit in the merged gold.")
  List<Path> adjudicated = List.of();

  @Mixin GoldFileOption out;

  @Override
  public Integer call() {
    RoundGold.Result r = RoundGold.merge(gold, adjudicated, out.file);
    PrintWriter w = out();
    w.printf(Locale.ROOT, "%,d gold records of %,d rounds -> %s%s%n", r.records(), r.rounds(), r.out(),
        r.errorModel() ? " (one rater-error model over every round's answers)" : "");
    w.flush();
    return ExitCode.OK;
  }
}
