package dev.plumb.pipeline;

import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.LowerCaseId;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.profile.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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

  /**
   * @param train with the local backend: a labeled training file, or null
   * @param batch label through the provider's Batch API: the stage submits, then picks up on a later run
   * @param profile the model profile (docs/labeler.md, "Model profiles"): {@code plumb} by default
   * @param scores score every ok label from the model's token log-probabilities
   */
  public record Labeler(
      String backend, String model, String provider, String baseUrl, double rpm, double tpm, int concurrency,
      Integer maxOutputTokens, boolean images, Double budgetUsd, Path prices, double timeoutSeconds, int maxAttempts,
      Training train, boolean promptCache, boolean batch, Profile.Choice profile, boolean scores) {
    public Labeler {
      profile = profile == null ? Profile.Choice.DEFAULT : profile;
    }

    /** A labeler with plumb's own prompt and no scores. */
    public Labeler(
        String backend, String model, String provider, String baseUrl, double rpm, double tpm, int concurrency,
        Integer maxOutputTokens, boolean images, Double budgetUsd, Path prices, double timeoutSeconds, int maxAttempts,
        Training train, boolean promptCache, boolean batch) {
      this(backend, model, provider, baseUrl, rpm, tpm, concurrency, maxOutputTokens, images, budgetUsd, prices,
          timeoutSeconds, maxAttempts, train, promptCache, batch, Profile.Choice.DEFAULT, false);
    }

    /** A labeler that asks for the provider's prompt caching (the default) and labels synchronously. */
    public Labeler(
        String backend, String model, String provider, String baseUrl, double rpm, double tpm, int concurrency,
        Integer maxOutputTokens, boolean images, Double budgetUsd, Path prices, double timeoutSeconds, int maxAttempts,
        Training train) {
      this(backend, model, provider, baseUrl, rpm, tpm, concurrency, maxOutputTokens, images, budgetUsd, prices,
          timeoutSeconds, maxAttempts, train, true, false);
    }
  }

  /** How human answers arrive: a simulated panel answering from the truth, or a vendor's files. */
  public sealed interface Answers permits Simulate, Vendor {}

  public record Simulate(SubConfig panel, Long seed) implements Answers {}

  public record Vendor(List<Path> files) implements Answers {}

  /**
   * @param labelStudioImages how the queue's Label Studio files carry images ({@code
   *     label_studio_images: slots | list}, default slots; docs/review.md, "Label Studio setup")
   */
  public record Review(
      SubConfig design, Long seed, Path raters, Path honeypots, boolean showLlm, String consensus, Path adjudicated,
      Answers answers, dev.plumb.calibration.queue.LabelStudioImages labelStudioImages, String pilot) {}

  /** {@code report.interval} when not given: calibrate's default (docs/calibration.md, "The default interval"). */
  public static final String DEFAULT_INTERVAL = "kg-gamma";

  /** {@code review.pilot: previous}: the previous recorded run's review is the allocation's pilot ({@link HistoryPilot}). */
  public static final String PILOT_PREVIOUS = "previous";

  /**
   * @param history the history database each calibrated run is recorded into, or null
   * @param period the period recorded (a day or week); null = calibrate's default
   * @param interval calibrate's {@code --interval} (korn-graubard, logit, wilson, wald, mover-wilson, gamma or kg-gamma;
   *     kg-gamma when not given, as calibrate's default)
   * @param recalibrateScores calibrate's {@code --recalibrate-scores}: fit the labels' scores to gold and
   *     write {@code score-map.<policy>.json} beside the report; null = no fit (needs {@code labeler.scores})
   * @param scoreFloor calibrate's {@code --[no-]score-floor}: human-only's guarded score floor, true when not given
   */
  public record Report(List<String> by, boolean strict, Path history, String period, String interval,
      dev.plumb.calibration.scores.Recalibration recalibrateScores, boolean scoreFloor) {}

  /**
   * {@code report.recalibrate_scores}: isotonic or platt, and only when the labels carry scores
   * ({@code labeler.scores: true}; the local classifier's labels never do).
   */
  private static dev.plumb.calibration.scores.Recalibration recalibration(YamlFields rp, Labeler labeler) {
    String method = rp.choice("recalibrate_scores", false,
        LowerCaseId.ids(dev.plumb.calibration.scores.Recalibration.values()));
    if (method == null) {
      return null;
    }
    if (!labeler.scores()) {
      rp.problem("recalibrate_scores", "needs scores on the labels: set labeler.scores: true (an LLM backend whose"
          + " server returns log-probabilities)");
    }
    return dev.plumb.calibration.scores.Recalibration.parse(method);
  }

  /** {@code labeler.scores}: only for an LLM backend (the local classifier's answers have no log-probabilities). */
  private static boolean scores(YamlFields lb, String backend) {
    boolean scores = or(lb.bool("scores", false), false);
    if (scores && backend.equals("local")) {
      lb.problem("scores", "the local backend gives no log-probabilities; scores are for an LLM backend");
    }
    return scores;
  }

  /** {@code labeler.profile}: one plumb knows, and only for an LLM backend (the local classifier answers in plumb's format). */
  private static Profile.Choice profile(YamlFields lb, String backend) {
    String name = lb.string("profile", false);
    if (name == null) {
      return Profile.Choice.DEFAULT;
    }
    try {
      Profile.Choice c = Profile.parse(name);
      if (backend.equals("local") && !c.equals(Profile.Choice.DEFAULT)) {
        lb.problem("profile", "the local backend answers in plumb's own format; a profile is for an LLM backend");
      }
      return c;
    } catch (IllegalArgumentException e) {
      lb.problem("profile", e.getMessage());
      return Profile.Choice.DEFAULT;
    }
  }

  /** {@code labeler.batch}: only where plumb has a batch endpoint (docs/labeler.md, "Batch mode"). */
  private static boolean batch(YamlFields lb, String backend) {
    boolean batch = or(lb.bool("batch", false), false);
    if (batch) {
      BatchLabeler.batchRefusal(backend, lb.string("provider", false)).ifPresent(why -> lb.problem("batch", why));
    }
    return batch;
  }

  private static final java.util.regex.Pattern MAPPING =
      java.util.regex.Pattern.compile("[^=\\s]+(=[a-z][a-z0-9_]*(:[^\\s]+)?)?");

  /** The run file's YAML: a key written twice says where the first one is. */
  private static final LocatedYaml.Kind RUN_FILE =
      LocatedYaml.Kind.of("run file").withDuplicateKey("written twice (first at line %d)");

  /** {@code train:} and {@code map:} of a section, or null without {@code train:}. */
  private static Training training(YamlFields f, Path base) {
    String file = f.string("train", false);
    List<String> map = names(f, "map");
    if (file == null) {
      if (f.has("map")) {
        f.problem("map", "applies to train:, which is not given");
      }
      return null;
    }
    if (!f.has("map")) {
      f.problemHere("map", "missing; train: needs the file's label keys and the policies they label, e.g. [SH=self_harm]");
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

  static final List<String> TOP = List.of("name", "output", "input", "policies", "scoring", "sampling", "labeler",
      "review", "signoff", "report");

  /** Reports every key of {@code f} not in {@code allowed}, at the key, with the one suggestion policy. */
  private static void only(YamlFields f, String... allowed) {
    List<String> names = List.of(allowed);
    f.only(names, (key, suggestion) -> "unknown field"
        + (suggestion.isPresent() ? YamlFields.hint(suggestion) : "; expected one of " + String.join(", ", names)));
  }

  /** The mapping under {@code key}, or null when not given or (a problem) not a mapping. */
  private static YamlFields section(YamlFields f, String key, String expected, Consumer<Problem> sink) {
    return f.has(key) ? YamlFields.of(f.node(key), f.source(), sink, expected) : null;
  }

  /** As {@link #section}, for a section the run needs: not given is the problem {@code missing <why>}. */
  private static YamlFields required(YamlFields f, String key, String expected, String why, Consumer<Problem> sink) {
    if (!f.has(key)) {
      f.problemHere(key, "missing" + why);
    }
    return section(f, key, expected, sink);
  }

  /** A name or a list of names (a single string is a list of one); a name listed twice is a problem. */
  private static List<String> names(YamlFields f, String key) {
    Node n = f.node(key);
    List<String> out = n instanceof Scalar s && s.isString() ? f.names(key) : f.strings(key);
    if (out == null) {
      return List.of();
    }
    if (n instanceof SeqNode seq) {
      Set<String> seen = new HashSet<>();
      for (Node item : seq.items()) {
        if (item instanceof Scalar s && s.isString() && !s.text().isBlank() && !seen.add(s.text().strip())) {
          f.problemAt(item, "\"" + s.text().strip() + "\" is listed twice");
        }
      }
    }
    return out;
  }

  private static <T> T or(T value, T dflt) {
    return value == null ? dflt : value;
  }

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
    return parse(text, source, base, true);
  }

  /** A parsed run file and the truth files it names, or those {@code units generate} writes. */
  public record Parsed(RunFile run, Truth truth) {}

  /**
   * Parses run-file YAML; {@code base} resolves relative paths. Only the run file's own fields are
   * checked; {@link #read} also checks what they name ({@link RunFileCheck}).
   */
  public static Parsed parse(String text, String source, Path base) {
    return parse(text, source, base, false);
  }

  /** @param references also read the configurations, the policy library and the input files named */
  private static Parsed parse(String text, String source, Path base, boolean references) {
    LocatedYaml.Node root = LocatedYaml.parse(text, source, RUN_FILE).root();
    if (root == null) {
      throw new InputException(Problem.of(source + ": empty run file; it needs at least output:, input:, sampling:"));
    }
    List<Problem> problems = new ArrayList<>();
    Consumer<Problem> sink = YamlFields.collect(problems);
    YamlFields top = YamlFields.of(root, source, sink, "a mapping of run settings (output:, input:, ...)");
    if (top == null) {
      throw new InputException(problems);
    }
    List<String> lines = text.lines().toList();
    only(top, TOP.toArray(String[]::new));
    String name = top.string("name", false);
    String out = top.string("output", true);
    Path output = out == null ? null : base.resolve(out).normalize();

    // input
    Input input = null;
    Path truthFile = null;
    Path truthLabels = null;
    YamlFields in = required(top, "input", "a mapping (generate:, units_config: or units:)",
        " (generate:, units_config: or units:)", sink);
    if (in != null) {
      only(in, "generate", "units_config", "units", "truth", "truth_labels");
      int given = (in.has("generate") ? 1 : 0) + (in.has("units_config") ? 1 : 0) + (in.has("units") ? 1 : 0);
      if (given != 1) {
        in.problemHere("", given == 0 ? "needs one of generate:, units_config:, units:"
            : "give only one of generate:, units_config:, units:");
      }
      if (in.has("generate")) {
        YamlFields g = section(in, "generate", "a mapping (interactions:, seed:)", sink);
        if (g != null) {
          only(g, "interactions", "seed", "days", "reviewed");
          long reviewed = or(g.integer("reviewed", false, 0, 10_000_000), 0L);
          long days = or(g.integer("days", false, 1, 366), 1L);
          long n = or(g.integer("interactions", false, 1, 100_000_000), 12_000L);
          Long seed = g.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
          if (!g.has("seed")) {
            g.problemHere("seed", "missing; the same seed regenerates the same logs");
          }
          input = seed == null ? null : new Generate(n, seed, (int) days, reviewed);
          if (output != null) {
            truthFile = output.resolve("logs").resolve("truth.json");
            truthLabels = output.resolve("logs").resolve("truth.jsonl");
          }
        }
      } else if (in.has("units_config")) {
        String f = in.string("units_config", false);
        input = f == null ? null : new UnitsConfig(base.resolve(f).normalize());
      } else if (in.has("units")) {
        String f = in.string("units", false);
        input = f == null ? null : new UnitsFile(base.resolve(f).normalize());
      }
      String t = in.string("truth", false);
      if (t != null) {
        truthFile = base.resolve(t).normalize();
      }
      String tl = in.string("truth_labels", false);
      if (tl != null) {
        truthLabels = base.resolve(tl).normalize();
      }
    }

    // policies
    Policies policies = new Policies(base.resolve("policies").normalize(), base.resolve("prompts").normalize(), List.of());
    YamlFields pol = section(top, "policies", "a mapping (dir:, prompts:, use:)", sink);
    if (pol != null) {
      only(pol, "dir", "prompts", "use");
      policies = new Policies(base.resolve(or(pol.string("dir", false), "policies")).normalize(),
          base.resolve(or(pol.string("prompts", false), "prompts")).normalize(), names(pol, "use"));
    }

    // scoring
    Scoring scoring = new Scoring("local", 256, null);
    YamlFields sc = section(top, "scoring", "a mapping (from:, batch:, train:, map:)", sink);
    if (sc != null) {
      only(sc, "from", "batch", "train", "map");
      String from = or(sc.choice("from", false, List.of("local", "logs", "none")), "local");
      Training train = training(sc, base);
      if (train != null && !from.equals("local")) {
        sc.problem("train", "trains the local classifier, which scores only with from: local");
      }
      scoring = new Scoring(from, or(sc.integer("batch", false, 1, 100_000), 256L).intValue(), train);
    }

    // sampling
    Sampling sampling = null;
    YamlFields sa = required(top, "sampling", "a mapping (design:, seed:)", " (design:, seed:)", sink);
    if (sa != null) {
      only(sa, "design", "seed");
      Long seed = sa.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
      if (!sa.has("seed")) {
        sa.problemHere("seed", "missing; the same seed draws the same sample, and lets a rerun skip the stage");
      }
      SubConfig design = null;
      if (!sa.has("design")) {
        sa.problemHere("design", "missing; a design file, or the design written inline (type:, n:, ...)");
      } else {
        design = SubConfig.of(sa.node("design"), "sampling.design", base, lines, source, problems);
      }
      sampling = design == null || seed == null ? null : new Sampling(design, seed);
    }

    // labeler (the defaults but the backend are the labeling session's)
    Labeler labeler = new Labeler("local", null, null, null, 0, 0, LabelingSession.DEFAULT_CONCURRENCY, null, true, null,
        null, LabelingSession.DEFAULT_TIMEOUT_SECONDS, LabelingSession.DEFAULT_MAX_ATTEMPTS, null, true, false);
    YamlFields lb = section(top, "labeler", "a mapping (backend:, model:, ...)", sink);
    if (lb != null) {
      only(lb, "backend", "model", "provider", "base_url", "rpm", "tpm", "concurrency", "max_output_tokens",
          "images", "budget_usd", "prices", "timeout_seconds", "max_attempts", "train", "map", "prompt_cache", "batch",
          "profile", "scores");
      String backend = or(lb.choice("backend", false, List.of("local", "openai", "langchain4j")), "local");
      Training train = training(lb, base);
      if (train != null && !backend.equals("local")) {
        lb.problem("train", "trains the local classifier; backend " + backend + " takes no training file");
      }
      String model = lb.string("model", false);
      if (backend.equals("local")) {
        for (String f : List.of("model", "provider", "base_url")) {
          if (lb.has(f)) {
            lb.problem(f, "the local backend takes no " + f + " (it is the offline classifier)");
          }
        }
      } else if (model == null) {
        lb.problemHere("model", "missing; backend " + backend + " needs a model");
      }
      String prices = lb.string("prices", false);
      Long maxOut = lb.integer("max_output_tokens", false, 1, 1_000_000);
      labeler = new Labeler(backend, model, lb.string("provider", false), lb.string("base_url", false),
          or(lb.number("rpm", false, 0, Double.MAX_VALUE), 0.0), or(lb.number("tpm", false, 0, Double.MAX_VALUE), 0.0),
          or(lb.integer("concurrency", false, 1, 10_000), (long) LabelingSession.DEFAULT_CONCURRENCY).intValue(),
          maxOut == null ? null : maxOut.intValue(),
          or(lb.bool("images", false), true), lb.number("budget_usd", false, 0, Double.MAX_VALUE),
          prices == null ? null : base.resolve(prices).normalize(),
          or(lb.number("timeout_seconds", false, 0.001, 86_400), (double) LabelingSession.DEFAULT_TIMEOUT_SECONDS),
          or(lb.integer("max_attempts", false, 1, 100), (long) LabelingSession.DEFAULT_MAX_ATTEMPTS).intValue(),
          train, or(lb.bool("prompt_cache", false), true), batch(lb, backend), profile(lb, backend),
          scores(lb, backend));
    }

    // review
    Review review = null;
    YamlFields rv = section(top, "review", "a mapping (design:, answers:, ...)", sink);
    if (rv != null) {
      only(rv, "design", "seed", "raters", "honeypots", "show_llm", "consensus", "adjudicated", "answers",
          "label_studio_images", "pilot");
      String images = rv.choice("label_studio_images", false, List.of("list", "slots"));
      String adjudicated = rv.string("adjudicated", false);
      SubConfig design = null;
      if (!rv.has("design")) {
        rv.problemHere("design", "missing; the gold design file, or the design written inline");
      } else {
        design = SubConfig.of(rv.node("design"), "review.design", base, lines, source, problems);
      }
      Long seed = rv.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
      String raters = rv.string("raters", false);
      String honeypots = rv.string("honeypots", false);
      Answers answers = null;
      YamlFields an = required(rv, "answers", "a mapping (simulate: or files:)",
          "; simulate: (a seeded rater panel) or files: (the vendor's answers)", sink);
      if (an != null) {
        only(an, "simulate", "files");
        if (an.has("simulate") == an.has("files")) {
          an.problemHere("", "needs exactly one of simulate: or files:");
        } else if (an.has("simulate")) {
          YamlFields si = section(an, "simulate", "a mapping (panel:, seed:)", sink);
          if (si != null) {
            only(si, "panel", "seed");
            Long s = si.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
            if (!si.has("panel")) {
              si.problemHere("panel", "missing; a panel file, or the panel written inline");
            } else {
              SubConfig panel = SubConfig.of(si.node("panel"), "review.answers.simulate.panel", base, lines, source,
                  problems);
              answers = panel == null ? null : new Simulate(panel, s);
            }
          }
        } else {
          List<String> files = names(an, "files");
          if (files.isEmpty()) {
            an.problem("files", "needs at least one answers file");
          }
          answers = new Vendor(files.stream().map(f -> base.resolve(f).normalize()).toList());
        }
      }
      review = new Review(design, seed, raters == null ? null : base.resolve(raters).normalize(),
          honeypots == null ? null : base.resolve(honeypots).normalize(), or(rv.bool("show_llm", false), false),
          or(rv.choice("consensus", false, List.of("majority", "dawid-skene", "error-model")), "majority"),
          adjudicated == null ? null : base.resolve(adjudicated).normalize(), answers,
          dev.plumb.calibration.queue.LabelStudioImages.parse(or(images, "slots")),
          rv.choice("pilot", false, List.of(PILOT_PREVIOUS)));
    }

    SubConfig signoff = top.has("signoff")
        ? SubConfig.of(top.node("signoff"), "signoff", base, lines, source, problems) : null;

    Report report = new Report(List.of(), false, null, null, DEFAULT_INTERVAL, null, true);
    YamlFields rp = section(top, "report", "a mapping (by:, strict:, history:, period:, interval:, recalibrate_scores:,"
        + " score_floor:)", sink);
    if (rp != null) {
      only(rp, "by", "strict", "history", "period", "interval", "recalibrate_scores", "score_floor");
      String history = rp.string("history", false);
      String period = rp.string("period", false);
      if (period != null && history == null) {
        rp.problem("period", "applies to report.history, which is not given");
      } else if (period != null) {
        try {
          dev.plumb.history.Period.parse(period);
        } catch (IllegalArgumentException e) {
          rp.problem("period", e.getMessage());
        }
      }
      report = new Report(names(rp, "by"), or(rp.bool("strict", false), false),
          history == null ? null : base.resolve(history).normalize(), period,
          or(rp.choice("interval", false, List.of("korn-graubard", "logit", "wilson", "wald", "mover-wilson", "gamma",
              "kg-gamma")),
              DEFAULT_INTERVAL), recalibration(rp, labeler), or(rp.bool("score_floor", false), true));
    }
    if (review != null && review.pilot() != null && report.history() == null) {
      rv.problem("pilot", "previous reads the previous run from report.history, which is not given");
    }
    // with generate: the truth is written under output (a missing output: is its own problem)
    if (review != null && review.answers() instanceof Simulate && truthLabels == null && input != null
        && !(input instanceof Generate)) {
      top.problemHere("input.truth_labels",
          "a simulated panel answers from the known truth: name the truth.jsonl (or use input.generate)");
    }
    RunFile run = new RunFile(source, name, output, input, policies, scoring, sampling, labeler, review, signoff, report);
    if (references) {
      RunFileCheck.check(run, top, base, problems);
      // the run file's problems in line order, then those in the files it names
      problems.sort(java.util.Comparator.comparing((Problem p) -> !p.source().equals(source))
          .thenComparingInt(p -> p.source().equals(source) ? p.line() : 0)
          .thenComparingInt(p -> p.source().equals(source) ? p.column() : 0));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new Parsed(run, new Truth(truthFile, truthLabels));
  }
}
