package dev.plumb.cli;

import dev.plumb.calibration.sampling.Sampler;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The labeled sample a command reads ({@code plumb estimate}, {@code calibrate}): the units file, its manifest and the LLM's labels. */
final class SampleFileOptions {
  @Option(names = "--sample", required = true, paramLabel = "FILE", description = "The sample (sample.jsonl, from plumb sample).")
  Path sample;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "The sample manifest (default: the sample's name with .json, e.g. sample.json).")
  Path manifest;

  @Option(names = "--labels", required = true, paramLabel = "FILE",
      description = "The LLM's labels of every sampled unit (labels.jsonl, from plumb label).")
  Path labels;

  /** The manifest given, or the one beside the sample. */
  Path manifest() {
    return manifest != null ? manifest : Sampler.manifestPath(sample);
  }
}
