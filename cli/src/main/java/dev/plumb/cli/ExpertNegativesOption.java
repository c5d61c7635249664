package dev.plumb.cli;

import picocli.CommandLine.Option;

/** {@code --expert-negatives SHARE}: how much of the consensus-negatives an expert tier reviews ({@code plumb queue export --expert-from}, {@code plan gold}). */
final class ExpertNegativesOption {
  @Option(names = "--expert-negatives", paramLabel = "SHARE",
      description = "The share of consensus-negative units an expert tier reviews, in (0, 1] (docs/review.md, \"Expert tier\").")
  Double share;
}
