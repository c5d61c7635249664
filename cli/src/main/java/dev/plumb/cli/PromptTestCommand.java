package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.batch.ProgressListener;
import dev.plumb.labeler.evaluation.FlipTest;
import dev.plumb.labeler.evaluation.PromptTestReport;
import dev.plumb.labeler.evaluation.PromptTestRun;
import dev.plumb.labeler.evaluation.PromptTestText;
import dev.plumb.labeler.local.LocalClassifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
      "A regression is a significant drop: more cases the baseline answered correctly and the candidate",
      "does not (broken) than the reverse (fixed), by the one-sided exact McNemar test at --alpha; or a",
      "candidate accuracy below --min-accuracy. Broken cases that are not significant are listed as",
      "notes. Accuracy, sensitivity and specificity show 95%% Wilson intervals. The local backend is",
      "trained on the policy's examples: each example is answered by a model trained without it",
      "(leave-one-out).",
      "",
      "Examples:",
      "  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local",
      "  plumb prompt test --policy self_harm@3 --against self_harm@2 --golden golden/self_harm.jsonl --model gpt-4.1-mini",
      "  plumb prompt test --policy self_harm --against-prompts ../base/prompts --model gpt-4.1-mini --json",
      "  plumb prompt test --policy self_harm --model gpt-4.1-mini --against-model gpt-4o-mini --min-accuracy 0.9",
      "  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local --power 5",
      "",
      "Exit codes: 0 no regression; 1 regression; 2 bad input; 3 the provider refused or calls failed."
    })
final class PromptTestCommand extends ActionCommand {
  @Option(names = "--policy", required = true, paramLabel = "ID[@V]",
      description = "The policy version under test (the candidate), e.g. self_harm@3; ID alone is its highest active version.")
  String policyRef;

  @Option(names = "--golden", paramLabel = "FILE",
      description = "A golden set: units (JSON Lines) with \"expected\": {\"POLICY\": {\"decision\": ..., \"category\": ...}}.")
  Path golden;

  @Option(names = "--only", paramLabel = "ID", split = ",",
      description = "Test only these cases (example or golden unit ids; repeatable or comma-separated).")
  List<String> only = new ArrayList<>();

  @Mixin LibraryOptions library;

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

  @Mixin LabelerOptions labeler;

  @Mixin PromptCommand.Model params;

  @Option(names = "--min-accuracy", paramLabel = "X", description = "Fail (exit 1) when the candidate's accuracy is below X, in [0, 1].")
  Double minAccuracy;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "" + FlipTest.DEFAULT_ALPHA,
      description = "Level of the flip test, in (0, 1] (default: ${DEFAULT-VALUE}); 1 fails on any broken case.")
  double alpha;

  @Option(names = "--power", paramLabel = "POINTS",
      description = "Say how many cases the flip test needs to detect a drop in accuracy of POINTS percentage points (80%% power).")
  Double powerPoints;

  @Option(names = "--json", description = "Print the report as JSON (format plumb.prompt-test/1).")
  boolean json;

  @Option(names = "--concurrency", defaultValue = "" + PromptTestRun.DEFAULT_CONCURRENCY, paramLabel = "N", description = "Most requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    if (powerPoints != null && !(powerPoints > 0 && powerPoints < 100)) {
      throw new InputException("--power must be in (0, 100) percentage points: " + Numbers.shortest(powerPoints));
    }
    PromptTestReport.Gate gate;
    try {
      gate = new PromptTestReport.Gate(minAccuracy, alpha, powerPoints == null ? null : powerPoints / 100);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    boolean local = labeler.backend.equals(LocalClassifier.BACKEND);
    if (local && (labeler.model.given() || againstModel != null || againstBaseUrl != null)) {
      throw new InputException("--backend local takes no --model, --provider, --base-url, --against-model or --against-base-url");
    }
    labeler.model.checkLocal(local);
    if (!local && labeler.model.model == null) {
      throw new InputException(LabelingSession.modelRequired(labeler.backend));
    }
    if (againstBaseUrl != null && againstModel == null) {
      throw new InputException("--against-base-url needs --against-model (the model the other server serves)");
    }

    LabelingSession session = labeler.session()
        .temperature(params.temperature).maxOutputTokens(params.maxOutputTokens.value).concurrency(concurrency)
        .command("plumb prompt test").createdBy(VersionProvider.createdBy())
        .listener(json ? ProgressListener.NONE : LabelProgress.on(err)).build();
    PromptTestReport report = PromptTestRun.run(new PromptTestRun.Request(policyRef, golden, only, library.policiesDir(), library.promptsDir(),
        againstRef, againstPolicies, againstPrompts, againstModel, againstBaseUrl, gate, session,
        local ? null : Credentials.fromEnvironment()));

    if (json) {
      out.print(Json.pretty(report.toJson()));
      out.println();
    } else {
      out.print(PromptTestText.of(report, golden));
    }
    out.flush();
    long failed = report.failedCalls();
    if (failed > 0) {
      throw new PlumbException(failed + (failed == 1 ? " case has" : " cases have")
          + " no answer because the model calls failed; run the same command again (answers so far are cached)");
    }
    return report.regressions().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }
}
