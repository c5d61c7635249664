package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.corrected.ExpertPhase;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.files.SampleFile;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code plumb queue export --expert-from gold.jsonl}: the expert tier, a third phase drawn from the
 * reviewed units (docs/review.md, "Expert tier").
 *
 * <p>The reviewed units of the vendor gold are split into cells c = (review stratum × consensus call),
 * the call being positive when the vendor gold calls the unit positive for any policy ({@link
 * ExpertPhase#cell}). A consensus-positive cell goes to the experts whole (π3 = 1); in a
 * consensus-negative cell of N_c units the n_c = min(N_c, max(2, ⌈share·N_c⌉)) units with the smallest
 * uniforms {@link UnitRandom#uniform} under {@code hash(seed, "plumb.queue.expert")} are drawn (simple
 * random sampling, π3 = n_c/N_c; at least two so the cell's variance can be estimated). The queue is
 * written like any queue — cells as its strata, π3 as each item's {@code pi}, no honeypots — so {@code
 * plumb queue import} turns the experts' answers into expert.jsonl, and {@code plumb calibrate
 * --expert expert.jsonl} uses them ({@link ExpertPhase}).
 */
public final class ExpertExport {
  static final String ORDER = "plumb.queue.expert";

  private ExpertExport() {}

  /**
   * @param gold the vendor gold (gold.jsonl) the expert subsample is drawn from
   * @param queue the vendor queue directory (its policies, decisions and categories)
   * @param sample sample.jsonl (the units' content)
   * @param share the share of each consensus-negative cell the experts review, in (0, 1]
   * @param raters the expert list (empty: assigned outside plumb)
   * @param overlap experts per item
   * @param seed the draw's seed
   * @param out the expert queue directory
   * @param createdBy recorded in the manifest
   */
  public record Request(Path gold, Path queue, Path sample, double share, List<String> raters, int overlap, long seed,
      Path out, String createdBy) {
    public Request {
      raters = List.copyOf(raters);
    }
  }

  /** What was written: the expert queue and its files. */
  public record Result(Queue queue, int reviewed, List<Path> files) {}

  /** Draws the expert subsample and writes its queue; nothing is written unless everything checks out. */
  public static Result run(Request r) {
    if (!(r.share() > 0 && r.share() <= 1)) {
      throw new InputException(Problem.of("--expert-negatives: " + r.share() + " is not in (0, 1]; it is the share of"
          + " each review stratum's consensus-negative units the experts review"));
    }
    if (r.overlap() < 1) {
      throw new InputException(Problem.of("--expert-overlap: must be at least 1, found " + r.overlap()));
    }
    if (!r.raters().isEmpty() && r.overlap() > r.raters().size()) {
      throw new InputException(Problem.of("--expert-overlap: " + r.overlap() + " experts per item, but the expert list"
          + " has only " + r.raters().size()));
    }
    Queue vendor = Queue.read(r.queue());
    String goldSource = r.gold().toString();
    Map<String, List<GoldFile.Gold>> gold = new TreeMap<>();
    GoldFile.forEach(r.gold(), g -> {
      if (vendor.policy(g.policy()) == null) {
        throw new InputException(Problem.at(goldSource, g.line(), "policy", "policy " + g.policy() + " is not reviewed"
            + " by the queue " + r.queue() + " (it reviews " + String.join(", ",
                vendor.policies().stream().map(ReviewPolicy::key).toList()) + ")"));
      }
      gold.computeIfAbsent(g.policy(), k -> new ArrayList<>()).add(g);
    });
    if (gold.isEmpty()) {
      throw new InputException(Problem.of(goldSource + ": no gold records; the expert tier is drawn from reviewed units"));
    }
    Map<String, String> cellOf = ExpertPhase.cells(gold);
    Map<String, List<String>> members = new TreeMap<>();
    cellOf.forEach((u, c) -> members.computeIfAbsent(c, k -> new ArrayList<>()).add(u));
    long h = UnitRandom.hash(r.seed(), ORDER);
    List<Queue.Stratum> strata = new ArrayList<>();
    Map<String, Queue.Stratum> drawn = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : members.entrySet()) {
      List<String> units = new ArrayList<>(e.getValue());
      int big = units.size();
      int n = e.getKey().endsWith(ExpertPhase.POSITIVE) ? big
          : Math.min(big, Math.max(2, (int) Math.ceil(r.share() * big - 1e-9)));
      Queue.Stratum st = new Queue.Stratum(e.getKey(), big, n, n / (double) big);
      strata.add(st);
      units.sort(Comparator.comparingDouble((String u) -> UnitRandom.uniform(h, u)).thenComparing(u -> u));
      units.subList(0, n).forEach(u -> drawn.put(u, st));
    }
    Map<String, JsonNode> components = new HashMap<>();
    int[] sampleUnits = {0};
    SampleFile.forEach(r.sample(), line -> {
      sampleUnits[0]++;
      if (drawn.containsKey(line.id())) {
        components.put(line.id(), line.node().path("components"));
      }
    });
    for (String u : drawn.keySet()) {
      if (!components.containsKey(u)) {
        throw new InputException(Problem.of(goldSource + ": unit \"" + u + "\" is not in the sample " + r.sample()
            + "; pass the sample the gold was reviewed from"));
      }
    }
    Queue queue = new Queue(r.seed(), design(r), vendor.policies(), strata, r.raters(), r.overlap(), vendor.raterBar(),
        items(r, drawn, h));
    ObjectNode inputs = Json.object();
    inputs.putObject("sample").put("path", r.sample().toString()).put("sha256", Hashing.sha256(r.sample()))
        .put("units", sampleUnits[0]);
    inputs.putObject("gold").put("path", goldSource).put("sha256", Hashing.sha256(r.gold())).put("units", cellOf.size());
    inputs.putObject("honeypots").put("path", (String) null).put("available", 0).put("items", 0);
    inputs.put("show_llm", false);
    Path dir = r.out();
    List<Path> files = List.of(dir.resolve("queue.csv"), dir.resolve("label-studio.json"),
        dir.resolve("label-studio.xml"), dir.resolve(Queue.MANIFEST));
    String csv = VendorFiles.csv(queue, components, Map.of(), Map.of());
    String tasks = Json.pretty(VendorFiles.tasks(queue, components, Map.of(), Map.of()));
    AtomicOutput.write(files.get(0), csv);
    AtomicOutput.write(files.get(1), tasks);
    AtomicOutput.write(files.get(2), VendorFiles.labelConfig(queue));
    AtomicOutput.write(files.get(3), Json.pretty(queue.toJson(r.createdBy(), inputs)));
    return new Result(queue, cellOf.size(), files);
  }

  private static ObjectNode design(Request r) {
    ObjectNode d = Json.object();
    d.put("type", "expert");
    d.put("from", r.gold().toString());
    d.put("queue", r.queue().toString());
    d.put("negatives", r.share());
    d.put("overlap", r.overlap());
    d.put("seed", r.seed());
    return d;
  }

  /** Items e-0001…: the drawn units in a seeded order, each with its experts (round-robin over a seeded shuffle). */
  private static List<Queue.Item> items(Request r, Map<String, Queue.Stratum> drawn, long h) {
    List<String> order = new ArrayList<>(drawn.keySet());
    order.sort(Comparator.comparingDouble((String u) -> UnitRandom.uniform(h, "order\u0000" + u)).thenComparing(u -> u));
    List<String> experts = new ArrayList<>(r.raters());
    experts.sort(Comparator.comparingDouble(x -> UnitRandom.uniform(h, "rater\u0000" + x)));
    int width = Math.max(4, Integer.toString(order.size()).length());
    List<Queue.Item> items = new ArrayList<>();
    for (int j = 0; j < order.size(); j++) {
      List<String> assigned = new ArrayList<>();
      for (int t = 0; t < (experts.isEmpty() ? 0 : r.overlap()); t++) {
        assigned.add(experts.get((j * r.overlap() + t) % experts.size()));
      }
      Queue.Stratum st = drawn.get(order.get(j));
      items.add(new Queue.Item(String.format(Locale.ROOT, "e-%0" + width + "d", j + 1), order.get(j), false, st.id(),
          st.pi(), assigned, Map.of()));
    }
    return items;
  }
}
