package dev.plumb.cli;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb prompt ...}: the unified prompt compiled from policies and templates (docs/prompts.md). */
@Command(
    name = "prompt",
    mixinStandardHelpOptions = true,
    description = "Compile the unified labeling prompt and show the exact messages it sends for a unit.",
    subcommands = {PromptCommand.Compile.class, PromptRenderCommand.class, PromptTestCommand.class},
    footer = {
      "",
      "Examples:",
      "  plumb prompt compile --out out/bundle.json",
      "  plumb prompt render --units fixtures/units/tour.jsonl --id tour-2",
      "  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local"
    })
final class PromptCommand extends GroupCommand {
  /** The model settings that are part of the prompt fingerprint ({@code prompt compile}, {@code render}, {@code test}). */
  static final class Model {
    @Option(
        names = "--temperature",
        paramLabel = "T",
        defaultValue = "0",
        description = "Sampling temperature, 0 to 2 (default: ${DEFAULT-VALUE}); part of the prompt fingerprint.")
    double temperature;

    @Mixin MaxOutputTokensOption maxOutputTokens;

    /** The model parameters for a prompt of {@code policies} policies. */
    ModelParams params(int policies) {
      try {
        return new ModelParams(temperature, maxOutputTokens.orDefault(policies));
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    }
  }

  static PromptBundle compile(PolicyOptions policy, Model model) {
    List<Policy> policies = policy.selected();
    return PromptCompiler.compile(policies, policy.promptsDir(), model.params(policies.size()));
  }

  @Command(
      name = "compile",
      mixinStandardHelpOptions = true,
      description = {
        "Compile policy versions and the templates into a prompt bundle: system and user templates, the",
        "answer's JSON Schema, few-shot examples, model parameters and a fingerprint over all of them.",
        "The same inputs give a byte-identical bundle. Prints the bundle, or writes it with --out."
      },
      footer = {
        "",
        "Examples:",
        "  plumb prompt compile                                  # every active policy, to stdout",
        "  plumb prompt compile --policy self_harm@2 --policy harassment --out out/bundle.json",
        "  plumb prompt compile --temperature 0.2 --max-output-tokens 600 --out out/bundle.json"
      })
  static final class Compile extends ActionCommand {
    @Mixin PolicyOptions policy;
    @Mixin Model model;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the bundle here (atomically) instead of to stdout.")
    Path out;

    @Override
    public Integer call() {
      PromptBundle bundle = compile(policy, model);
      PrintWriter o = out();
      if (out == null) {
        o.print(bundle.json());
      } else {
        AtomicOutput.write(out, bundle.json());
        o.println("wrote " + out + ": " + bundle.policies().stream().map(Policy::key).collect(Collectors.joining(", "))
            + "; prompt " + bundle.fingerprint());
      }
      o.flush();
      return ExitCode.OK;
    }
  }
}
