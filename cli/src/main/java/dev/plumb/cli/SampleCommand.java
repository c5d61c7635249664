package dev.plumb.cli;

import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sample;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.core.Numbers;
import dev.plumb.core.Seed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb sample}: draws a probability sample of units from a frame (docs/sampling.md). */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draw a probability sample of units from a frame, in one streaming pass.",
      "Writes the sampled units, each with its design record (inclusion probability), and",
      "the manifest beside them (sample.json: design, seed, frame hash, population totals).",
      "Designs: srs, stratified, poisson, ppswr, priority (see docs/sampling.md).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  plumb sample --frame units.jsonl --design design.yaml --out sample.jsonl --seed 42",
      "  plumb sample --frame units.jsonl.gz --design pps.yaml --out day1/sample.jsonl",
      "",
      "A design file (design.yaml):",
      "  type: stratified          # srs | stratified | poisson | ppswr | priority",
      "  n: 2000",
      "  policy: self_harm",
      "  bins: [0, 0.01, 0.1, 0.5, 1]",
      "  by: [surface]",
      "  allocation: neyman        # proportional | neyman | fixed",
      "",
      "  type: priority",
      "  n: 2000",
      "  size: weight * score(self_harm)",
      "  floor: 0.05",
      "",
      "Same seed + same frame = byte-identical output. Without --seed (or seed: in the design)",
      "a random seed is drawn, printed and recorded."
    })
final class SampleCommand extends ActionCommand {
  @Mixin FrameOption frame;

  @Option(names = "--design", required = true, paramLabel = "FILE", description = "The design file (YAML).")
  Path design;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "sample.jsonl",
      description = "The sample file (default: ${DEFAULT-VALUE}); the manifest goes beside it as .json.")
  Path out;

  @Mixin SeedOption seed;

  @Override
  public Integer call() {
    DesignFile file = DesignFile.read(design);
    Seed s = seed.or(file.seed());
    String createdBy = VersionProvider.createdBy();
    Sampler.Result result = Sampler.run(new Sampler.Request(frame.file, file.design(), s.value(), out, createdBy));
    print(out(), result, s);
    result.sample().floorNote().ifPresent(err()::println);
    return ExitCode.OK;
  }

  private void print(PrintWriter w, Sampler.Result r, Seed seed) {
    Sample s = r.sample();
    String type = s.design().type();
    w.printf(Locale.ROOT, "%s sample of %s from %s (%s units, weight %s), seed %d%s%n", type,
        s.design() instanceof dev.plumb.calibration.sampling.SamplingDesign.Ppswr
            ? Numbers.count(s.draws()) + " draws (" + Numbers.count(s.n()) + " distinct units)"
            : Numbers.count(s.n()) + " units",
        frame.file, Numbers.count(s.frameUnits()), number(s.frameWeight()), s.seed(), seed.note());
    w.printf(Locale.ROOT, "frame %s%n", r.frameSha256());
    s.tau().ifPresent(t -> w.printf(Locale.ROOT, "tau %s (pi = min(1, size/tau)); %,d certainty units%n",
        Format.sig(t), s.certainty()));
    s.design().sizeMeasure().ifPresent(size -> {
      String total = s.sizeTotal().isPresent() ? Format.sig(s.sizeTotal().getAsDouble()) : "-";
      w.printf(Locale.ROOT, "size %s, total %s", size.text(), total);
      if (size.usesScores() && s.sizeTotal().isPresent() && s.sizeTotal().getAsDouble() > 0) {
        w.printf(Locale.ROOT, "; floor %s raised %,d units, %.1f%% of the total size",
            Format.sig(size.floor()), s.floored().units(), 100 * s.floored().size() / s.sizeTotal().getAsDouble());
      }
      w.println();
    });
    int width = "stratum".length();
    for (Sample.Stratum st : s.strata()) {
      width = Math.max(width, st.id().length());
    }
    w.printf(Locale.ROOT, "%-" + width + "s %12s %14s %8s %12s%n", "stratum", "units", "weight", "n", "pi");
    for (Sample.Stratum st : s.strata()) {
      w.printf(Locale.ROOT, "%-" + width + "s %,12d %14s %,8d %12s%n", st.id(), st.units(), number(st.weight()),
          st.n(), st.pi().isPresent() ? Format.sig(st.pi().getAsDouble()) : "varies");
    }
    w.printf(Locale.ROOT, "wrote %s and %s%n", r.units(), r.manifest());
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Numbers.count(x) : Format.sig(x);
  }
}
