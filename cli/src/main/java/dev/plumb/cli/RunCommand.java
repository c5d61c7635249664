package dev.plumb.cli;

import dev.plumb.pipeline.Headline;
import dev.plumb.pipeline.RunFile;
import dev.plumb.pipeline.Runner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plumb run RUN.yaml}: the whole measurement in one command (docs/run.md). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the whole measurement a run file describes: build units from logs, validate policies,",
      "compile the prompt, score, sample, label, export the review queue, obtain human answers",
      "(a simulated panel, or the vendor's files), import them, calibrate and write the report.",
      "A stage whose inputs and settings have not changed since it last finished is skipped, so a",
      "rerun after an edit redoes only what depends on it, and an interrupted run resumes.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  plumb run fixtures/demo/run.yaml          # offline demo -> out/demo/report.html",
      "  plumb run daily.yaml",
      "",
      "With answers from a review vendor (review.answers.files), the run stops after exporting the",
      "queue and says where the answers go; run the same command again once they are there.",
      "The run file's fields: docs/run.md.",
      "",
      "Exit codes: 0 done (or waiting for reviewers' answers), 1 report.strict and a policy failed",
      "sign-off, 2 bad run file or input, 3 a stage failed (rerun to resume)."
    })
final class RunCommand extends ActionCommand {
  @Parameters(index = "0", paramLabel = "RUN.yaml", description = "The run file.")
  Path runFile;

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    RunFile.Parsed parsed = RunFile.read(runFile);
    String createdBy = VersionProvider.createdBy();
    Runner runner = new Runner(parsed, createdBy);
    boolean terminal = LabelProgress.terminal();
    err.println("plumb run " + runFile + (parsed.run().name() == null ? "" : " (" + parsed.run().name() + ")")
        + " -> " + parsed.run().output());
    err.flush();
    Runner.Summary s = runner.execute(err, terminal);
    out.printf(Locale.ROOT, "%,d stages ran, %,d skipped (unchanged), in %.1f s%n", s.ran(), s.skipped(), s.seconds());
    if (s.paused() != null) {
      out.println("paused: " + s.paused());
      return ExitCode.OK;
    }
    if (s.report() == null) {
      out.println("labels: " + s.output().resolve("labels.jsonl") + " (no review: configured, so no corrected estimate)");
      return ExitCode.OK;
    }
    Headline h = Headline.read(s.output().resolve("report.json"));
    h.print(out);
    if (s.review() != null) {
      out.println(s.review());
    }
    out.println("report: " + s.report());
    return parsed.run().report().strict() && h.anyFail() ? ExitCode.CHECK_FAILED : ExitCode.OK;
  }
}
