package dev.plumb.cli;

import dev.plumb.labeler.batch.LabelerConfig;
import picocli.CommandLine.Option;

/**
 * {@code --max-output-tokens N}: the answer token cap, part of the prompt fingerprint ({@code plumb
 * label}, {@code prompt compile}, {@code render} and {@code test}); unset, every command takes
 * {@link LabelerConfig#defaultMaxOutputTokens}, so that their fingerprints agree.
 */
final class MaxOutputTokensOption {
  @Option(names = "--max-output-tokens", paramLabel = "N",
      description = "Answer token cap (default: 200 + 250 per policy in every command, so that prompt fingerprints"
          + " agree); part of the prompt fingerprint.")
  Integer value;

  /** The cap given, or the default for a prompt of {@code policies} policies. */
  int orDefault(int policies) {
    return value != null ? value : LabelerConfig.defaultMaxOutputTokens(policies);
  }
}
