package dev.plumb.pipeline;

import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.LabelingSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code plumb run}: builds the stages a run file asks for and runs them through a {@link Pipeline}.
 * Every stage is a class of this package that calls its module's typed entry point in-process
 * (docs/architecture.md, "The stage graph"), so the run shows one progress display.
 *
 * <p>Output folder layout: {@code logs/} (generated tables and truth), {@code units.jsonl},
 * {@code prompt.json}, {@code scored.jsonl}, {@code sample.jsonl} + {@code sample.json},
 * {@code labels.jsonl} (+ {@code labels.run.json}), {@code queue/}, {@code answers.csv},
 * {@code gold.jsonl}, {@code report.json|md|html}, {@code config/} (inline configurations),
 * {@code run-manifest.json}; a review in rounds writes {@code rounds/rK/} in place of {@code queue/},
 * {@code answers.csv} and {@code gold.jsonl} ({@link ReviewRounds}).
 */
public final class Runner {
  /**
   * What a run did: the stages, the report (when written), and a pause message (when waiting).
   *
   * @param review after a sequential review, the round it stopped at, its level and the units
   *     reviewed (the report's note); null otherwise
   */
  public record Summary(int ran, int skipped, Path output, Path report, String paused, double seconds, String review) {}

  private final RunFile.Parsed parsed;
  private final String createdBy;

  /** @param createdBy the plumb version and commit: recorded in outputs and part of every fingerprint */
  public Runner(RunFile.Parsed parsed, String createdBy) {
    this.parsed = parsed;
    this.createdBy = createdBy;
  }

  /** Runs every stage (skipping unchanged ones), printing progress to {@code err}. */
  public Summary execute(PrintWriter err, boolean terminal) {
    try (RunState state = new RunState(parsed, createdBy)) {
      state.design(); // a bad sampling design is bad input: report it before any stage runs
      LabelingSession session = state.session().build();
      if (!session.local()) {
        // a missing API key is bad input: say so now, not after the stages before labeling
        session.open(LabelStage.spec(state, session), List.of(), null, Credentials.fromEnvironment()).close();
      }
      try {
        Files.createDirectories(state.out);
      } catch (IOException e) {
        throw new PlumbException("cannot create the output folder " + state.out + ": " + e.getMessage(), e);
      }
      Progress progress = new Progress(err, terminal);
      try {
        Pipeline.Result r = new Pipeline(state.out, progress, createdBy).run(stages(state));
        Path report = state.out.resolve("report.html");
        int ran = (int) r.outcomes().stream().filter(o -> o.status() == Pipeline.Status.RAN).count();
        boolean written = r.paused() == null && Files.isRegularFile(report);
        String review = null;
        if (written && parsed.run().review() != null && state.reviewDesign().rounds().count() > 1) {
          ReviewRounds rounds = new ReviewRounds(state.out, state.reviewDesign());
          ReviewRounds.Look look = ReviewRounds.Look.read(rounds.look(rounds.stop()));
          review = look == null ? null : look.summary();
        }
        return new Summary(ran, r.outcomes().size() - ran, state.out, written ? report : null, r.paused(),
            progress.elapsed(), review);
      } finally {
        progress.close();
      }
    }
  }

  /** The stages this run file asks for, in order (docs/run.md, "Stages"). */
  static List<Stage> stages(RunState state) {
    RunFile run = state.run;
    Path out = state.out;
    List<Stage> s = new ArrayList<>();
    Path units;
    if (run.input() instanceof RunFile.Generate g) {
      Path logs = out.resolve("logs");
      s.add(new GenerateStage(state, g, logs));
      units = out.resolve("units.jsonl");
      s.add(new UnitsStage(state, logs.resolve("units.yaml"), units));
    } else if (run.input() instanceof RunFile.UnitsConfig c) {
      units = out.resolve("units.jsonl");
      s.add(new UnitsStage(state, c.config(), units));
    } else {
      units = ((RunFile.UnitsFile) run.input()).units();
    }
    s.add(new PoliciesStage(state));
    Path prompt = out.resolve("prompt.json");
    s.add(new PromptStage(state, prompt));
    Path frame = units;
    if (run.scoring().from().equals("local")) {
      frame = out.resolve("scored.jsonl");
      s.add(new ScoreStage(state, units, frame));
    }
    Path sample = out.resolve("sample.jsonl");
    s.add(new SampleStage(state, frame, sample));
    Path labels = out.resolve("labels.jsonl");
    s.add(new LabelStage(state, sample, prompt, labels));
    if (run.review() != null && state.reviewDesign().rounds().count() > 1) {
      s.addAll(new ReviewRounds(out, state.reviewDesign()).stages(state, sample, labels));
    } else if (run.review() != null) {
      Path queue = out.resolve("queue");
      s.add(new QueueStage(state, sample, labels, queue));
      List<Path> answers;
      if (run.review().answers() instanceof RunFile.Simulate sim) {
        Path a = out.resolve("answers.csv");
        s.add(new SimulateStage(state, sim, queue, a));
        answers = List.of(a);
      } else {
        answers = ((RunFile.Vendor) run.review().answers()).files();
        s.add(new AwaitAnswersStage(queue, answers));
      }
      Path gold = out.resolve("gold.jsonl");
      s.add(new GoldStage(state, answers, queue, gold));
      s.add(new ReportStage(state, sample, labels, gold));
    }
    return s;
  }
}
