package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.calibration.files.PolicyDecisions;
import dev.plumb.calibration.files.SampleFile;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code plumb queue export}: draws the phase-2 review subsample from a labeled sample and writes the
 * review queue (docs/review.md).
 *
 * <p><b>Phase 2.</b> Stratified simple random sampling without replacement from the phase-1 sample
 * S (SRS is the one-stratum case). A unit's stratum is {@code llm_positive} when the LLM called it
 * positive for <i>any</i> policy in the labels ({@code stratify_by: any_positive}, the default), or
 * for the one policy named by {@code stratify_by}; {@code llm_negative} otherwise. Within stratum g,
 * the n_g units with the smallest phase-2 uniforms are drawn, so every unit of the stratum has
 * inclusion probability π2 = n_g/N_g given S. The uniforms are {@link UnitRandom#uniform} of the unit
 * id under the queue seed {@code h = hash(seed, "plumb.queue")}: independent of the phase-1 sample's
 * own random numbers, reproducible, and the same for a unit whatever order the files are in.
 *
 * <p><b>Weight classes</b> ({@code weight_classes: K}): each stratum reviewed in part is split
 * further into classes by the units' phase-1 contribution weight m_i·d1_i with its budget spread
 * over them ({@link WeightClasses}); the classes ({@code llm_negative/w1} lightest … {@code /wK})
 * are the phase-2 strata, each a simple random sample with its own π2.
 *
 * <p><b>Honeypots</b> (known-answer units from a file) are added at {@code honeypot_rate} per
 * sampled unit (rounded; all of them when the file has fewer). <b>Items</b> — sampled units and
 * honeypots together — are shuffled and numbered {@code q-0001…}, so neither the order nor the id
 * tells a rater which is which. With a rater list, item j goes to {@code overlap} distinct raters,
 * round-robin over a seeded shuffle of the list (equal loads, varied pairs).
 */
public final class QueueExport {
  static final String ORDER = "plumb.queue";

  private QueueExport() {}

  /**
   * @param sample sample.jsonl
   * @param labels labels.jsonl (every sampled unit needs an ok label for each policy)
   * @param design the review design
   * @param raters the rater list (empty: the vendor assigns raters)
   * @param honeypots honeypots.jsonl, or null
   * @param showLlm pre-annotate with the LLM's answers
   * @param seed the queue seed
   * @param out the queue directory
   * @param createdBy recorded in the manifest
   * @param policies looks up a policy key's decisions in the policy library; empty to learn them
   *     from the labels (then positives first, then negatives, each alphabetically)
   * @param pilot an earlier review's gold.jsonl whose rates guide {@code allocation:} ({@link ReviewPlan}), or null
   * @param pilotLabels the labels of the pilot's units (null: {@code labels})
   * @param round the round to draw of a design in {@code rounds:} ({@link SequentialReview}); 0: the whole review
   * @param reviewed the gold of the rounds before, checked to be the units this draw reviewed before
   * @param images how the Label Studio files carry a unit's images
   */
  public record Request(Path sample, Path labels, GoldDesign design, List<String> raters, Path honeypots,
      boolean showLlm, long seed, Path out, String createdBy, Function<String, Optional<ReviewPolicy>> policies,
      Path pilot, Path pilotLabels, int round, List<Path> reviewed, LabelStudioImages images) {
    public Request {
      raters = List.copyOf(raters);
      reviewed = List.copyOf(reviewed);
      java.util.Objects.requireNonNull(images, "images");
    }

    /** A request whose Label Studio files list the images in one tag ({@link LabelStudioImages#LIST}). */
    public Request(Path sample, Path labels, GoldDesign design, List<String> raters, Path honeypots,
        boolean showLlm, long seed, Path out, String createdBy, Function<String, Optional<ReviewPolicy>> policies,
        Path pilot, Path pilotLabels, int round, List<Path> reviewed) {
      this(sample, labels, design, raters, honeypots, showLlm, seed, out, createdBy, policies, pilot, pilotLabels, round,
          reviewed, LabelStudioImages.LIST);
    }

    /** A request for the whole review at once. */
    public Request(Path sample, Path labels, GoldDesign design, List<String> raters, Path honeypots,
        boolean showLlm, long seed, Path out, String createdBy, Function<String, Optional<ReviewPolicy>> policies,
        Path pilot, Path pilotLabels) {
      this(sample, labels, design, raters, honeypots, showLlm, seed, out, createdBy, policies, pilot, pilotLabels, 0,
          List.of());
    }

    /** A request without a pilot review. */
    public Request(Path sample, Path labels, GoldDesign design, List<String> raters, Path honeypots,
        boolean showLlm, long seed, Path out, String createdBy, Function<String, Optional<ReviewPolicy>> policies) {
      this(sample, labels, design, raters, honeypots, showLlm, seed, out, createdBy, policies, null, null);
    }
  }

  /** What was written. */
  public record Result(Queue queue, int sampleUnits, int honeypotsAvailable, List<Path> files, List<String> notices) {
    public Result {
      notices = List.copyOf(notices);
    }
  }

  record LlmAnswer(String decision, String category, double confidence, String model) {}

  /** Runs the export; nothing is written unless everything checks out. */
  public static Result run(Request r) {
    Drawn d = draw(r);
    return d.write();
  }

  /** The queue drawn and checked, with everything needed to write it. */
  record Drawn(Request r, Queue queue, int sampleUnits, int honeypotsAvailable, int honeypotsUsed,
      Map<String, JsonNode> components, Map<String, LlmAnswer[]> llm, Map<String, Integer> index,
      List<String> notices, ObjectNode round) {

    Result write() {
      ObjectNode inputs = Json.object();
      inputs.putObject("sample").put("path", r.sample().toString()).put("sha256", Hashing.sha256(r.sample()))
          .put("units", sampleUnits);
      inputs.putObject("labels").put("path", r.labels().toString()).put("sha256", Hashing.sha256(r.labels()));
      ObjectNode hp = inputs.putObject("honeypots");
      hp.put("path", r.honeypots() == null ? null : r.honeypots().toString());
      hp.put("available", honeypotsAvailable);
      hp.put("items", honeypotsUsed);
      inputs.put("show_llm", r.showLlm());
      if (round != null) {
        inputs.set("round", round);
      }
      Path dir = r.out();
      List<Path> files = files(dir);
      String csv = VendorFiles.csv(queue, components, llm, index);
      int slots = r.images() == LabelStudioImages.SLOTS ? VendorFiles.maxImages(queue, components) : 0;
      String tasks = Json.pretty(VendorFiles.tasks(queue, components, llm, index, r.images(), slots));
      String config = VendorFiles.labelConfig(queue, r.images(), slots);
      AtomicOutput.write(files.get(0), csv);
      AtomicOutput.write(files.get(1), tasks);
      AtomicOutput.write(files.get(2), config);
      AtomicOutput.write(files.get(3), Json.pretty(queue.toJson(r.createdBy(), inputs)));
      return new Result(queue, sampleUnits, honeypotsAvailable, files, notices);
    }
  }

  /** Draws and checks the queue without writing anything. */
  static Drawn draw(Request r) {
    SampleIds sample = sampleIds(r);
    LlmLabels labels = llmLabels(r, sample);
    GoldDesign d = r.design();
    long h = UnitRandom.hash(r.seed(), ORDER);
    List<String> by = stratifyBy(d, labels, r.labels().toString());
    Phase2 drawn;
    List<String> allocationNotes = List.of();
    if (GoldDesign.ACTIVE.equals(d.type())) {
      if (r.round() > 0) {
        throw new InputException(Problem.of("--round: an active review design is drawn in one round (Poisson"
            + " sampling); draw rounds with a srs or stratified design"));
      }
      drawn = ActiveInclusion.draw(d, labels, contributionWeights(r.sample(), sample.ids(), "type: active"), sample, h);
    } else if (d.allocation() != ReviewAllocation.FIXED) {
      // strata × weight classes sized together from the expected stratum variances (ReviewPlan)
      Map<String, List<Integer>> members = phase2Strata(d, labels, by, sample.ids().size());
      ReviewPlan.Layout layout = ReviewPlan.layout(r, sample, labels, by, members);
      Map<String, Integer> budgets = layout.budgets(d.allocation());
      drawn = phase2(layout.parts(), budgets, 1, null, sample.ids(), h);
      List<String> notes = new ArrayList<>(r.pilot() == null ? List.of()
          : PlanRates.pilotNotes(r.pilot(), List.copyOf(labels.answers().keySet())));
      // the allocation's strata whose review will probably see none of their violations (docs/review.md)
      ReviewPlan.unseen(layout, ReviewPlan.strata(layout, budgets)).forEach(u -> notes.add(u.message()));
      allocationNotes = notes;
    } else {
      Map<String, List<Integer>> members = phase2Strata(d, labels, by, sample.ids().size());
      double[] weight = d.weightClasses() > 1 ? contributionWeights(r.sample(), sample.ids(), "weight_classes") : null;
      if (d.weightClasses() > 1 && GoldDesign.BY_WEIGHT_AND_SCORE.equals(d.classesBy())) {
        scoreTilt(weight, sample.scores(), sample.lines(), by.stream().map(PolicyKey::idOf).distinct().toList(),
            r.sample().toString());
      }
      drawn = phase2(members, d.n(), d.weightClasses(), weight, sample.ids(), h);
    }
    ObjectNode round = null;
    if (d.rounds().count() > 1 || r.round() > 0) {
      RoundDraw.Drawn next = RoundDraw.draw(r, drawn, sample.ids());
      drawn = next.phase2();
      round = next.manifest();
    }
    List<Honeypot> pots = r.honeypots() == null ? List.of() : Honeypot.read(r.honeypots(), labels.policies());
    List<Honeypot> used = honeypots(r, pots, sample, drawn.chosen().size(), h);
    Queue queue = new Queue(r.seed(), d.toJson(), labels.policies(), drawn.strata(), r.raters(), d.overlap(),
        d.raterBar(), items(r, sample.ids(), drawn, used, h));
    Map<String, JsonNode> components = components(r.sample(), sample.ids(), drawn.chosen());
    used.forEach(p -> components.put(p.id(), p.components()));
    Map<String, LlmAnswer[]> llm = r.showLlm() ? labels.answers() : Map.of();
    List<String> notices = new ArrayList<>(allocationNotes);
    notices.addAll(honeypotNotices(r, pots.size(), drawn.chosen().size()));
    return new Drawn(r, queue, sample.ids().size(), pots.size(), used.size(), components, llm, sample.index(),
        notices, round);
  }

  /**
   * What the user should know about the honeypots: fewer in the file than the design's rate asks
   * for (all are used), or a file given to a design without {@code honeypot_rate} (none is used).
   */
  static List<String> honeypotNotices(Request r, int available, int drawn) {
    double rate = r.design().honeypotRate();
    if (r.honeypots() != null && rate == 0) {
      return List.of("honeypots " + r.honeypots() + " not used: the review design sets no honeypot_rate"
          + " (honeypot_rate: 0.1 mixes in one per ten reviewed units)");
    }
    long wanted = Math.round(rate * drawn);
    if (wanted > available) {
      return List.of(String.format(Locale.ROOT, "honeypot_rate %s asks for %,d honeypots (%,d reviewed units); %s"
          + " has %,d: all %,d used", Numbers.plain(rate), wanted, drawn, r.honeypots(), available, available));
    }
    return List.of();
  }

  /** The sample's unit ids in file order, each unit's scores (null when absent) and line. */
  record SampleIds(List<String> ids, Map<String, Integer> index, List<JsonNode> scores, List<Integer> lines) {}

  /** The LLM's ok answer per policy × sampled unit, and each policy's decisions and categories. */
  record LlmLabels(Map<String, LlmAnswer[]> answers, List<ReviewPolicy> policies) {
    /** The labeled policy of this key. */
    ReviewPolicy policy(String key) {
      return policies.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    }
  }

  static SampleIds sampleIds(Request r) {
    List<String> ids = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    List<JsonNode> scores = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    SampleFile.forEach(r.sample(), line -> {
      index.put(line.id(), ids.size());
      ids.add(line.id());
      scores.add(line.node().get("scores"));
      lines.add(line.number());
    });
    return new SampleIds(ids, index, scores, lines);
  }

  /** Labels ({@link LabelFile}): every sampled unit needs an ok label for every policy. */
  static LlmLabels llmLabels(Request r, SampleIds sample) {
    String sampleSource = r.sample().toString();
    List<String> ids = sample.ids();
    Map<String, Integer> index = sample.index();
    String labelSource = r.labels().toString();
    Map<String, LlmAnswer[]> answers = new TreeMap<>();
    Map<String, ReviewPolicy> library = new HashMap<>();
    PolicyDecisions decisions = PolicyDecisions.lookup(k -> Optional.ofNullable(
        library.computeIfAbsent(k, x -> r.policies().apply(x).orElse(null))).map(ReviewPolicy::decisions));
    Map<String, Set<String>> categories = new HashMap<>();
    LabelFile.forEach(r.labels(), l -> {
      Integer i = index.get(l.unit());
      if (i == null) {
        throw new InputException(Problem.at(labelSource, l.line(), "unit",
            "unit \"" + l.unit() + "\" is not in the sample " + sampleSource));
      }
      LlmAnswer[] row = answers.computeIfAbsent(l.policy(), k -> new LlmAnswer[ids.size()]);
      if (!l.ok()) {
        return;
      }
      String policy = l.policy();
      String decision = l.decision();
      boolean positive = l.positive();
      decisions.check(labelSource, l.line(), policy, decision, positive, true);
      if (l.category() != null) {
        categories.computeIfAbsent(policy, k -> new java.util.TreeSet<>()).add(l.category());
      }
      row[i] = new LlmAnswer(decision, l.category(), l.confidence(), l.model());
    });
    List<ReviewPolicy> policies = new ArrayList<>();
    for (Map.Entry<String, LlmAnswer[]> e : answers.entrySet()) {
      String policy = e.getKey();
      LlmAnswer[] row = e.getValue();
      int missing = 0;
      String first = null;
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          missing++;
          first = first == null ? ids.get(i) : first;
        }
      }
      if (missing > 0) {
        throw new InputException(Problem.of(labelSource + ": policy " + policy + ": " + missing + " sampled unit"
            + (missing == 1 ? " has" : "s have") + " no ok label (first: " + first
            + "); the review subsample is drawn given the LLM's call on every sampled unit"));
      }
      ReviewPolicy p = library.get(policy);
      if (p == null) {
        // learned from the labels: in the order the labels happened to show them, the raters' choices
        // differed from policy to policy (safe, borderline, violating beside borderline, violating,
        // safe); positives first, then negatives, each alphabetically, as policies usually list them
        Map<String, Boolean> ds = new LinkedHashMap<>();
        Map<String, Boolean> seen = new TreeMap<>(decisions.decisions(policy));
        seen.forEach((d, positive) -> {
          if (positive) {
            ds.put(d, true);
          }
        });
        seen.forEach((d, positive) -> ds.putIfAbsent(d, false));
        p = new ReviewPolicy(policy, ds, new ArrayList<>(categories.getOrDefault(policy, Set.of())));
      }
      policies.add(p);
    }
    return new LlmLabels(answers, policies);
  }

  /** The policies whose LLM call splits phase 2 into LLM-positive and LLM-negative (all of them unless stratified). */
  static List<String> stratifyBy(GoldDesign d, LlmLabels labels, String labelSource) {
    Map<String, LlmAnswer[]> answers = labels.answers();
    List<String> by = new ArrayList<>(answers.keySet());
    if ("stratified".equals(d.type())) {
      by.clear();
      if (d.stratifyBy().equals(GoldDesign.ANY_POSITIVE)) {
        by.addAll(answers.keySet());
      } else {
        for (String key : answers.keySet()) {
          if (PolicyKey.idOf(key).equals(d.stratifyBy()) || key.equals(d.stratifyBy())) {
            by.add(key);
          }
        }
        if (by.isEmpty()) {
          throw new InputException(Problem.of("stratify_by: policy \"" + d.stratifyBy() + "\" has no labels in "
              + labelSource + " (policies: " + String.join(", ", answers.keySet()) + ")"));
        }
      }
    }
    return by;
  }

  /** Phase-2 strata → sample indexes: one stratum for srs, else LLM-positive (for any of {@code by}) and negative. */
  static Map<String, List<Integer>> phase2Strata(GoldDesign d, LlmLabels labels, List<String> by, int n) {
    boolean[] positive = new boolean[n];
    if ("stratified".equals(d.type())) {
      for (String key : by) {
        ReviewPolicy p = labels.policies().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
        LlmAnswer[] row = labels.answers().get(key);
        for (int i = 0; i < row.length; i++) {
          positive[i] |= p.decisions().get(row[i].decision());
        }
      }
    }
    Map<String, List<Integer>> members = new LinkedHashMap<>();
    for (String s : "srs".equals(d.type()) ? List.of("all") : List.of(GoldDesign.POSITIVE, GoldDesign.NEGATIVE)) {
      members.put(s, new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      String s = "srs".equals(d.type()) ? "all" : positive[i] ? GoldDesign.POSITIVE : GoldDesign.NEGATIVE;
      members.get(s).add(i);
    }
    return members;
  }

  /** The honeypots mixed in: honeypot_rate × the drawn units, chosen by the seed. */
  private static List<Honeypot> honeypots(Request r, List<Honeypot> pots, SampleIds sample, int drawn, long h) {
    GoldDesign d = r.design();
    for (Honeypot p : pots) {
      if (sample.index().containsKey(p.id())) {
        throw new InputException(Problem.at(r.honeypots().toString(), p.line(), "id",
            "honeypot \"" + p.id() + "\" is also a unit of the sample " + r.sample()));
      }
    }
    if (d.honeypotRate() > 0 && r.honeypots() == null) {
      throw new InputException(Problem.of("honeypot_rate: " + d.honeypotRate()
          + " needs honeypots; pass --honeypots FILE (or set honeypot_rate: 0)"));
    }
    int wanted = (int) Math.round(d.honeypotRate() * drawn);
    List<Honeypot> used = new ArrayList<>(pots);
    used.sort(Comparator.comparingDouble(p -> UnitRandom.uniform(h, "honeypot\u0000" + p.id())));
    return used.subList(0, Math.min(wanted, used.size()));
  }

  /** Items: drawn units and honeypots shuffled together, numbered, each with its raters. */
  private static List<Queue.Item> items(Request r, List<String> ids, Phase2 drawn, List<Honeypot> used, long h) {
    GoldDesign d = r.design();
    record Pending(String unit, Integer sampleIndex, Honeypot pot) {}
    List<Pending> pending = new ArrayList<>();
    drawn.chosen().forEach(i -> pending.add(new Pending(ids.get(i), i, null)));
    used.forEach(p -> pending.add(new Pending(p.id(), null, p)));
    pending.sort(Comparator.comparingDouble((Pending p) -> UnitRandom.uniform(h, "order\u0000" + p.unit()))
        .thenComparing(Pending::unit));
    if (d.overlap() > r.raters().size() && !r.raters().isEmpty()) {
      throw new InputException(Problem.of("overlap: " + d.overlap() + " raters per item, but the rater list has only "
          + r.raters().size()));
    }
    List<String> shuffled = new ArrayList<>(r.raters());
    shuffled.sort(Comparator.comparingDouble(x -> UnitRandom.uniform(h, "rater\u0000" + x)));
    int width = Math.max(4, Integer.toString(pending.size()).length());
    List<Queue.Item> items = new ArrayList<>();
    for (int j = 0; j < pending.size(); j++) {
      Pending p = pending.get(j);
      List<String> assigned = new ArrayList<>();
      if (!shuffled.isEmpty()) {
        for (int t = 0; t < d.overlap(); t++) {
          assigned.add(shuffled.get((j * d.overlap() + t) % shuffled.size()));
        }
      }
      String item = String.format(Locale.ROOT, "q-%0" + width + "d", j + 1);
      if (p.pot() != null) {
        items.add(new Queue.Item(item, p.unit(), true, null, 0, assigned, p.pot().known()));
      } else {
        Queue.Stratum st = drawn.stratumOf().get(p.sampleIndex());
        items.add(new Queue.Item(item, p.unit(), false, st.id(), st.pi(), assigned, Map.of()));
      }
    }
    return items;
  }

  /** Content of the chosen units (second pass over the sample). */
  private static Map<String, JsonNode> components(Path sample, List<String> ids, List<Integer> chosen) {
    Map<String, JsonNode> components = new HashMap<>();
    Set<String> wantedIds = new java.util.HashSet<>();
    chosen.forEach(i -> wantedIds.add(ids.get(i)));
    SampleFile.forEach(sample, line -> {
      if (wantedIds.contains(line.id())) {
        components.put(line.id(), line.node().path("components"));
      }
    });
    return components;
  }

  /** The phase-2 draw: the strata (with their π2), the drawn units and each one's stratum. */
  record Phase2(List<Queue.Stratum> strata, List<Integer> chosen, Map<Integer, Queue.Stratum> stratumOf,
      Map<String, List<Integer>> ordered) {}

  /**
   * Draws phase 2: in each stratum (split into weight classes when {@code k0} &gt; 1 and the stratum
   * is reviewed in part) the units with the smallest uniforms under {@code h}.
   *
   * @param members stratum id → indices into {@code ids}
   * @param n0 stratum id → units to review
   * @param k0 weight classes wanted (1: none)
   * @param weight phase-1 contribution weight per index (only read when k0 &gt; 1)
   */
  static Phase2 phase2(Map<String, List<Integer>> members, Map<String, Integer> n0, int k0, double[] weight,
      List<String> ids, long h) {
    double[] u = new double[ids.size()];
    for (List<Integer> list : members.values()) {
      for (int i : list) {
        u[i] = UnitRandom.uniform(h, ids.get(i));
      }
    }
    List<Queue.Stratum> strata = new ArrayList<>();
    List<Integer> chosen = new ArrayList<>();
    Map<Integer, Queue.Stratum> stratumOf = new HashMap<>();
    Map<String, List<Integer>> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
      List<Integer> m = e.getValue();
      int want = n0.get(e.getKey());
      int n = Math.min(want, m.size());
      if (!m.isEmpty() && n == 0) {
        throw new InputException(Problem.of("n" + ("all".equals(e.getKey()) ? "" : "." + e.getKey())
            + ": stratum " + e.getKey() + " has " + m.size() + " sampled units but n is 0; every unit needs a"
            + " phase-2 inclusion probability above 0, so review at least one"));
      }
      List<List<Integer>> parts = new ArrayList<>();
      List<Integer> budgets = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (k0 <= 1 || n >= m.size()) {
        parts.add(m);
        budgets.add(n);
        names.add(e.getKey());
      } else {
        double[] w = new double[m.size()];
        for (int j = 0; j < w.length; j++) {
          w[j] = weight[m.get(j)];
        }
        List<WeightClasses.Class> classes = WeightClasses.split(w, n, k0);
        for (int c = 0; c < classes.size(); c++) {
          List<Integer> part = new ArrayList<>();
          for (int j : classes.get(c).members()) {
            part.add(m.get(j));
          }
          parts.add(part);
          budgets.add(classes.get(c).n());
          names.add(e.getKey() + "/w" + (c + 1));
        }
      }
      for (int c = 0; c < parts.size(); c++) {
        List<Integer> part = parts.get(c);
        int k = budgets.get(c);
        Queue.Stratum st = new Queue.Stratum(names.get(c), part.size(), k, part.isEmpty() ? 0 : k / (double) part.size());
        strata.add(st);
        part.sort(Comparator.comparingDouble(i -> u[i]));
        ordered.put(names.get(c), part);
        for (int i : part.subList(0, k)) {
          chosen.add(i);
          stratumOf.put(i, st);
        }
      }
    }
    return new Phase2(strata, chosen, stratumOf, ordered);
  }

  /** The floor of the score's standard deviation in {@link #scoreTilt}. */
  static final double MIN_SCORE_SD = 0.1;

  /**
   * {@code classes_by: weight_and_score}: multiplies each unit's contribution weight by the standard
   * deviation √(s(1−s)) of the violation its risk score s predicts (s = the highest score among the
   * stratifying policies), floored at {@link #MIN_SCORE_SD} so that a unit the score calls safe still
   * counts a fifth as much as the most uncertain one: classes, and so review rates, follow where
   * Neyman allocation would put the reviews (w·sd), without trusting the score to be calibrated.
   */
  static void scoreTilt(double[] weight, List<JsonNode> scores, List<Integer> lines, List<String> policies, String source) {
    for (int i = 0; i < weight.length; i++) {
      JsonNode sc = scores.get(i);
      double s = 0;
      for (String p : policies) {
        JsonNode v = sc == null ? null : sc.get(p);
        if (v == null || !v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
          throw new InputException(Problem.at(source, lines.get(i), "scores." + p, (v == null ? "missing" : "not a score in [0, 1]: " + v)
              + "; classes_by: weight_and_score needs every sampled unit's risk score (plumb score)"));
        }
        s = Math.max(s, v.asDouble());
      }
      weight[i] *= Math.max(MIN_SCORE_SD, Math.sqrt(s * (1 - s)));
    }
  }

  /**
   * Each sampled unit's phase-1 contribution weight m_i·d1_i (exposure × phase-1 design weight, as
   * the estimators use it), in the order of {@code ids}, from the sample and its manifest beside it
   * ({@code sample.json} for {@code sample.jsonl}).
   */
  static double[] contributionWeights(Path sample, List<String> ids, String option) {
    DesignSample p1 = phase1(sample, option);
    return contributionWeights(p1, rows(p1, ids));
  }

  /** Each unit's row in the phase-1 sample, in the order of {@code ids}. */
  static int[] rows(DesignSample p1, List<String> ids) {
    int[] at = new int[ids.size()];
    for (int j = 0; j < at.length; j++) {
      at[j] = p1.indexOf(ids.get(j)).orElseThrow();
    }
    return at;
  }

  /** m_i·d1_i of the phase-1 rows {@code at}. */
  static double[] contributionWeights(DesignSample p1, int[] at) {
    double[] w = new double[at.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = p1.exposure(at[j]) * p1.designWeight(at[j]);
    }
    return w;
  }

  /** The phase-1 sample with its design weights, from the manifest beside it; {@code option} names who needs it. */
  static DesignSample phase1(Path sample, String option) {
    String name = sample.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    Path manifest = sample.resolveSibling(name + ".json");
    if (!Files.exists(manifest)) {
      throw new InputException(Problem.of(option + ": needs the sample manifest " + manifest
          + " (written beside the sample by plumb sample) for the phase-1 design weights"));
    }
    return DesignSample.read(sample, manifest);
  }

  /**
   * Reads a rater list: one rater id per line; blank lines and lines starting with {@code #} are
   * skipped; surrounding spaces are trimmed.
   */
  public static List<String> readRaters(Path path) {
    String source = path.toString();
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String r = lines.get(i).strip();
      if (r.isEmpty() || r.startsWith("#")) {
        continue;
      }
      Integer first = seen.putIfAbsent(r, i + 1);
      if (first != null) {
        throw new InputException(Problem.at(source, i + 1, "", "rater \"" + r + "\" listed twice (first on line " + first + ")"));
      }
    }
    if (seen.isEmpty()) {
      throw new InputException(Problem.of(source + ": no raters (one rater id per line)"));
    }
    return new ArrayList<>(seen.keySet());
  }

  /**
   * The files an export writes into the queue folder {@code dir}, in this order: {@code queue.csv},
   * {@code label-studio.json}, {@code label-studio.xml}, {@code queue.json}.
   */
  public static List<Path> files(Path dir) {
    return List.of(dir.resolve("queue.csv"), dir.resolve("label-studio.json"), dir.resolve("label-studio.xml"),
        dir.resolve(Queue.MANIFEST));
  }

}
