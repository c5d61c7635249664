package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.Notices;
import dev.plumb.labeler.evaluation.CaseAnswer;
import dev.plumb.labeler.evaluation.GoldenFile;
import dev.plumb.labeler.evaluation.HeldOut;
import dev.plumb.labeler.evaluation.PromptTest;
import dev.plumb.labeler.evaluation.PromptTestReport;
import dev.plumb.labeler.evaluation.PromptTestReport.Flip;
import dev.plumb.labeler.evaluation.PromptTestReport.Row;
import dev.plumb.labeler.evaluation.PromptTestReport.Score;
import dev.plumb.labeler.evaluation.TestCase;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plumb prompt test}: prompt regression tests for policy authors (docs/prompt-test.md). */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run every example of a policy version (and a golden set) through a backend and report accuracy,",
      "the confusion matrix and each failing case with the model's rationale. With --against (another",
      "policy version), --against-prompts (other templates) or --against-model, run the baseline too",
      "and report which cases flipped. Answers come through the batch labeler and its response cache:",
      "rerunning after editing one case costs one request.",
      ""
    },
    footer = {
      "",
      "A regression is a case the baseline answered correctly and the candidate does not, or a",
      "candidate accuracy below --min-accuracy. The local backend is trained on the policy's examples:",
      "each example is answered by a model trained without it (leave-one-out).",
      "",
      "Examples:",
      "  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local",
      "  plumb prompt test --policy self_harm@3 --against self_harm@2 --golden golden/self_harm.jsonl --model gpt-4.1-mini",
      "  plumb prompt test --policy self_harm --against-prompts ../base/prompts --model gpt-4.1-mini --json",
      "  plumb prompt test --policy self_harm --model gpt-4.1-mini --against-model gpt-4o-mini --min-accuracy 0.9",
      "",
      "Exit codes: 0 no regression; 1 regression; 2 bad input; 3 the provider refused or calls failed."
    })
final class PromptTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "ID[@V]",
      description = "The policy version under test (the candidate), e.g. self_harm@3; ID alone is its highest active version.")
  String policyRef;

  @Option(names = "--golden", paramLabel = "FILE",
      description = "A golden set: units (JSON Lines) with \"expected\": {\"POLICY\": {\"decision\": ..., \"category\": ...}}.")
  Path golden;

  @Option(names = "--only", paramLabel = "ID", split = ",",
      description = "Test only these cases (example or golden unit ids; repeatable or comma-separated).")
  List<String> only = new ArrayList<>();

  @Option(names = "--policies", paramLabel = "DIR", defaultValue = "policies",
      description = "Policy library (default: ${DEFAULT-VALUE}).")
  Path policies;

  @Option(names = "--prompts", paramLabel = "DIR", defaultValue = "prompts",
      description = "Prompt templates (default: ${DEFAULT-VALUE}).")
  Path prompts;

  @Option(names = "--against", paramLabel = "ID@V", description = "Baseline: another version of the policy, e.g. self_harm@2.")
  String againstRef;

  @Option(names = "--against-policies", paramLabel = "DIR",
      description = "Baseline: take its policy from this library (e.g. a checkout of the main branch).")
  Path againstPolicies;

  @Option(names = "--against-prompts", paramLabel = "DIR", description = "Baseline: these prompt templates (another prompt fingerprint).")
  Path againstPrompts;

  @Option(names = "--against-model", paramLabel = "MODEL", description = "Baseline: this model (same backend).")
  String againstModel;

  @Option(names = "--against-base-url", paramLabel = "URL", description = "Baseline: this base URL (with --against-model, another server).")
  String againstBaseUrl;

  @Option(names = "--backend", defaultValue = "openai", paramLabel = "NAME",
      description = "openai (any OpenAI-compatible server), langchain4j, or local (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--model", paramLabel = "MODEL", description = "The provider's model name (required but for --backend local).")
  String model;

  @Option(names = "--provider", paramLabel = "NAME", description = "With --backend langchain4j: anthropic or gemini.")
  String provider;

  @Option(names = "--base-url", paramLabel = "URL", description = "OpenAI-compatible (or provider) base URL.")
  String baseUrl;

  @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
      description = "Sampling temperature (default: ${DEFAULT-VALUE}); part of the prompt fingerprint.")
  double temperature;

  @Option(names = "--max-output-tokens", paramLabel = "N",
      description = "Answer token cap (default: 450, as plumb label uses for one policy); part of the fingerprint.")
  Integer maxOutputTokens;

  @Option(names = "--images", defaultValue = "on", paramLabel = "on|off",
      description = "Send pins' images as image parts (default: ${DEFAULT-VALUE}); off sends their text only.")
  String images;

  @Option(names = "--min-accuracy", paramLabel = "X", description = "Fail (exit 1) when the candidate's accuracy is below X, in [0, 1].")
  Double minAccuracy;

  @Option(names = "--json", description = "Print the report as JSON (format plumb.prompt-test/1).")
  boolean json;

  @Option(names = "--rpm", defaultValue = "0", paramLabel = "N", description = "Requests/minute limit (default: learn it).")
  double rpm;

  @Option(names = "--tpm", defaultValue = "0", paramLabel = "N", description = "Tokens/minute limit (default: learn it).")
  double tpm;

  @Option(names = "--concurrency", defaultValue = "8", paramLabel = "N", description = "Most requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Longest wait for one answer (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(names = "--max-attempts", defaultValue = "6", paramLabel = "N", description = "Calls per case before it counts as failed (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--no-cache", description = "Do not answer from, or store into, the response cache.")
  boolean noCache;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!images.equals("on") && !images.equals("off")) {
      throw new InputException("--images must be on or off, not \"" + images + "\"");
    }
    if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
      throw new InputException("--min-accuracy must be in [0, 1]: " + minAccuracy);
    }
    boolean local = backend.equals(LocalClassifier.BACKEND);
    if (local && (model != null || provider != null || baseUrl != null || againstModel != null || againstBaseUrl != null)) {
      throw new InputException("--backend local takes no --model, --provider, --base-url, --against-model or --against-base-url");
    }
    if (!local && model == null) {
      throw new InputException("--model is required with --backend " + backend);
    }
    if (againstBaseUrl != null && againstModel == null) {
      throw new InputException("--against-base-url needs --against-model (the model the other server serves)");
    }

    PolicyLibrary library = PolicyLibrary.load(policies);
    Policy candidatePolicy = library.select(List.of(policyRef)).get(0);
    boolean hasBaseline = againstRef != null || againstPolicies != null || againstPrompts != null || againstModel != null;
    Policy baselinePolicy = null;
    if (hasBaseline) {
      PolicyLibrary baseLibrary = againstPolicies == null ? library : PolicyLibrary.load(againstPolicies);
      // another library without --against: the same reference, resolved there (self_harm: its highest active version)
      String ref = againstRef != null ? againstRef : againstPolicies != null ? policyRef : candidatePolicy.key();
      baselinePolicy = baseLibrary.select(List.of(ref)).get(0);
      if (!baselinePolicy.id().equals(candidatePolicy.id())) {
        throw new InputException("--against " + ref + " is another policy than --policy " + candidatePolicy.key()
            + "; compare two versions of one policy");
      }
    }
    int outputCap = maxOutputTokens != null ? maxOutputTokens : LabelerConfig.defaultMaxOutputTokens(1);
    ModelParams params;
    try {
      params = new ModelParams(temperature, outputCap);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    PromptBundle candidateBundle = PromptCompiler.compile(List.of(candidatePolicy), prompts, params);
    PromptBundle baselineBundle = !hasBaseline ? null
        : PromptCompiler.compile(List.of(baselinePolicy), againstPrompts != null ? againstPrompts : prompts, params);
    String baselineModel = againstModel != null ? againstModel : model;
    if (hasBaseline && baselineBundle.fingerprint().equals(candidateBundle.fingerprint())
        && java.util.Objects.equals(baselineModel, model) && againstBaseUrl == null) {
      throw new InputException("the baseline is the candidate (same prompt " + candidateBundle.fingerprint()
          + (local ? "" : " and model " + model) + "); name another version, prompts or model to compare with");
    }

    List<TestCase> cases = cases(library, candidatePolicy);

    BackendSpec candidateSpec = local ? null : spec(model, baseUrl);
    BackendSpec baselineSpec = local || !hasBaseline ? null
        : spec(baselineModel, againstBaseUrl != null ? againstBaseUrl : baseUrl);
    Credentials credentials = local ? null : Credentials.fromEnvironment();
    Notices notices = new Notices();
    Path cacheDir = Path.of(System.getProperty("plumb.cache.dir", ".plumb-cache"));
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    Path work;
    try {
      work = Files.createTempDirectory("plumb-prompt-test");
    } catch (IOException e) {
      throw new PlumbException("cannot create a work directory: " + e.getMessage(), e);
    }
    PromptTestReport report;
    try {
      PromptTest.SideResult cand;
      PromptTest.SideResult base = null;
      try (Backend b = backend(local, candidateSpec, candidatePolicy, credentials, notices, cacheDir)) {
        cand = PromptTest.label(new PromptTest.Side("candidate", candidatePolicy, candidateBundle, b, local), cases, work,
            builder -> settings(builder, local, candidateSpec, cacheDir, err, terminal, notices));
      }
      if (hasBaseline) {
        try (Backend b = backend(local, baselineSpec, baselinePolicy, credentials, notices, cacheDir)) {
          base = PromptTest.label(new PromptTest.Side("baseline", baselinePolicy, baselineBundle, b, local), cases, work,
              builder -> settings(builder, local, baselineSpec, cacheDir, err, terminal, notices));
        }
      }
      report = PromptTestReport.of(candidatePolicy, cases, cand, base, minAccuracy);
    } finally {
      deleteQuietly(work);
    }

    if (json) {
      out.print(Json.pretty(report.toJson()));
      out.println();
    } else {
      out.print(text(report, golden));
    }
    out.flush();
    long failed = report.failedCalls();
    if (failed > 0) {
      throw new PlumbException(failed + (failed == 1 ? " case has" : " cases have")
          + " no answer because the model calls failed; run the same command again (answers so far are cached)");
    }
    return report.regressions().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  private List<TestCase> cases(PolicyLibrary library, Policy policy) {
    Path policyFile = library.file(policy);
    List<TestCase> cases = new ArrayList<>(PromptTest.examples(policy, policyFile.getParent(), policyFile.toString()));
    if (golden != null) {
      Set<String> exampleIds = policy.examples().stream().map(e -> e.id()).collect(Collectors.toSet());
      cases.addAll(GoldenFile.read(golden, policy, library.ids(), exampleIds));
    }
    if (!only.isEmpty()) {
      Set<String> wanted = new LinkedHashSet<>(only);
      Set<String> known = cases.stream().map(TestCase::id).collect(Collectors.toSet());
      List<String> unknown = wanted.stream().filter(id -> !known.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new InputException("--only: no case " + unknown.stream().map(Json::line).collect(Collectors.joining(", "))
            + " in " + policy.key() + (golden == null ? "" : " or " + golden) + "; cases are: "
            + cases.stream().map(TestCase::id).collect(Collectors.joining(", ")));
      }
      cases = cases.stream().filter(c -> wanted.contains(c.id())).toList();
    }
    if (cases.isEmpty()) {
      throw new InputException(policy.key() + " has no examples; add examples to the policy or give --golden FILE");
    }
    return cases;
  }

  private BackendSpec spec(String modelName, String url) {
    try {
      return new BackendSpec(backend, provider, modelName, url, Duration.ofMillis((long) (timeoutSeconds * 1000)), concurrency);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  private static Backend backend(boolean local, BackendSpec spec, Policy policy, Credentials credentials, Notices notices, Path cacheDir) {
    if (local) {
      HeldOut heldOut = new HeldOut();
      return Backends.localHeldOut(LocalClassifier.builder().cacheDir(cacheDir).build(), List.of(policy), heldOut::trainingPolicy);
    }
    return Backends.create(spec, credentials, notices);
  }

  private LabelerConfig.Builder settings(LabelerConfig.Builder b, boolean local, BackendSpec spec, Path cacheDir,
      PrintWriter err, boolean terminal, Notices notices) {
    return b.baseUrl(spec == null ? null : spec.displayBaseUrl())
        .rpm(rpm)
        .tpm(tpm)
        .maxConcurrency(concurrency)
        .maxOutputTokens(maxOutputTokens != null ? maxOutputTokens : LabelerConfig.defaultMaxOutputTokens(1))
        .images(images.equals("on"))
        // held-out answers of the local backend depend on more than the request: never cache them
        .cacheDir(noCache || local ? null : cacheDir)
        .maxAttempts(maxAttempts)
        .runFileInterval(Duration.ofDays(1))
        .setting("command", "plumb prompt test")
        .createdBy("plumb " + VersionProvider.version() + " (commit " + VersionProvider.commit() + ")")
        .listener(json ? dev.plumb.labeler.batch.ProgressListener.NONE : new LabelProgress(err, terminal))
        .notices(notices);
  }

  static String text(PromptTestReport r, Path golden) {
    StringBuilder sb = new StringBuilder();
    Policy policy = r.policy();
    List<Row> rows = r.rows();
    long examples = rows.stream().filter(x -> x.testCase().kind() == TestCase.Kind.EXAMPLE).count();
    long goldenCases = rows.size() - examples;
    long inPrompt = rows.stream().filter(Row::candidateInPrompt).count();
    boolean heldOut = r.candidate().side().heldOut();
    sb.append(String.format(Locale.ROOT, "prompt test of %s: %d %s%s%s%n", policy.key(), examples,
        examples == 1 ? "example" : "examples", heldOut ? "" : " (" + inPrompt + " shown in the prompt)",
        goldenCases == 0 ? "" : " + " + goldenCases + " golden " + (goldenCases == 1 ? "unit" : "units") + " (" + golden + ")"));
    sb.append(describe("candidate", r.candidate()));
    if (r.baseline() != null) {
      sb.append(describe("baseline ", r.baseline()));
    }
    if (heldOut) {
      sb.append("note: the local backend is trained on the policy's examples; each case is answered by a model\n"
          + "      trained without the examples it repeats (leave-one-out), so these are held-out figures\n");
    } else if (inPrompt > 0) {
      sb.append("note: cases shown in the prompt as few-shot examples are answered with the answer in view;\n"
          + "      \"not in the prompt\" is the figure that measures the policy text\n");
    }
    sb.append('\n');
    Score c = r.candidateScore();
    Score b = r.baselineScore();
    String header = String.format(Locale.ROOT, "%-22s %-27s", "", "candidate " + r.candidate().side().policy().key());
    if (b != null) {
      header += "baseline " + r.baseline().side().policy().key();
    }
    sb.append(header.stripTrailing()).append('\n');
    sb.append(line("accuracy", frac(c.correct(), c.n()), b == null ? null : frac(b.correct(), b.n())));
    if (!heldOut) {
      sb.append(line("  not in the prompt", frac(c.notInPromptCorrect(), c.notInPromptN()),
          b == null ? null : frac(b.notInPromptCorrect(), b.notInPromptN())));
    }
    if (c.goldenN() > 0) {
      sb.append(line("  golden units", frac(c.goldenCorrect(), c.goldenN()), b == null ? null : frac(b.goldenCorrect(), b.goldenN())));
    }
    sb.append(line("violating vs not", binary(c), b == null ? null : binary(b)));
    sb.append(line("requests", requests(c), b == null ? null : requests(b)));
    sb.append('\n');
    sb.append(confusion("candidate " + r.candidate().side().policy().key(), c));
    if (b != null) {
      sb.append(confusion("baseline " + r.baseline().side().policy().key(), b));
      sb.append(String.format(Locale.ROOT, "flips (baseline → candidate): %d fixed, %d broken, %d changed%n",
          r.flipped(Flip.FIXED).size(), r.flipped(Flip.BROKEN).size(), r.flipped(Flip.CHANGED).size()));
      int w = rows.stream().mapToInt(x -> x.testCase().id().length()).max().orElse(4);
      for (Flip f : List.of(Flip.BROKEN, Flip.FIXED, Flip.CHANGED)) {
        for (Row x : r.flipped(f)) {
          sb.append(String.format(Locale.ROOT, "  %-8s %-" + w + "s  %s → %s, expected %s%s%n", f.id(), x.testCase().id(),
              x.baseline(), x.candidate(), x.testCase().expected(),
              x.baselineExpected() != null ? " (" + r.baseline().side().policy().key() + " expected " + x.baselineExpected() + ")"
                  : x.newExample() ? " (new example)" : ""));
        }
      }
      if (!r.notTested().isEmpty()) {
        sb.append("  not tested (only in ").append(r.baseline().side().policy().key()).append("): ")
            .append(String.join(", ", r.notTested())).append('\n');
      }
      sb.append('\n');
    }
    List<Row> failing = rows.stream().filter(x -> !x.candidateCorrect()).toList();
    sb.append(String.format(Locale.ROOT, "failing in the candidate: %d%n", failing.size()));
    for (Row x : failing) {
      CaseAnswer a = x.candidate();
      sb.append(String.format(Locale.ROOT, "  %s  expected %s, answered %s%s  [%s%s]%n", x.testCase().id(), x.testCase().expected(),
          a, a != null && a.ok() && !Double.isNaN(a.confidence()) ? String.format(Locale.ROOT, " (confidence %.2f)", a.confidence()) : "",
          x.testCase().kind() == TestCase.Kind.GOLDEN ? x.testCase().origin() : "example",
          x.candidateInPrompt() ? ", in the prompt" : ""));
      if (a != null && !a.rationale().isBlank()) {
        sb.append("      ").append(a.ok() ? "rationale: " : "error: ").append(oneLine(a.rationale())).append('\n');
      }
    }
    sb.append('\n');
    if (r.regressions().isEmpty()) {
      sb.append("no regression\n");
    } else {
      r.regressions().forEach(reason -> sb.append("REGRESSION: ").append(reason).append('\n'));
    }
    return sb.toString();
  }

  private static String describe(String label, PromptTest.SideResult s) {
    PromptTest.Side side = s.side();
    String fp = side.bundle().fingerprint();
    return String.format(Locale.ROOT, "%s: %s, prompt %s, %s %s%n", label, side.policy().key(),
        fp.substring(0, Math.min(fp.length(), "sha256:".length() + 12)), side.backend().name(), side.model());
  }

  private static String line(String name, String cand, String base) {
    String s = String.format(Locale.ROOT, "%-22s %-27s", name, cand);
    return (base == null ? s.stripTrailing() : s + base) + "\n";
  }

  private static String frac(int k, int n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%d/%d  %.1f%%", k, n, 100.0 * k / n);
  }

  private static String binary(Score s) {
    return String.format(Locale.ROOT, "TP %d FN %d FP %d TN %d", s.tp(), s.fn(), s.fp(), s.tn());
  }

  private static String requests(Score s) {
    return String.format(Locale.ROOT, "%d (%d from cache)", s.requests(), s.cacheHits());
  }

  private static String confusion(String title, Score s) {
    StringBuilder sb = new StringBuilder();
    sb.append("confusion, ").append(title).append(" (rows: expected, columns: answered)\n");
    List<String> labels = s.labels();
    int columns = s.confusion()[0].length;
    int first = Math.max(12, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
    sb.append(" ".repeat(first));
    for (String l : labels.subList(0, columns)) {
      sb.append(String.format(Locale.ROOT, " %" + Math.max(5, l.length()) + "s", l));
    }
    sb.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      long total = 0;
      for (long v : s.confusion()[i]) {
        total += v;
      }
      if (total == 0 && labels.get(i).startsWith("(")) {
        continue; // (no answer) is never expected; (positive)/(negative) rows only for binary golden units
      }
      sb.append(String.format(Locale.ROOT, "  %-" + (first - 2) + "s", labels.get(i)));
      for (int j = 0; j < columns; j++) {
        sb.append(String.format(Locale.ROOT, " %" + Math.max(5, labels.get(j).length()) + "d", s.confusion()[i][j]));
      }
      sb.append('\n');
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() > 300 ? t.substring(0, 297) + "..." : t;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      });
    } catch (IOException e) {
      // same
    }
  }
}
