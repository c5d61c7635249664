package dev.plumb.cli;

import dev.plumb.calibration.sampling.Sampler;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The sample a command reads ({@code plumb estimate}, {@code calibrate}): the units file and its manifest. */
final class SampleFileOptions {
  @Option(names = "--sample", required = true, paramLabel = "FILE", description = "The sample (sample.jsonl, from plumb sample).")
  Path sample;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "The sample manifest (default: the sample's name with .json, e.g. sample.json).")
  Path manifest;

  /** The manifest given, or the one beside the sample. */
  Path manifest() {
    return manifest != null ? manifest : Sampler.manifestPath(sample);
  }
}
