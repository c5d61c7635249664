package dev.plumb.cli.run;

import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.cli.CleanStop;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.batch.Notices;
import dev.plumb.labeler.batch.PriceTable;
import dev.plumb.labeler.batch.ProgressListener;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.local.FrameScorer;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.local.TrainingData;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code plumb run}: builds the stages a run file asks for and runs them through a {@link Pipeline}.
 * Stages call the library code in-process; the stages that belong to other commands (units, review
 * queue, calibration) run those commands in-process with their output captured, so the run shows
 * one progress display.
 *
 * <p>Output folder layout: {@code logs/} (generated tables and truth), {@code units.jsonl},
 * {@code prompt.json}, {@code scored.jsonl}, {@code sample.jsonl} + {@code sample.json},
 * {@code labels.jsonl} (+ {@code labels.run.json}), {@code queue/}, {@code answers.csv},
 * {@code gold.jsonl}, {@code report.json|md|html}, {@code config/} (inline configurations),
 * {@code run-manifest.json}.
 */
public final class Runner {
  /** Runs a plumb command in-process: (out, err, args) → exit code. {@code dev.plumb.cli.Main::run}. */
  public interface Commands {
    int run(PrintWriter out, PrintWriter err, String... args);

    /** Whether {@code plumb <path...>} exists in this build. */
    boolean has(String... path);
  }

  /** What a run did: the stages, the report (when written), and a pause message (when waiting). */
  public record Summary(int ran, int skipped, Path output, Path report, String paused, double seconds) {}

  private final RunFile run;
  private final RunFile.Truth truth;
  private final Commands commands;
  private final String createdBy;
  private final Path out;
  private final Path config;
  /** The local classifiers of this run, one per training data (the score and label stages share one). */
  private final java.util.Map<RunFile.Training, LocalClassifier> classifiers = new java.util.HashMap<>();
  private final java.util.Map<RunFile.Training, TrainingData> trainingData = new java.util.HashMap<>();
  private List<Policy> policies;
  private PolicyLibrary library;

  public Runner(RunFile.Parsed parsed, Commands commands, String createdBy) {
    this.run = parsed.run();
    this.truth = parsed.truth();
    this.commands = commands;
    this.createdBy = createdBy;
    this.out = run.output();
    this.config = out.resolve("config");
  }

  /** Runs every stage (skipping unchanged ones), printing progress to {@code err}. */
  public Summary execute(PrintWriter err, boolean terminal) {
    design(); // a bad sampling design is bad input: report it before any stage runs
    if (!run.labeler().backend().equals(LocalClassifier.BACKEND)) {
      // a missing API key is bad input: say so now, not after the stages before labeling
      Backends.create(backendSpec(), Credentials.fromEnvironment(), m -> { }).close();
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new PlumbException("cannot create the output folder " + out + ": " + e.getMessage(), e);
    }
    Progress progress = new Progress(err, terminal);
    try {
      Pipeline.Result r = new Pipeline(out, progress, createdBy).run(stages());
      Path report = out.resolve("report.html");
      int ran = (int) r.outcomes().stream().filter(o -> o.status() == Pipeline.Status.RAN).count();
      return new Summary(ran, r.outcomes().size() - ran, out,
          r.paused() == null && Files.isRegularFile(report) ? report : null, r.paused(), progress.elapsed());
    } finally {
      progress.close();
      classifiers.values().forEach(LocalClassifier::close);
      classifiers.clear();
    }
  }

  /** The stages this run file asks for, in order. */
  List<Stage> stages() {
    List<Stage> s = new ArrayList<>();
    Path units;
    if (run.input() instanceof RunFile.Generate g) {
      s.add(generate(g));
      units = out.resolve("units.jsonl");
      s.add(build(out.resolve("logs").resolve("units.yaml"), units));
    } else if (run.input() instanceof RunFile.UnitsConfig c) {
      units = out.resolve("units.jsonl");
      s.add(build(c.config(), units));
    } else {
      units = ((RunFile.UnitsFile) run.input()).units();
    }
    s.add(policiesStage());
    Path prompt = out.resolve("prompt.json");
    s.add(promptStage(prompt));
    Path frame = units;
    if (run.scoring().from().equals("local")) {
      frame = out.resolve("scored.jsonl");
      s.add(scoreStage(units, frame));
    }
    Path sample = out.resolve("sample.jsonl");
    s.add(sampleStage(frame, sample));
    Path labels = out.resolve("labels.jsonl");
    s.add(labelStage(sample, prompt, labels));
    if (run.review() != null) {
      Path queue = out.resolve("queue");
      s.add(queueStage(sample, labels, queue));
      List<Path> answers;
      if (run.review().answers() instanceof RunFile.Simulate sim) {
        Path a = out.resolve("answers.csv");
        s.add(simulateStage(sim, queue, a));
        answers = List.of(a);
      } else {
        answers = ((RunFile.Vendor) run.review().answers()).files();
        s.add(awaitStage(queue, answers));
      }
      Path gold = out.resolve("gold.jsonl");
      s.add(importStage(answers, queue, gold));
      s.add(reportStage(sample, labels, gold));
    }
    return s;
  }

  // ---------------------------------------------------------------- units

  private Stage generate(RunFile.Generate g) {
    Path logs = out.resolve("logs");
    return new Stage("generate") {
      @Override
      void describe(Key key) {
        key.config("interactions", g.interactions()).config("seed", g.seed()).config("days", g.days());
        if (g.reviewed() > 0) {
          key.config("reviewed", g.reviewed());
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(logs);
      }

      @Override
      String run(Context context) {
        context.detail("synthetic logging tables, " + String.format(Locale.ROOT, "%,d", g.interactions()) + " interactions");
        Path partial = out.resolve(".logs.partial");
        Inputs.delete(partial);
        invoke(null, null, "units", "generate", "--out", partial.toString(),
            "--interactions", Long.toString(g.interactions()), "--seed", Long.toString(g.seed()), "--days",
            Integer.toString(g.days()), "--reviewed", Long.toString(g.reviewed()));
        swap(partial, logs);
        return String.format(Locale.ROOT, "%,d interactions of synthetic logs with known truth%s -> %s",
            g.interactions(), g.reviewed() > 0 ? String.format(Locale.ROOT, ", texts of %,d past reviewed ones",
                g.reviewed()) : "", rel(logs));
      }
    };
  }

  private Stage build(Path unitsYaml, Path units) {
    return new Stage("units") {
      @Override
      void describe(Key key) {
        // the tables the config names are read by content through the folder they are in
        key.file("config", unitsYaml).file("tables", unitsYaml.toAbsolutePath().getParent());
      }

      @Override
      List<Path> outputs() {
        return List.of(units);
      }

      @Override
      String run(Context context) {
        context.detail("building units from " + rel(unitsYaml));
        invoke(null, null, "units", "build", "--config", unitsYaml.toString(), "--out", units.toString());
        return String.format(Locale.ROOT, "%,d units -> %s", lines(units), rel(units));
      }
    };
  }

  // ---------------------------------------------------------------- policies and prompt

  private List<Policy> policies() {
    if (policies == null) {
      library = PolicyLibrary.load(run.policies().dir());
      policies = library.select(run.policies().use());
    }
    return policies;
  }

  private Stage policiesStage() {
    return new Stage("policies") {
      @Override
      void describe(Key key) {
        key.file("library", run.policies().dir()).config("use", run.policies().use());
      }

      @Override
      List<Path> outputs() {
        return List.of();
      }

      @Override
      String run(Context context) {
        List<Policy> selected = policies();
        return "valid: " + String.join(", ", selected.stream().map(Policy::key).toList());
      }
    };
  }

  private ModelParams modelParams() {
    int cap = run.labeler().maxOutputTokens() != null ? run.labeler().maxOutputTokens()
        : LabelerConfig.defaultMaxOutputTokens(policies().size());
    try {
      return new ModelParams(ModelParams.DEFAULT.temperature(), cap);
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(run.source() + ": labeler.max_output_tokens: " + e.getMessage()));
    }
  }

  private PromptBundle bundle() {
    return PromptCompiler.compile(policies(), run.policies().prompts(), modelParams());
  }

  private Stage promptStage(Path prompt) {
    return new Stage("prompt") {
      @Override
      void describe(Key key) {
        policies().forEach(p -> key.input("policy " + p.key(), p.sha256()));
        key.file("templates", run.policies().prompts()).config("max_output_tokens", modelParams().maxOutputTokens());
      }

      @Override
      List<Path> outputs() {
        return List.of(prompt);
      }

      @Override
      String run(Context context) {
        PromptBundle b = bundle();
        AtomicOutput.write(prompt, b.json());
        return "prompt " + b.fingerprint().substring(0, 19) + "… for " + b.policies().size() + " policies";
      }
    };
  }

  // ---------------------------------------------------------------- score, sample, label

  private BackendSpec backendSpec() {
    RunFile.Labeler l = run.labeler();
    try {
      return new BackendSpec(l.backend(), l.provider(), l.model(), l.baseUrl(),
          Duration.ofMillis((long) (l.timeoutSeconds() * 1000)), l.concurrency());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(run.source() + ": labeler: " + e.getMessage()));
    }
  }

  /** The sampling design, read and checked; an inline one as if from {@code config/design.yaml}. */
  private DesignFile design() {
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

  /**
   * The local classifier trained on the policies' examples and {@code train} (null: none); one per
   * training data, shared by the stages that use the same. A classifier keys its saved models by the
   * training file's content and mappings, so an edited file retrains.
   */
  private LocalClassifier classifier(RunFile.Training train) {
    LocalClassifier c = classifiers.get(train);
    if (c == null) {
      c = LocalClassifier.builder().cacheDir(LocalClassifier.defaultCacheDir()).training(training(train)).build();
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
  private static void describeTraining(Stage.Key key, RunFile.Training train) {
    if (train != null) {
      key.file("train", train.file()).config("map", train.map());
    }
  }

  private Stage scoreStage(Path units, Path scored) {
    return new Stage("score") {
      @Override
      void describe(Key key) {
        key.file("units", units).config("batch", run.scoring().batch()).config("model", "local classifier");
        policies().forEach(p -> key.input("policy " + p.key(), p.sha256()));
        describeTraining(key, run.scoring().train());
      }

      @Override
      List<Path> outputs() {
        return List.of(scored);
      }

      @Override
      String run(Context context) {
        LocalClassifier c = classifier(run.scoring().train());
        for (Policy p : policies()) {
          context.detail("training or loading the " + p.key() + " model");
          c.prepare(p);
        }
        long total = lines(units);
        FrameScorer.Summary s = FrameScorer.score(units, scored, policies(), c, run.scoring().batch(),
            p -> context.detail(String.format(Locale.ROOT, "%,d/%,d units, %.0f components/s", p.units(), total,
                p.components() / Math.max(1e-9, p.seconds()))));
        return String.format(Locale.ROOT, "%,d units scored; %,d texts embedded, %,d from the cache",
            s.units(), s.embeddings().embedded(), s.embeddings().fromCache());
      }
    };
  }

  private Stage sampleStage(Path frame, Path sample) {
    return new Stage("sample") {
      @Override
      void describe(Key key) {
        key.file("frame", frame).input("design", run.sampling().design().fingerprint())
            .config("seed", run.sampling().seed());
      }

      @Override
      List<Path> outputs() {
        return List.of(sample, Sampler.manifestPath(sample));
      }

      @Override
      String run(Context context) {
        DesignFile design = design();
        run.sampling().design().materialize(config, "design");
        context.detail("drawing a " + design.design().type() + " sample");
        Sampler.Result r = Sampler.run(new Sampler.Request(frame, design.design(), run.sampling().seed(), sample, createdBy));
        return String.format(Locale.ROOT, "%s sample of %,d units from %,d (seed %d)", design.design().type(),
            r.sample().n(), r.sample().frameUnits(), run.sampling().seed());
      }
    };
  }

  private Stage labelStage(Path sample, Path prompt, Path labels) {
    RunFile.Labeler l = run.labeler();
    boolean local = l.backend().equals(LocalClassifier.BACKEND);
    return new Stage("label") {
      @Override
      void describe(Key key) {
        key.file("sample", sample).file("prompt", prompt)
            .config("backend", l.backend()).config("model", l.model()).config("provider", l.provider())
            .config("base_url", l.baseUrl()).config("images", l.images());
        if (local) {
          describeTraining(key, l.train());
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(labels);
      }

      @Override
      String run(Context context) {
        if (local) {
          // The stage runs because something it reads changed. The labeler resumes by (unit, policy,
          // prompt, model), and the local model's name does not change with its training data: start
          // afresh rather than keep labels of another classifier (relabeling locally takes seconds).
          Inputs.delete(labels);
          Inputs.delete(labels.resolveSibling(labels.getFileName().toString().replaceFirst("\\.jsonl$", "") + ".run.json"));
        }
        PromptBundle b = bundle();
        BackendSpec spec = local ? null : backendSpec();
        Notices notices = new Notices();
        PriceTable prices = l.prices() == null ? PriceTable.builtIn() : PriceTable.builtIn().overriddenBy(l.prices());
        // the local backend closes its classifier; the run closes the shared one itself at the end
        Backend backend = local ? Backends.local(classifier(l.train()), policies()) : Backends.create(spec, Credentials.fromEnvironment(), notices);
        // Ctrl-C: the labeler stops cleanly (compacts its file, writes labels.run.json) before the JVM exits
        CleanStop stop = new CleanStop().arm("plumb-run-interrupt");
        try {
          LabelerConfig cfg = LabelerConfig.builder()
              .units(sample).out(labels).prompt(LabelingPrompt.of(b, sample.toAbsolutePath().getParent()))
              .backend(backend).baseUrl(local ? null : spec.displayBaseUrl())
              .rpm(l.rpm()).tpm(l.tpm()).maxConcurrency(l.concurrency()).maxOutputTokens(b.modelParams().maxOutputTokens())
              .images(l.images()).budgetUsd(l.budgetUsd()).prices(prices)
              // no response cache for the local backend: its answers cost nothing, and its model name does
              // not change with the training data, so a cached answer could be another classifier's
              .cacheDir(local ? null : LocalClassifier.defaultCacheDir()).maxAttempts(l.maxAttempts())
              .setting("command", "plumb run " + run.source()).createdBy(createdBy)
              .listener(new ProgressListener() {
                @Override
                public void progress(dev.plumb.labeler.batch.Progress p) {
                  context.detail(String.format(Locale.ROOT, "%,d/%,d labels, %.0f/s%s", p.done() + p.resumed(),
                      p.total() + p.resumed(), p.labelsPerSecond(), p.costUsd() > 0
                          ? String.format(Locale.ROOT, ", $%.4f", p.costUsd()) : ""));
                }
              })
              .notices(notices).cancel(stop.flag()).build();
          RunSummary s = BatchLabeler.run(cfg);
          if (s.outcome() != RunSummary.Outcome.COMPLETE) {
            throw new PlumbException(s.message() + "\nresume with: plumb run " + run.source());
          }
          RunSummary.Counts c = s.counts();
          if (c.failed() > 0 || c.missing() > 0) {
            throw new PlumbException(c.failed() + " labels failed and " + c.missing() + " are missing (see "
                + s.runFile() + "); rerun plumb run " + run.source() + " to retry them");
          }
          return String.format(Locale.ROOT, "%,d labels (%,d invalid) by %s%s, %s", c.total(), c.invalid(), backend.name(),
              local ? "" : " " + l.model(), s.progress().costUsd() > 0
                  ? String.format(Locale.ROOT, "$%.4f", s.progress().costUsd()) : "no cost");
        } catch (IllegalArgumentException e) {
          throw new InputException(Problem.of(run.source() + ": labeler: " + e.getMessage()));
        } finally {
          stop.close();
          if (!local) {
            backend.close();
          }
        }
      }
    };
  }

  // ---------------------------------------------------------------- review, answers, gold, report

  private Stage queueStage(Path sample, Path labels, Path queue) {
    RunFile.Review r = run.review();
    return new Stage("queue") {
      @Override
      void describe(Key key) {
        key.file("sample", sample).file("labels", labels).input("design", r.design().fingerprint())
            .config("seed", r.seed()).config("show_llm", r.showLlm());
        if (r.raters() != null) {
          key.file("raters", r.raters());
        }
        if (r.honeypots() != null) {
          key.file("honeypots", r.honeypots());
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(queue);
      }

      @Override
      String run(Context context) {
        Path design = r.design().materialize(config, "review");
        Path partial = out.resolve(".queue.partial");
        Inputs.delete(partial);
        List<String> args = new ArrayList<>(List.of("queue", "export", "--sample", sample.toString(), "--labels",
            labels.toString(), "--gold-design", design.toString(), "--out", partial.toString(),
            "--policies", run.policies().dir().toString()));
        if (r.seed() != null) {
          args.addAll(List.of("--seed", Long.toString(r.seed())));
        }
        if (r.raters() != null) {
          args.addAll(List.of("--raters", r.raters().toString()));
        }
        if (r.honeypots() != null) {
          args.addAll(List.of("--honeypots", r.honeypots().toString()));
        }
        if (r.showLlm()) {
          args.add("--show-llm");
        }
        String said = invoke(r.design(), design, args.toArray(String[]::new));
        swap(partial, queue);
        return firstLine(said, "review queue -> " + rel(queue)).replace(partial.toString(), queue.toString());
      }
    };
  }

  private Stage simulateStage(RunFile.Simulate sim, Path queue, Path answers) {
    return new Stage("answers") {
      @Override
      void describe(Key key) {
        key.file("queue", queue).file("truth", truth.truthLabels()).input("panel", sim.panel().fingerprint())
            .config("seed", sim.seed());
      }

      @Override
      List<Path> outputs() {
        return List.of(answers);
      }

      @Override
      String run(Context context) {
        context.detail("a simulated rater panel answers the queue from the known truth");
        Path panel = sim.panel().materialize(config, "panel");
        List<String> args = new ArrayList<>(List.of("queue", "simulate", "--queue", queue.toString(), "--truth",
            truth.truthLabels().toString(), "--panel", panel.toString(), "--out", answers.toString()));
        if (sim.seed() != null) {
          args.addAll(List.of("--seed", Long.toString(sim.seed())));
        }
        String said = invoke(sim.panel(), panel, args.toArray(String[]::new));
        return firstLine(said, "simulated answers -> " + rel(answers));
      }
    };
  }

  private Stage awaitStage(Path queue, List<Path> answers) {
    return new Stage("answers") {
      @Override
      void describe(Key key) {
        key.file("queue", queue);
        answers.forEach(a -> key.file(a.toString(), a));
      }

      @Override
      List<Path> outputs() {
        return List.of();
      }

      @Override
      String run(Context context) {
        List<Path> missing = answers.stream().filter(a -> !Files.isRegularFile(a)).toList();
        if (!missing.isEmpty()) {
          throw new Stage.Paused("the review queue is ready in " + queue + "; send it to the reviewers and put"
              + " their answers at " + String.join(", ", missing.stream().map(Path::toString).toList())
              + ", then run the same command again to import them and write the report");
        }
        return answers.size() + " answers file" + (answers.size() == 1 ? "" : "s") + " from the vendor";
      }
    };
  }

  private Stage importStage(List<Path> answers, Path queue, Path gold) {
    RunFile.Review r = run.review();
    return new Stage("gold") {
      @Override
      void describe(Key key) {
        key.file("queue", queue).config("consensus", r.consensus());
        if (r.adjudicated() != null) {
          key.file("adjudicated", r.adjudicated());
        }
        for (int i = 0; i < answers.size(); i++) {
          key.file("answers " + i, answers.get(i));
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(gold, answersJsonl(gold));
      }

      @Override
      String run(Context context) {
        List<String> args = new ArrayList<>(List.of("queue", "import", "--answers"));
        answers.forEach(a -> args.add(a.toString()));
        args.addAll(List.of("--queue", queue.toString(), "--out", gold.toString(), "--consensus", r.consensus()));
        if (r.adjudicated() != null) {
          args.addAll(List.of("--adjudicated", r.adjudicated().toString()));
        }
        String said = invoke(null, null, args.toArray(String[]::new));
        return firstLine(said, String.format(Locale.ROOT, "%,d gold records -> %s", lines(gold), rel(gold)));
      }
    };
  }

  private Stage reportStage(Path sample, Path labels, Path gold) {
    Path json = out.resolve("report.json");
    Path md = out.resolve("report.md");
    Path html = out.resolve("report.html");
    return new Stage("report") {
      @Override
      void describe(Key key) {
        key.file("sample", sample).file("sample manifest", Sampler.manifestPath(sample)).file("labels", labels)
            .file("gold", gold).file("answers", answersJsonl(gold)).config("by", run.report().by())
            .config("interval", run.report().interval()).file("library", run.policies().dir());
        if (run.report().history() != null) {
          key.config("history", run.report().history().toString());
          key.config("period", String.valueOf(run.report().period()));
        }
        if (run.signoff() != null) {
          key.input("signoff", run.signoff().fingerprint());
        }
        if (truth.truth() != null) {
          key.file("truth", truth.truth());
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(json, md, html);
      }

      @Override
      String run(Context context) {
        context.detail("calibrating and writing the report");
        // the policy library gives every decision (a decision no label happens to use is still known)
        List<String> args = new ArrayList<>(List.of("calibrate", "--sample", sample.toString(), "--labels",
            labels.toString(), "--gold", gold.toString(), "--out", out.toString(),
            "--policies", run.policies().dir().toString(), "--interval", run.report().interval()));
        if (Files.isRegularFile(answersJsonl(gold))) {
          args.addAll(List.of("--answers", answersJsonl(gold).toString()));
        }
        Path signoff = null;
        if (run.signoff() != null) {
          signoff = run.signoff().materialize(config, "signoff");
          args.addAll(List.of("--signoff", signoff.toString()));
        }
        run.report().by().forEach(b -> args.addAll(List.of("--by", b)));
        if (truth.truth() != null && Files.isRegularFile(truth.truth())) {
          args.addAll(List.of("--truth", truth.truth().toString()));
        }
        if (run.report().history() != null) {
          args.addAll(List.of("--history", run.report().history().toString()));
          if (run.report().period() != null) {
            args.addAll(List.of("--period", run.report().period()));
          }
        }
        invoke(run.signoff(), signoff, args.toArray(String[]::new));
        return "report -> " + rel(html) + (run.report().history() != null ? ", recorded in " + rel(run.report().history()) : "");
      }
    };
  }

  // ---------------------------------------------------------------- helpers

  /** The raters' individual answers {@code queue import} writes beside the gold file. */
  private static Path answersJsonl(Path gold) {
    String name = gold.getFileName().toString();
    return gold.resolveSibling((name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + ".answers.jsonl");
  }

  /**
   * Runs {@code plumb args...} in-process with its output captured. Exit 2 becomes an
   * {@link InputException} with the command's lines (moved into the run file when they are about an
   * inline configuration); any other failure a {@link PlumbException} carrying what it printed.
   *
   * @return what the command printed on stdout
   */
  private String invoke(SubConfig sub, Path materialized, String... args) {
    String[] path = args.length > 1 && !args[1].startsWith("-") ? new String[] {args[0], args[1]} : new String[] {args[0]};
    if (!commands.has(path)) {
      throw new PlumbException("this build has no 'plumb " + String.join(" ", path) + "' command, which the run needs"
          + " for its " + String.join(" ", path) + " stage");
    }
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code;
    try (PrintWriter ow = new PrintWriter(o); PrintWriter ew = new PrintWriter(e)) {
      code = commands.run(ow, ew, args);
    }
    if (code == 0) {
      return o.toString();
    }
    String said = e.toString().strip();
    if (sub != null && materialized != null) {
      said = sub.relocate(said, materialized);
    }
    if (said.isEmpty()) {
      said = o.toString().strip();
    }
    String command = "plumb " + String.join(" ", path);
    if (code == 2) {
      List<Problem> problems = said.lines().filter(l -> !l.isBlank()).map(Problem::of).toList();
      throw new InputException(problems.isEmpty() ? List.of(Problem.of(command + ": bad input")) : problems);
    }
    throw new PlumbException(command + " failed (exit " + code + "): "
        + (said.startsWith("plumb: ") ? said.substring(7) : said));
  }

  /** Replaces {@code target} with the finished folder {@code partial} (a rename on one file system). */
  private static void swap(Path partial, Path target) {
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

  private String rel(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  private static long lines(Path file) {
    try (Stream<String> s = Files.lines(file)) {
      return s.filter(l -> !l.isBlank()).count();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  private static String firstLine(String text, String fallback) {
    return text.lines().filter(l -> !l.isBlank()).findFirst().orElse(fallback).strip();
  }
}
