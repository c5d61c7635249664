package dev.plumb.pipeline;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.local.TrainingData;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the stages of one run share: the run file, the output folder, the selected policies, the
 * local classifiers (one per training data, so the score and label stages train once), and the
 * small file helpers every stage uses. Not thread-safe: stages run one after another.
 */
final class RunState implements AutoCloseable {
  final RunFile run;
  final RunFile.Truth truth;
  final String createdBy;
  final Path out;
  /** Where inline configurations of the run file are written ({@code out/config}). */
  final Path config;
  private final Map<RunFile.Training, LocalClassifier> classifiers = new HashMap<>();
  private final Map<RunFile.Training, TrainingData> trainingData = new HashMap<>();
  private List<Policy> policies;
  private GoldDesign reviewDesign;

  RunState(RunFile.Parsed parsed, String createdBy) {
    this.run = parsed.run();
    this.truth = parsed.truth();
    this.createdBy = createdBy;
    this.out = run.output();
    this.config = out.resolve("config");
  }

  /** The policies the run file selects, loaded and validated once. */
  List<Policy> policies() {
    if (policies == null) {
      policies = PolicyLibrary.load(run.policies().dir()).select(run.policies().use());
    }
    return policies;
  }

  /**
   * The labeling session the run file's {@code labeler:} block describes (defaults: {@link
   * LabelingSession}); the label stage adds its progress, cancel flag and command.
   */
  LabelingSession.Builder session() {
    RunFile.Labeler l = run.labeler();
    return LabelingSession.builder().backend(l.backend()).model(l.model()).provider(l.provider()).baseUrl(l.baseUrl())
        .rpm(l.rpm()).tpm(l.tpm()).concurrency(l.concurrency()).maxOutputTokens(l.maxOutputTokens()).images(l.images())
        .budgetUsd(l.budgetUsd()).prices(l.prices()).timeoutSeconds(l.timeoutSeconds()).maxAttempts(l.maxAttempts())
        .promptCache(l.promptCache()).profile(l.profile()).scores(l.scores()).policiesDir(run.policies().dir())
        // no response cache for the local backend: its answers cost nothing, and a stage that reruns
        // because the classifier changed (its code, another plumb) must not get the old one's answers
        .cache(!l.backend().equals(LocalClassifier.BACKEND))
        .command("plumb run " + run.source()).createdBy(createdBy)
        .batch(l.batch(), false); // a run never waits for a batch: it stops and picks up next time
  }

  ModelParams modelParams() {
    try {
      return session().build().modelParams(policies().size());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(run.source() + ": labeler.max_output_tokens: " + e.getMessage()));
    }
  }

  PromptBundle bundle() {
    return PromptCompiler.compile(policies(), run.policies().prompts(), modelParams());
  }

  /** The sampling design, read and checked; an inline one as if from {@code config/design.yaml}. */
  DesignFile design() {
    SubConfig d = run.sampling().design();
    if (!d.isInline()) {
      return DesignFile.read(d.materialize(config, "design"));
    }
    Path file = config.resolve("design.yaml");
    try {
      return DesignFile.parse(d.inline(), file.toString());
    } catch (InputException e) {
      throw d.relocate(e, file);
    }
  }

  /** The review design ({@code review.design}), read and checked once; an inline one as if from {@code config/review.yaml}. */
  GoldDesign reviewDesign() {
    if (reviewDesign == null) {
      SubConfig d = run.review().design();
      Path file = d.materialize(config, "review");
      try {
        reviewDesign = GoldDesign.read(file);
      } catch (InputException e) {
        throw d.relocate(e, file);
      }
    }
    return reviewDesign;
  }

  /**
   * The local classifier trained on the policies' examples and {@code train} (null: none); one per
   * training data, shared by the stages that use the same. A classifier keys its saved models by the
   * training file's content and mappings, so an edited file retrains.
   */
  LocalClassifier classifier(RunFile.Training train) {
    LocalClassifier c = classifiers.get(train);
    if (c == null) {
      c = LocalClassifier.builder().cacheDir(LabelingSession.defaultCacheDir()).training(training(train)).build();
      classifiers.put(train, c);
    }
    return c;
  }

  private TrainingData training(RunFile.Training train) {
    if (train == null) {
      return TrainingData.none();
    }
    TrainingData data = trainingData.get(train);
    if (data == null) {
      if (!Files.isRegularFile(train.file())) {
        throw new InputException(Problem.of(run.source() + ": train: file not found: " + train.file()));
      }
      try {
        data = TrainingData.read(train.file(), train.map());
        data.requirePolicies(policies().stream().map(Policy::id).toList());
      } catch (InputException e) {
        // a problem without a place is about the run file's train:/map: ("--map X" there is its map: entry)
        throw new InputException(e.problems().stream()
            .map(p -> p.source().isEmpty() ? Problem.of(run.source() + ": train: " + p.message().replace("--map ", "map "))
                : p).toList());
      }
      trainingData.put(train, data);
    }
    return data;
  }

  /** The training file and mappings a stage's fingerprint depends on. */
  static void describeTraining(Stage.Key key, RunFile.Training train) {
    if (train != null) {
      key.file("train", train.file()).config("map", train.map());
    }
  }

  /** Closes the local classifiers the stages opened. */
  @Override
  public void close() {
    classifiers.values().forEach(LocalClassifier::close);
    classifiers.clear();
  }

  /** {@code p} relative to the working directory when it is under it (for summaries). */
  static String rel(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /** Non-blank lines of a file; -1 when it cannot be read. */
  static long lines(Path file) {
    try (Stream<String> s = Files.lines(file)) {
      return s.filter(l -> !l.isBlank()).count();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  /** Replaces {@code target} with the finished folder {@code partial} (a rename on one file system). */
  static void swap(Path partial, Path target) {
    try {
      Path old = target.resolveSibling("." + target.getFileName() + ".old");
      Inputs.delete(old);
      if (Files.exists(target)) {
        Files.move(target, old);
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      Inputs.delete(old);
    } catch (IOException e) {
      throw new PlumbException("cannot move " + partial + " to " + target + ": " + e.getMessage(), e);
    }
  }
}
