package dev.plumb.labeler.local;

import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Scoring speed of the local backend through {@link FrameScorer} (what {@code plumb score} runs),
 * on frames built at run time from the moderation evaluation texts (in target/, never committed):
 * each unit has a query (first 4–8 words of a text), a response (the next 20–60 words) and two
 * pins (20–40 words of other texts). Models are trained before the clock starts, three of them
 * also on the moderation labels (so they read words too).
 *
 * <ol>
 *   <li>cold: every text distinct, empty embedding caches — raw model throughput;
 *   <li>repeated pins: pins drawn from a pool of 300, as when popular pins are recommended again
 *       and again; queries and responses still distinct.
 * </ol>
 *
 * Run: {@code bench/local-speed.sh}.
 */
public final class LocalSpeedBenchmark {
  public static void main(String[] args) throws IOException {
    Path data = Path.of("../shared/data/moderation/samples-dev.jsonl");
    if (!Files.exists(data)) {
      System.out.println("skipped: " + data + " is absent");
      return;
    }
    int units = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
    Path work = Path.of("labeler/target/bench-speed");
    Files.createDirectories(work);
    List<String[]> words = new ArrayList<>();
    Jsonl.forEach(data, line -> words.add(line.node().get("prompt").asText().split("\\s+")));
    Random random = new Random(11);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pool.add(slice(words.get(random.nextInt(words.size())), random, 20, 40) + " #" + i);
    }
    Path cold = work.resolve("cold.jsonl");
    Path repeated = work.resolve("repeated.jsonl");
    write(cold, units, words, new Random(1), null);
    write(repeated, units, words, new Random(2), pool);

    List<Policy> policies = PolicyLibrary.load(Path.of("policies")).select(List.of());
    Path cache = work.resolve("cache");
    // the moderation labels as a training file, as `plumb score --train` would use one: these three
    // models read words too (misinformation has no label there and learns from its examples only)
    List<String> maps = List.of("S=adult_sexual", "HR=harassment", "SH=self_harm");
    TrainingData training = TrainingData.read(data, maps);
    System.out.printf(Locale.ROOT, "%d units x 4 components per frame; %d policies (%s), trained with --train %s --map %s;"
            + " %d cores%n%n", units, policies.size(), String.join(", ", policies.stream().map(Policy::key).toList()),
        data.getFileName(), String.join(" --map ", maps), Runtime.getRuntime().availableProcessors());
    System.out.println("| frame | components | texts read | embedded | from cache | wall s | components/s (wall) | CPU s | components per CPU-second × cores |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    int cores = Runtime.getRuntime().availableProcessors();
    for (Path frame : List.of(cold, repeated)) {
      // a fresh embedding cache per frame (models are reused: training is not what we time)
      try (LocalClassifier c = LocalClassifier.builder().cacheDir(cache).diskCache(false).training(training).build()) {
        policies.forEach(c::prepare);
        long cpu0 = os.getProcessCpuTime();
        FrameScorer.Summary s = FrameScorer.score(frame, work.resolve("scored.jsonl"), policies, c, 256, p -> {});
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        // on a shared machine the wall rate depends on the neighbours; CPU time does not
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %.0f | %.1f | %.0f |%n", frame.getFileName(), s.components(),
            s.embeddings().textsRequested(), s.embeddings().embedded(), s.embeddings().fromCache(), s.seconds(),
            s.components() / s.seconds(), cpu, s.components() / cpu * cores);
      }
    }
    System.exit(0);
  }

  private static void write(Path file, int units, List<String[]> words, Random random, List<String> pool) throws IOException {
    StringBuilder out = new StringBuilder();
    for (int u = 0; u < units; u++) {
      String[] w = words.get(random.nextInt(words.size()));
      ObjectNode unit = Json.object().put("id", "u-" + u);
      ArrayNode cs = unit.putArray("components");
      int q = 4 + random.nextInt(5);
      cs.addObject().put("id", "query").put("kind", "query").put("text", String.join(" ", Arrays.copyOfRange(w, 0, Math.min(q, w.length))) + " " + u);
      cs.addObject().put("id", "response").put("kind", "response").put("text", slice(w, random, 20, 60) + " (" + u + ")");
      for (int p = 0; p < 2; p++) {
        String text = pool == null
            ? slice(words.get(random.nextInt(words.size())), random, 20, 40) + " [" + u + "-" + p + "]"
            : pool.get(random.nextInt(pool.size()));
        cs.addObject().put("id", "pin-" + p).put("kind", "pin").put("text", text);
      }
      out.append(Json.line(unit)).append('\n');
    }
    Files.writeString(file, out);
  }

  private static String slice(String[] w, Random random, int min, int max) {
    int n = Math.min(w.length, min + random.nextInt(max - min + 1));
    int start = w.length > n ? random.nextInt(w.length - n + 1) : 0;
    return String.join(" ", Arrays.copyOfRange(w, start, start + n));
  }

  private LocalSpeedBenchmark() {}
}
