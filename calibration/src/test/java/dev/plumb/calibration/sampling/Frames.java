package dev.plumb.calibration.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Small frames for tests. */
final class Frames {
  private Frames() {}

  static FrameUnit unit(String json) {
    return FrameUnit.parse(json, "units.jsonl", 1);
  }

  static FrameUnit unit(String json, int line) {
    return FrameUnit.parse(json, "units.jsonl", line);
  }

  /**
   * A frame of {@code n} units with Zipf-ish weights (1..~200), a score for {@code self_harm} and a
   * surface attribute; deterministic in {@code seed}.
   */
  static List<String> lines(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] surfaces = {"search", "home", "related"};
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int weight = (int) Math.min(200, Math.floor(1 / Math.pow(1 - r.nextDouble(), 1 / 1.2)));
      double score = Math.round(1000 * Math.pow(r.nextDouble(), 3)) / 1000.0;
      out.add(String.format(Locale.ROOT,
          "{\"id\":\"u-%d\",\"weight\":%d,\"attributes\":{\"surface\":\"%s\"},\"scores\":{\"self_harm\":%s},"
              + "\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"query %d\"}]}",
          i, weight, surfaces[r.nextInt(3)], score, i));
    }
    return out;
  }

  static List<FrameUnit> units(List<String> lines) {
    List<FrameUnit> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      out.add(FrameUnit.parse(lines.get(i), "units.jsonl", i + 1));
    }
    return out;
  }

  static Path write(Path dir, String name, List<String> lines) {
    Path p = dir.resolve(name);
    try {
      Files.write(p, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  static Sample draw(SamplingDesign d, long seed, List<FrameUnit> units) {
    SampleSketch s = d.sketch(seed);
    units.forEach(s::offer);
    return s.finish("units.jsonl");
  }

  static void each(List<FrameUnit> units, Consumer<FrameUnit> c) {
    units.forEach(c);
  }

  static SamplingDesign design(String yaml) {
    return DesignFile.parse(yaml, "design.yaml").design();
  }
}
