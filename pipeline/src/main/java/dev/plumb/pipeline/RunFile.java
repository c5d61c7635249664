package dev.plumb.pipeline;

import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Problem;
import dev.plumb.labeler.batch.LabelingSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run file ({@code run.yaml}): everything {@code plumb run} needs to measure prevalence end to
 * end. docs/run.md lists every field. Relative paths are relative to the run file's folder.
 *
 * @param source the run file as the user named it (for messages)
 * @param output the output folder
 */
public record RunFile(
    String source,
    String name,
    Path output,
    Input input,
    Policies policies,
    Scoring scoring,
    Sampling sampling,
    Labeler labeler,
    Review review,
    SubConfig signoff,
    Report report) {

  /** Where the units come from. */
  public sealed interface Input permits Generate, UnitsConfig, UnitsFile {}

  /** Synthetic logging tables made by {@code plumb units generate} (demo), then built into units. */
  /** @param reviewed past interactions whose texts go to {@code logs/reviewed.jsonl} (0: none) */
  public record Generate(long interactions, long seed, int days, long reviewed) implements Input {}

  /** Logging tables mapped by a {@code units.yaml}, built into units by {@code plumb units build}. */
  public record UnitsConfig(Path config) implements Input {}

  /** A ready units file (JSON Lines). */
  public record UnitsFile(Path units) implements Input {}

  /**
   * @param truth known prevalence per policy ({@code truth.json}; synthetic data only), or null
   * @param truthLabels known decision per unit and policy ({@code truth.jsonl}), or null
   */
  public record Truth(Path truth, Path truthLabels) {}

  public record Policies(Path dir, Path prompts, List<String> use) {}

  /**
   * {@code from}: local (the offline classifier), logs (scores already in the units), none.
   *
   * @param train a labeled training file for the local classifier, or null (the policies' examples only)
   */
  public record Scoring(String from, int batch, Training train) {}

  /**
   * A labeled training file for the local classifier besides the policies' examples (as
   * {@code plumb score --train FILE --map KEY=POLICY[:CATEGORY]}, docs/local-backend.md).
   *
   * @param map the mappings, each {@code KEY=POLICY[:CATEGORY]} ({@code KEY} alone means {@code KEY=KEY})
   */
  public record Training(Path file, List<String> map) {
    public Training {
      map = List.copyOf(map);
    }
  }

  public record Sampling(SubConfig design, long seed) {}

  /** @param train with the local backend: a labeled training file, or null */
  public record Labeler(
      String backend, String model, String provider, String baseUrl, double rpm, double tpm, int concurrency,
      Integer maxOutputTokens, boolean images, Double budgetUsd, Path prices, double timeoutSeconds, int maxAttempts,
      Training train) {}

  /** How human answers arrive: a simulated panel answering from the truth, or a vendor's files. */
  public sealed interface Answers permits Simulate, Vendor {}

  public record Simulate(SubConfig panel, Long seed) implements Answers {}

  public record Vendor(List<Path> files) implements Answers {}

  public record Review(
      SubConfig design, Long seed, Path raters, Path honeypots, boolean showLlm, String consensus, Path adjudicated,
      Answers answers) {}

  /**
   * @param history the history database each calibrated run is recorded into, or null
   * @param period the period recorded (a day or week); null = calibrate's default
   * @param interval calibrate's {@code --interval} (korn-graubard, logit, wilson, wald or mover-wilson)
   */
  public record Report(List<String> by, boolean strict, Path history, String period, String interval) {}

  private static final java.util.regex.Pattern MAPPING =
      java.util.regex.Pattern.compile("[^=\\s]+(=[a-z][a-z0-9_]*(:[^\\s]+)?)?");

  /** {@code train:} and {@code map:} of a section, or null without {@code train:}. */
  private static Training training(Fields f, Path base) {
    String file = f.string("train", null);
    List<String> map = f.strings("map");
    if (file == null) {
      if (f.has("map")) {
        f.problem("map", "applies to train:, which is not given");
      }
      return null;
    }
    if (!f.has("map")) {
      f.problemHere("map", "required with train: the file's label keys and the policies they label, e.g. [SH=self_harm]");
      return null;
    }
    List<String> mappings = new ArrayList<>();
    for (String m : map) {
      if (!MAPPING.matcher(m).matches()) {
        f.problem("map", "\"" + m + "\" is not KEY=POLICY, KEY=POLICY:CATEGORY or KEY (= KEY=KEY)");
      }
      mappings.add(m.contains("=") ? m : m + "=" + m);
    }
    return new Training(base.resolve(file).normalize(), mappings);
  }

  static final String[] TOP = {"name", "output", "input", "policies", "scoring", "sampling", "labeler", "review",
      "signoff", "report"};

  /** Reads and checks a run file; every problem names its line, column and field. */
  public static Parsed read(Path path) {
    String source = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException(Problem.of(source + ": invalid UTF-8; save the file as UTF-8"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    Path base = path.toAbsolutePath().getParent();
    return parse(text, source, base);
  }

  /** A parsed run file and the truth files it names, or those {@code units generate} writes. */
  public record Parsed(RunFile run, Truth truth) {}

  /** Parses run-file YAML; {@code base} resolves relative paths. */
  public static Parsed parse(String text, String source, Path base) {
    LocatedYaml.Node root = LocatedYaml.parse(text, source, Fields.RUN_FILE).root();
    if (root == null) {
      throw new InputException(Problem.of(source + ": empty run file; it needs at least output:, input:, sampling:"));
    }
    List<Problem> problems = new ArrayList<>();
    Fields top = Fields.of(root, source, problems, "a mapping of run settings (output:, input:, ...)");
    if (top == null) {
      throw new InputException(problems);
    }
    List<String> lines = text.lines().toList();
    top.only(TOP);
    String name = top.string("name", null);
    String out = top.required("output");
    Path output = out == null ? null : base.resolve(out).normalize();

    // input
    Input input = null;
    Path truthFile = null;
    Path truthLabels = null;
    Fields in = top.object("input", "a mapping (generate:, units_config: or units:)");
    if (in == null) {
      if (!top.has("input")) {
        top.problemHere("input", "required (generate:, units_config: or units:)");
      }
    } else {
      in.only("generate", "units_config", "units", "truth", "truth_labels");
      int given = (in.has("generate") ? 1 : 0) + (in.has("units_config") ? 1 : 0) + (in.has("units") ? 1 : 0);
      if (given != 1) {
        in.problemHere("", given == 0 ? "needs one of generate:, units_config:, units:"
            : "give only one of generate:, units_config:, units:");
      }
      if (in.has("generate")) {
        Fields g = in.object("generate", "a mapping (interactions:, seed:)");
        if (g != null) {
          g.only("interactions", "seed", "days", "reviewed");
          Long reviewed = g.integer("reviewed", 0L, 0, 10_000_000);
          Long days = g.integer("days", 1L, 1, 366);
          Long n = g.integer("interactions", 12_000L, 1, 100_000_000);
          Long seed = g.integer("seed", null, Long.MIN_VALUE, Long.MAX_VALUE);
          if (!g.has("seed")) {
            g.problemHere("seed", "required (the same seed regenerates the same logs)");
          }
          input = n == null || seed == null ? null : new Generate(n, seed, days.intValue(), reviewed);
          if (output != null) {
            truthFile = output.resolve("logs").resolve("truth.json");
            truthLabels = output.resolve("logs").resolve("truth.jsonl");
          }
        }
      } else if (in.has("units_config")) {
        String f = in.string("units_config", null);
        input = f == null ? null : new UnitsConfig(base.resolve(f).normalize());
      } else if (in.has("units")) {
        String f = in.string("units", null);
        input = f == null ? null : new UnitsFile(base.resolve(f).normalize());
      }
      String t = in.string("truth", null);
      if (t != null) {
        truthFile = base.resolve(t).normalize();
      }
      String tl = in.string("truth_labels", null);
      if (tl != null) {
        truthLabels = base.resolve(tl).normalize();
      }
    }

    // policies
    Policies policies = new Policies(base.resolve("policies").normalize(), base.resolve("prompts").normalize(), List.of());
    Fields pol = top.object("policies", "a mapping (dir:, prompts:, use:)");
    if (pol != null) {
      pol.only("dir", "prompts", "use");
      policies = new Policies(base.resolve(pol.string("dir", "policies")).normalize(),
          base.resolve(pol.string("prompts", "prompts")).normalize(), pol.strings("use"));
    }

    // scoring
    Scoring scoring = new Scoring("local", 256, null);
    Fields sc = top.object("scoring", "a mapping (from:, batch:, train:, map:)");
    if (sc != null) {
      sc.only("from", "batch", "train", "map");
      String from = sc.choice("from", "local", "local", "logs", "none");
      Training train = training(sc, base);
      if (train != null && !from.equals("local")) {
        sc.problem("train", "trains the local classifier, which scores only with from: local");
      }
      scoring = new Scoring(from, sc.integer("batch", 256L, 1, 100_000).intValue(), train);
    }

    // sampling
    Sampling sampling = null;
    Fields sa = top.object("sampling", "a mapping (design:, seed:)");
    if (sa == null) {
      if (!top.has("sampling")) {
        top.problemHere("sampling", "required (design:, seed:)");
      }
    } else {
      sa.only("design", "seed");
      Long seed = sa.integer("seed", null, Long.MIN_VALUE, Long.MAX_VALUE);
      if (!sa.has("seed")) {
        sa.problemHere("seed", "required (the same seed draws the same sample, and lets a rerun skip the stage)");
      }
      SubConfig design = null;
      if (!sa.has("design")) {
        sa.problemHere("design", "required: a design file, or the design written inline (type:, n:, ...)");
      } else {
        design = SubConfig.of(sa.node("design"), "sampling.design", base, lines, source, problems);
      }
      sampling = design == null || seed == null ? null : new Sampling(design, seed);
    }

    // labeler (the defaults but the backend are the labeling session's)
    Labeler labeler = new Labeler("local", null, null, null, 0, 0, LabelingSession.DEFAULT_CONCURRENCY, null, true, null,
        null, LabelingSession.DEFAULT_TIMEOUT_SECONDS, LabelingSession.DEFAULT_MAX_ATTEMPTS, null);
    Fields lb = top.object("labeler", "a mapping (backend:, model:, ...)");
    if (lb != null) {
      lb.only("backend", "model", "provider", "base_url", "rpm", "tpm", "concurrency", "max_output_tokens",
          "images", "budget_usd", "prices", "timeout_seconds", "max_attempts", "train", "map");
      String backend = lb.choice("backend", "local", "local", "openai", "langchain4j");
      Training train = training(lb, base);
      if (train != null && !backend.equals("local")) {
        lb.problem("train", "trains the local classifier; backend " + backend + " takes no training file");
      }
      String model = lb.string("model", null);
      if (backend.equals("local")) {
        for (String f : List.of("model", "provider", "base_url")) {
          if (lb.has(f)) {
            lb.problem(f, "the local backend takes no " + f + " (it is the offline classifier)");
          }
        }
      } else if (model == null) {
        lb.problemHere("model", "required with backend " + backend);
      }
      String prices = lb.string("prices", null);
      Long maxOut = lb.integer("max_output_tokens", null, 1, 1_000_000);
      labeler = new Labeler(backend, model, lb.string("provider", null), lb.string("base_url", null),
          lb.number("rpm", 0.0, 0, Double.MAX_VALUE), lb.number("tpm", 0.0, 0, Double.MAX_VALUE),
          lb.integer("concurrency", (long) LabelingSession.DEFAULT_CONCURRENCY, 1, 10_000).intValue(), maxOut == null ? null : maxOut.intValue(),
          lb.bool("images", true), lb.number("budget_usd", null, 0, Double.MAX_VALUE),
          prices == null ? null : base.resolve(prices).normalize(),
          lb.number("timeout_seconds", (double) LabelingSession.DEFAULT_TIMEOUT_SECONDS, 0.001, 86_400),
          lb.integer("max_attempts", (long) LabelingSession.DEFAULT_MAX_ATTEMPTS, 1, 100).intValue(),
          train);
    }

    // review
    Review review = null;
    Fields rv = top.object("review", "a mapping (design:, answers:, ...)");
    if (rv != null) {
      rv.only("design", "seed", "raters", "honeypots", "show_llm", "consensus", "adjudicated", "answers");
      String adjudicated = rv.string("adjudicated", null);
      SubConfig design = null;
      if (!rv.has("design")) {
        rv.problemHere("design", "required: the gold design file, or the design written inline");
      } else {
        design = SubConfig.of(rv.node("design"), "review.design", base, lines, source, problems);
      }
      Long seed = rv.integer("seed", null, Long.MIN_VALUE, Long.MAX_VALUE);
      String raters = rv.string("raters", null);
      String honeypots = rv.string("honeypots", null);
      Answers answers = null;
      Fields an = rv.object("answers", "a mapping (simulate: or files:)");
      if (an == null) {
        if (!rv.has("answers")) {
          rv.problemHere("answers", "required: simulate: (a seeded rater panel) or files: (the vendor's answers)");
        }
      } else {
        an.only("simulate", "files");
        if (an.has("simulate") == an.has("files")) {
          an.problemHere("", "needs exactly one of simulate: or files:");
        } else if (an.has("simulate")) {
          Fields si = an.object("simulate", "a mapping (panel:, seed:)");
          if (si != null) {
            si.only("panel", "seed");
            Long s = si.integer("seed", null, Long.MIN_VALUE, Long.MAX_VALUE);
            if (!si.has("panel")) {
              si.problemHere("panel", "required: a panel file, or the panel written inline");
            } else {
              SubConfig panel = SubConfig.of(si.node("panel"), "review.answers.simulate.panel", base, lines, source,
                  problems);
              answers = panel == null ? null : new Simulate(panel, s);
            }
          }
        } else {
          List<String> files = an.strings("files");
          if (files.isEmpty()) {
            an.problem("files", "needs at least one answers file");
          }
          answers = new Vendor(files.stream().map(f -> base.resolve(f).normalize()).toList());
        }
      }
      review = new Review(design, seed, raters == null ? null : base.resolve(raters).normalize(),
          honeypots == null ? null : base.resolve(honeypots).normalize(), rv.bool("show_llm", false),
          rv.choice("consensus", "majority", "majority", "dawid-skene", "error-model"),
          adjudicated == null ? null : base.resolve(adjudicated).normalize(), answers);
    }

    SubConfig signoff = top.has("signoff")
        ? SubConfig.of(top.node("signoff"), "signoff", base, lines, source, problems) : null;

    Report report = new Report(List.of(), false, null, null, "korn-graubard");
    Fields rp = top.object("report", "a mapping (by:, strict:, history:, period:, interval:)");
    if (rp != null) {
      rp.only("by", "strict", "history", "period", "interval");
      String history = rp.string("history", null);
      String period = rp.string("period", null);
      if (period != null && history == null) {
        rp.problem("period", "applies to report.history, which is not given");
      }
      report = new Report(rp.strings("by"), rp.bool("strict", false),
          history == null ? null : base.resolve(history).normalize(), period,
          rp.choice("interval", "korn-graubard", "korn-graubard", "logit", "wilson", "wald", "mover-wilson"));
    }
    if (review != null && review.answers() instanceof Simulate && truthLabels == null && input != null) {
      top.problemHere("input.truth_labels",
          "a simulated panel answers from the known truth: name the truth.jsonl (or use input.generate)");
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new Parsed(
        new RunFile(source, name, output, input, policies, scoring, sampling, labeler, review, signoff, report),
        new Truth(truthFile, truthLabels));
  }
}
