package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.DryRunEstimate;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.local.TrainingData;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.profile.Profile;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import dev.plumb.pipeline.CleanStop;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb label}: the batch labeler (docs/labeler.md). */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Label sampled units with an LLM against the selected policies: one unified prompt per unit,",
      "paced to the provider's limits, appended to --out as answers arrive. Rerunning the same",
      "command resumes: it labels only what is missing or failed. API keys come from the",
      "environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) or $PLUMB_CONFIG, never a flag.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  plumb label --units sample.jsonl --out labels.jsonl --model gpt-4.1-mini --dry-run",
      "  plumb label --units sample.jsonl --out labels.jsonl --model gpt-4.1-mini --rpm 500 --tpm 200000",
      "  plumb label --units sample.jsonl --out labels.jsonl --policy self_harm@2 --model gpt-4o-mini --budget-usd 5",
      "  plumb label --units sample.jsonl --out labels.jsonl --backend langchain4j --provider anthropic \\",
      "      --model claude-haiku-4-5",
      "  plumb label --units sample.jsonl --out labels.jsonl --base-url http://localhost:11434/v1 --model llama3.2",
      "  plumb label --units sample.jsonl --out labels.jsonl --model gpt-4.1-mini --batch",
      "  plumb label --units sample.jsonl --out labels.jsonl --backend local",
      "  plumb label --units sample.jsonl --out labels.jsonl --backend local --train reviewed.jsonl --map SH=self_harm",
      "",
      "Exit codes: 0 every label is ok, invalid or failed; 2 bad input; 3 the run stopped early",
      "(key, quota, budget, most requests failing) -- rerun the same command to resume."
    })
final class LabelCommand extends ActionCommand {
  @Mixin UnitsOption units;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Label file (appended, resumed, compacted at the end).")
  Path out;

  @Mixin PolicyOptions policyOptions;

  /** Only for --backend local: what its classifier learns from besides the policies' examples. */
  @Mixin TrainingOptions training;

  @Option(names = "--prevalence", paramLabel = "POLICY=P",
      description = "With --backend local: the population's expected prevalence of a policy (repeatable); its decisions"
          + " then count without bias at it and confidences are moved to it (docs/local-backend.md).")
  Map<String, Double> prevalence = new java.util.LinkedHashMap<>();

  @Mixin LabelerOptions labeler;

  @Option(names = "--concurrency", defaultValue = "" + LabelingSession.DEFAULT_CONCURRENCY, paramLabel = "N",
      description = "Most requests in flight; the adaptive limit stays below it (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Mixin MaxOutputTokensOption maxOutputTokens;

  @Option(names = "--budget-usd", paramLabel = "X", description = "Stop cleanly before spending more than X dollars.")
  Double budgetUsd;

  @Option(names = "--prices", paramLabel = "FILE",
      description = "Price table overriding the built-in one: {\"models\": {\"NAME\": {\"input\": USD/1M, \"output\": USD/1M}}}.")
  Path prices;

  @Option(names = "--batch",
      description = "Label through the provider's Batch API (OpenAI and compatible servers): half price, answers within"
          + " 24 h; polls until done, and a rerun resumes the same batches (docs/labeler.md, \"Batch mode\").")
  boolean batch;

  @Option(names = "--service-tier", paramLabel = "TIER",
      description = "With openai: the service tier to ask for (auto, default, flex, priority); flex is cheaper and"
          + " slower where the model offers it, and is dropped with a notice where it does not.")
  String serviceTier;

  @Option(names = "--dry-run",
      description = "Print prompt tokens, cost (list, with expected prompt caching, at batch rates) and time at the"
          + " limits; send nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "With --dry-run: print the estimate as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter stdout = out();
    PrintWriter err = err();
    if (!Files.isRegularFile(units.file)) {
      throw new InputException(units.file + ": file not found");
    }
    if (json && !dryRun) {
      throw new InputException("--json goes with --dry-run (a run reports in run.json)");
    }
    List<Policy> selected = policyOptions.selected();
    CleanStop stop = new CleanStop();
    String command = "plumb " + spec.commandLine().getParseResult().originalArgs().stream()
        .map(LabelCommand::quote).collect(Collectors.joining(" "));
    LabelingSession session = labeler.session()
        .policiesDir(policyOptions.policiesDir()).concurrency(concurrency).maxOutputTokens(maxOutputTokens.value).budgetUsd(budgetUsd).prices(prices)
        .command(command).createdBy(VersionProvider.createdBy()).listener(LabelProgress.on(err))
        .cancel(stop.flag()).prevalence(prevalence).batch(batch, true)
        .serviceTier(serviceTier).build();
    labeler.model.checkLocal(session.local());
    if (batch) {
      var refusal = BatchLabeler.batchRefusal(labeler.backend, labeler.model.provider);
      if (refusal.isPresent()) {
        throw new InputException(refusal.get());
      }
    }
    ModelParams params = Format.option("--max-output-tokens", () -> session.modelParams(selected.size()));
    PromptBundle bundle = PromptCompiler.compile(selected, policyOptions.promptsDir(), params);
    BackendSpec backendSpec = null;
    if (!session.local()) {
      if (labeler.model.model == null) {
        throw new InputException(LabelingSession.modelRequired(labeler.backend));
      }
      try {
        backendSpec = session.spec();
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    } else if (labeler.model.given()) {
      throw new InputException("--backend local takes no --model, --provider or --base-url");
    }
    if (!session.local() && training.given()) {
      throw new InputException("--train and --map are for --backend local (an LLM learns from the prompt)");
    }
    if (!session.local() && !prevalence.isEmpty()) {
      throw new InputException("--prevalence is for --backend local (an LLM's decisions do not rest on a base rate)");
    }
    List<String> ids = selected.stream().map(Policy::id).toList();
    for (Map.Entry<String, Double> e : prevalence.entrySet()) {
      if (!ids.contains(e.getKey())) {
        throw new InputException("--prevalence: " + e.getKey() + " is not a policy being labeled (" + String.join(", ", ids) + ")");
      }
      if (!(e.getValue() > 0 && e.getValue() < 1)) {
        throw new InputException("--prevalence: " + e.getKey() + " must be between 0 and 1 (exclusive), found " + e.getValue());
      }
    }
    TrainingData trainingData = session.local() ? training.read(ids) : null;
    // a dry run needs no key: it never calls the model
    Credentials credentials = dryRun ? Credentials.of(java.util.Map.of("OPENAI_API_KEY", "dry-run",
        "ANTHROPIC_API_KEY", "dry-run", "GEMINI_API_KEY", "dry-run"), null) : Credentials.fromEnvironment();
    try (Backend b = session.open(backendSpec, selected, trainingData, credentials)) {
      LabelerConfig config;
      try {
        config = session.config(units.file, out, bundle, b, backendSpec).build();
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
      if (dryRun) {
        DryRunEstimate estimate = BatchLabeler.estimate(config);
        if (json) {
          stdout.println(dev.plumb.core.Json.line(DryRunJson.of(estimate, labeler.model.model)));
        } else {
          DryRunText.print(stdout, estimate, out, labeler.model.model, selected.size(),
              session.profile().profile() != Profile.PLUMB && estimate.requests() > estimate.units());
        }
        return ExitCode.OK;
      }
      // Ctrl-C: stop cleanly (compact the file, write run.json) before the JVM exits
      stop.arm("plumb-label-interrupt");
      try {
        RunSummary summary = BatchLabeler.run(config);
        LabelProgress.summary(stdout, out, summary, selected.size());
        if (summary.outcome() != RunSummary.Outcome.COMPLETE) {
          throw new PlumbException(summary.message()
              + (summary.outcome() == RunSummary.Outcome.INTERRUPTED ? "; " : "\n") + "resume with: " + command);
        }
        if (summary.counts().failed() > 0) {
          stdout.println(summary.counts().failed() + " labels failed; run the same command again to retry them");
        }
      } finally {
        stdout.flush();
        stop.close();
      }
      return ExitCode.OK;
    }
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:@=,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
