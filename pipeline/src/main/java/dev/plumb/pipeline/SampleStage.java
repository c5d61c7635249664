package dev.plumb.pipeline;

import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sampler;
import java.nio.file.Path;
import java.util.Locale;

/** {@code sample}: draws the phase-1 sample the design describes ({@link Sampler}). */
final class SampleStage extends RunStage {
  private final Path frame;
  private final Path sample;

  SampleStage(RunState state, Path frame, Path sample) {
    super("sample", state, sample, Sampler.manifestPath(sample));
    this.frame = frame;
    this.sample = sample;
  }

  @Override
  void describe(Key key) {
    key.file("frame", frame).input("design", state.run.sampling().design().fingerprint())
        .config("seed", state.run.sampling().seed());
  }

  @Override
  String run(Context context) {
    DesignFile design = state.design();
    state.run.sampling().design().materialize(state.config, "design");
    context.detail("drawing a " + design.design().type() + " sample");
    long seed = state.run.sampling().seed();
    Sampler.Result r = Sampler.run(new Sampler.Request(frame, design.design(), seed, sample, state.createdBy));
    return String.format(Locale.ROOT, "%s sample of %,d units from %,d (seed %d)", design.design().type(),
        r.sample().n(), r.sample().frameUnits(), seed) + r.sample().floorNote().map(w -> "; " + w).orElse("");
  }
}
