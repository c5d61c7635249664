package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** An earlier review whose violation rates guide the allocation of a new one ({@code plumb queue export}, {@code plan --review-budget}). */
final class PilotOptions {
  @Option(names = "--pilot", paramLabel = "FILE",
      description = "An earlier review's gold.jsonl whose rates per policy x LLM call guide the allocation (docs/review.md).")
  Path pilot;

  @Option(names = "--pilot-labels", paramLabel = "FILE",
      description = "The labels of the pilot's units (default: --labels; give the pilot period's labels.jsonl).")
  Path labels;
}
