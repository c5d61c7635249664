package dev.plumb.pipeline;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.batch.ProgressListener;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.profile.Profile;
import dev.plumb.labeler.prompt.PromptBundle;
import java.nio.file.Path;
import java.util.Locale;

/** {@code label}: labels every sampled unit for every selected policy ({@link BatchLabeler}). */
final class LabelStage extends RunStage {
  private final Path sample;
  private final Path prompt;
  private final Path labels;

  LabelStage(RunState state, Path sample, Path prompt, Path labels) {
    super("label", state, labels);
    this.sample = sample;
    this.prompt = prompt;
    this.labels = labels;
  }

  private RunFile.Labeler labeler() {
    return state.run.labeler();
  }

  /** The labeler appends to labels.jsonl and resumes from it. */
  @Override
  boolean resumes() {
    return true;
  }

  @Override
  void describe(Key key) {
    RunFile.Labeler l = labeler();
    key.file("sample", sample).file("prompt", prompt)
        .config("backend", l.backend()).config("model", l.model()).config("provider", l.provider())
        .config("base_url", l.baseUrl()).config("images", l.images());
    if (l.batch()) {
      key.config("batch", true);
    }
    if (!l.profile().equals(Profile.Choice.DEFAULT) || l.scores()) { // only then: a plumb run keeps its fingerprint
      key.config("profile", l.profile().toString()).config("scores", l.scores());
    }
    if (state.session().build().local()) {
      RunState.describeTraining(key, l.train());
    }
  }

  /** The remote backend's specification (null for local), checked before any stage runs. */
  static BackendSpec spec(RunState state, LabelingSession session) {
    try {
      return session.spec();
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(state.run.source() + ": labeler: " + e.getMessage()));
    }
  }

  @Override
  String run(Context context) {
    RunFile.Labeler l = labeler();
    CleanStop stop = new CleanStop();
    LabelingSession session = state.session().cancel(stop.flag()).listener(new ProgressListener() {
      @Override
      public void progress(dev.plumb.labeler.batch.Progress p) {
        context.detail(String.format(Locale.ROOT, "%,d/%,d labels, %,.0f/s%s", p.done() + p.resumed(),
            p.total() + p.resumed(), p.labelsPerSecond(), p.costUsd() > 0
                ? String.format(Locale.ROOT, ", $%.4f", p.costUsd()) : ""));
      }
    }).build();
    boolean local = session.local();
    if (local) {
      // The stage runs because something it reads changed. The labeler resumes by (unit, policy,
      // prompt, model), and the local model's name does not change with its training data: start
      // afresh rather than keep labels of another classifier (relabeling locally takes seconds).
      Inputs.delete(labels);
      Inputs.delete(LabelerConfig.defaultRunFile(labels));
    }
    PromptBundle b = state.bundle();
    BackendSpec spec = spec(state, session);
    // the local backend closes its classifier; the run closes the shared one itself at the end
    Backend backend = local ? Backends.local(state.classifier(l.train()), state.policies())
        : session.open(spec, state.policies(), null, Credentials.fromEnvironment());
    try {
      // Ctrl-C: the labeler stops cleanly (compacts its file, writes labels.run.json) before the JVM exits
      stop.arm("plumb-run-interrupt");
      RunSummary s = BatchLabeler.run(session.config(sample, labels, b, backend, spec).build());
      if (s.outcome() == RunSummary.Outcome.SUBMITTED) {
        // like a vendor's answers: the run stops here and the next one collects the batches
        throw new Stage.Paused("label: submitted, waiting for the provider's batches (" + s.counts().missing()
            + " labels to come; ids in " + s.runFile() + "); run the same command again to collect them");
      }
      if (s.outcome() != RunSummary.Outcome.COMPLETE) {
        // an interrupt says what was kept and how to resume on one line; other stops explain on the first
        String sep = s.outcome() == RunSummary.Outcome.INTERRUPTED ? "; " : "\n";
        throw new PlumbException(s.message() + sep + "resume with: plumb run " + state.run.source());
      }
      RunSummary.Counts c = s.counts();
      if (c.failed() > 0 || c.missing() > 0) {
        throw new PlumbException(c.failed() + " labels failed and " + c.missing() + " are missing (see "
            + s.runFile() + "); rerun plumb run " + state.run.source() + " to retry them");
      }
      return String.format(Locale.ROOT, "%,d labels (%,d invalid) by %s%s, %s", c.total(), c.invalid(), backend.name(),
          local ? "" : " " + l.model(), s.progress().costUsd() > 0
              ? String.format(Locale.ROOT, "$%.4f", s.progress().costUsd()) : "no cost");
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(state.run.source() + ": labeler: " + e.getMessage()));
    } finally {
      stop.close();
      if (!local) {
        backend.close();
      }
    }
  }
}
