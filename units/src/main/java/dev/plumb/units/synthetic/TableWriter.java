package dev.plumb.units.synthetic;

import static dev.plumb.units.synthetic.LogGenerator.BORDERLINE;
import static dev.plumb.units.synthetic.LogGenerator.BORDERLINE_KIND;
import static dev.plumb.units.synthetic.LogGenerator.DAMPING;
import static dev.plumb.units.synthetic.LogGenerator.DECOY;
import static dev.plumb.units.synthetic.LogGenerator.DECOY_KIND;
import static dev.plumb.units.synthetic.LogGenerator.DECOY_MIN_RANK;
import static dev.plumb.units.synthetic.LogGenerator.DECOY_QUERY;
import static dev.plumb.units.synthetic.LogGenerator.MAX_IMPRESSIONS;
import static dev.plumb.units.synthetic.LogGenerator.POLICIES;
import static dev.plumb.units.synthetic.LogGenerator.QUERY_SHARE;
import static dev.plumb.units.synthetic.LogGenerator.REVIEW_AUDIT;
import static dev.plumb.units.synthetic.LogGenerator.REVIEW_FLAG;
import static dev.plumb.units.synthetic.LogGenerator.SAFE;
import static dev.plumb.units.synthetic.LogGenerator.VIOLATING;
import static dev.plumb.units.synthetic.LogGenerator.VIOLATING_KIND;
import static dev.plumb.units.synthetic.LogGenerator.unitsYaml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.units.synthetic.LogGenerator.Format;
import dev.plumb.units.synthetic.LogGenerator.Options;
import dev.plumb.units.synthetic.LogGenerator.PolicyTruth;
import dev.plumb.units.synthetic.LogGenerator.Result;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One population drawn and written by {@link LogGenerator}: the model's constants, the pins and
 * their pools, and the interactions drawn one by one in a fixed order of random numbers. In collect
 * mode nothing is written and the distinct texts a past review round saw are kept instead.
 */
final class TableWriter {
  private final Options o;
  /** Collect mode: tables are not written; each distinct component text → positive policies (bit p). */
  private final boolean collect;
  private final LinkedHashMap<String, Integer> reviewed = new LinkedHashMap<>();
  private String[] pinText;
  private double[] pinRisk;
  /** The last score {@link #score} drew. */
  private double lastScore;
  private final SplittableRandom rng;
  private final int topics = Texts.topics();
  private final int perTopic;
  private final int safePins;
  private final int[] poolStart = new int[POLICIES.size() * 2];
  private final int[] poolSize = new int[POLICIES.size() * 2];
  private final Zipf[] poolZipf = new Zipf[POLICIES.size() * 2];
  private final List<Texts.Labeled> poolTexts = new ArrayList<>();
  private final int totalPins;
  private final int[] pinId;
  private final byte[] kind;
  private final byte[] pinPolicy;
  private final Zipf topicZipf;
  private final Zipf pinZipf;
  private final Zipf impressions;

  /** In collect mode, after {@link #write}: each distinct text a past review saw → its positive policies (bit p). */
  LinkedHashMap<String, Integer> reviewed() {
    return reviewed;
  }

  TableWriter(Options o, boolean collect) {
    this.o = o;
    this.collect = collect;
    this.rng = new SplittableRandom(o.seed());
    long n = o.interactions();
    this.perTopic = (int) Math.max(20, Math.min(Integer.MAX_VALUE / 64, n * 2 / 5 / topics));
    this.safePins = perTopic * topics;
    int next = safePins;
    for (int p = 0; p < POLICIES.size(); p++) {
      for (int b = 0; b < 2; b++) {
        double rate = b == 0 ? VIOLATING[p] : BORDERLINE[p];
        int size = (int) Math.max(8, Math.min(1_000_000, Math.round(n * rate / 6)));
        poolStart[2 * p + b] = next;
        poolSize[2 * p + b] = size;
        poolZipf[2 * p + b] = new Zipf(size, 1.0);
        next += size;
      }
    }
    this.totalPins = next;
    this.kind = new byte[totalPins];
    this.pinPolicy = new byte[totalPins];
    this.pinId = permutation(totalPins, new SplittableRandom(o.seed() ^ 0x5DEECE66DL));
    this.topicZipf = new Zipf(topics, 0.6);
    this.pinZipf = new Zipf(perTopic, 0.9);
    this.impressions = new Zipf(MAX_IMPRESSIONS, 2.1);
  }

  /** Totals over the interactions written so far, for truth.json and the result. */
  private long components;
  private long scoreRows;
  private long totalWeight;
  private final long[] units = new long[POLICIES.size()];
  private final long[] positives = new long[POLICIES.size()];
  private final long[] positiveWeight = new long[POLICIES.size()];
  private final StringBuilder line = new StringBuilder(512);

  /**
   * Writes every table, then truth.json, units.yaml and (for Parquet) converts the tables; in
   * collect mode writes nothing and returns null. Each interaction draws its random numbers in one
   * fixed order ({@link #drawInteraction}, then {@link #writeRows}), which keeps the files
   * byte-identical for a seed.
   */
  Result write(long t0) throws IOException {
    Path dir = o.out();
    String[] days = new String[o.days()];
    for (int d = 0; d < days.length; d++) {
      days[d] = o.start().plusDays(d).toString();
    }
    clearTables(dir);
    try (Writer pins = CsvFiles.writer(dir.resolve("pins.csv"), collect);
        Writer scores = CsvFiles.writer(dir.resolve("risk_scores.csv"), collect);
        Writer truth = CsvFiles.writer(dir.resolve("truth.jsonl"), collect)) {
      pins.write("pin_id,title,description,image_url\n");
      scores.write("entity_id,policy,score\n");
      scoreRows = writePins(pins, scores);
      try (CsvFiles.DayWriters tables = new CsvFiles.DayWriters(days.length)) {
        tables.open(dir, days, collect);
        Interaction x = new Interaction();
        long n = o.interactions();
        long users = Math.max(10, n / 3);
        for (long i = 1; i <= n; i++) {
          int d = (int) ((i - 1) * days.length / n);
          drawInteraction(x, "i-" + i, users);
          double ownRisk = writeRows(x, tables, days, d, scores);
          if (collect) {
            collectReviewed(x, ownRisk);
          }
          writeTruth(x, truth);
        }
      }
    }
    return collect ? null : finish(dir, t0);
  }

  /** Empties the day-partitioned table directories of earlier CSV and Parquet files. */
  private void clearTables(Path dir) throws IOException {
    for (String table : collect ? List.<String>of() : List.of("interactions", "components", "impressions")) {
      Path t = dir.resolve(table);
      if (Files.isDirectory(t)) {
        try (Stream<Path> old = Files.list(t)) {
          for (Path f : old.toList()) {
            String name = f.getFileName().toString();
            if (name.endsWith(".csv") || name.endsWith(".parquet")) {
              Files.delete(f);
            }
          }
        }
      }
      Files.createDirectories(t);
    }
  }

  /** Draws one interaction: its context, which policies it violates, its pins and its texts. */
  private void drawInteraction(Interaction x, String id, long users) {
    drawContext(x, id, users);
    drawStatuses(x);
    drawSafePins(x);
    placeViolations(x);
    fillTexts(x);
  }

  private void drawContext(Interaction x, String id, long users) {
    x.id = id;
    double u = rng.nextDouble();
    if (u < 0.45) {
      x.surface = "search";
      x.pinsWanted = 3 + rng.nextInt(6);
    } else if (u < 0.80) {
      x.surface = "home_feed";
      x.pinsWanted = 4 + rng.nextInt(6);
    } else if (u < 0.95) {
      x.surface = "related_pins";
      x.pinsWanted = 3 + rng.nextInt(4);
    } else {
      x.surface = "assistant";
      x.pinsWanted = 2 + rng.nextInt(3);
    }
    double pu = rng.nextDouble();
    x.platform = pu < 0.45 ? "ios" : pu < 0.8 ? "android" : "web";
    double uu = rng.nextDouble();
    x.user = 1 + (long) (uu * uu * users);
    x.topic = topicZipf.sample(rng);
    x.w = 1 + impressions.sample(rng);
    x.damp = Math.min(1.0, (double) DAMPING / x.w);
  }

  /** Which policies this interaction violates, or comes close to. */
  private void drawStatuses(Interaction x) {
    for (int p = 0; p < x.status.length; p++) {
      double v = rng.nextDouble();
      x.status[p] = v < VIOLATING[p] * x.damp ? VIOLATING_KIND
          : v < (VIOLATING[p] + BORDERLINE[p]) * x.damp ? BORDERLINE_KIND : SAFE;
      x.category[p] = null;
      x.inText[p] = false;
    }
  }

  /** Safe topical pins, no pin twice in one interaction. */
  private void drawSafePins(Interaction x) {
    x.count = x.pinsWanted;
    for (int s = 0; s < x.count; s++) {
      int pin;
      int tries = 0;
      do {
        pin = pinZipf.sample(rng) * topics + x.topic;
        tries++;
      } while (contains(x.slots, s, pin) && tries < 20);
      if (contains(x.slots, s, pin)) {
        pin = firstFree(x.slots, s, x.topic);
      }
      x.slots[s] = pin;
      x.taken[s] = false;
    }
  }

  /**
   * Carries each violation (by a query, an assistant response or a violating pin) and each
   * borderline case (a borderline pin), a pool pin replacing a safe one or added after them.
   */
  private void placeViolations(Interaction x) {
    boolean hasQuery = hasQuery(x);
    x.query = null;
    x.response = null;
    // a query or response carries at most one violation: queryPolicy/responsePolicy >= 0 once used
    x.queryPolicy = -1;
    x.responsePolicy = -1;
    for (int p = 0; p < x.status.length; p++) {
      if (x.status[p] == SAFE) {
        continue;
      }
      if (x.status[p] == VIOLATING_KIND) {
        if (hasQuery && x.queryPolicy < 0 && rng.nextDouble() < QUERY_SHARE[p]) {
          Texts.Labeled q = Texts.violatingQuery(rng, p);
          if (q != null) {
            x.query = inText(x, p, q);
            x.queryPolicy = p;
            continue;
          }
        }
        if (x.surface.equals("assistant") && x.responsePolicy < 0 && rng.nextBoolean()) {
          Texts.Labeled a = Texts.violatingResponse(rng, p);
          if (a != null) {
            x.response = inText(x, p, a);
            x.responsePolicy = p;
            continue;
          }
        }
      }
      int pool = 2 * p + (x.status[p] == VIOLATING_KIND ? 0 : 1);
      int pin = poolStart[pool] + poolZipf[pool].sample(rng);
      int slot = freeSlot(x.taken, x.count);
      if (slot < 0) {
        slot = x.count++;
      }
      x.slots[slot] = pin;
      x.taken[slot] = true;
      if (x.status[p] == VIOLATING_KIND) {
        x.category[p] = poolTexts.get(pin - safePins).category();
      }
    }
  }

  /** Marks policy {@code p}'s violation as carried by {@code text} (a query or response); returns the text. */
  private static String inText(Interaction x, int p, Texts.Labeled text) {
    x.category[p] = text.category();
    x.inText[p] = true;
    return text.title();
  }

  private static boolean hasQuery(Interaction x) {
    return x.surface.equals("search") || x.surface.equals("assistant");
  }

  /** The query and response no violation supplied: ordinary texts of the surface. */
  private void fillTexts(Interaction x) {
    if (x.query == null && hasQuery(x)) {
      // a few searches use a policy's vocabulary for allowed ends (support, fact-checks, art)
      x.query = x.surface.equals("search")
          ? rng.nextDouble() < DECOY_QUERY ? Texts.decoyQuery(rng) : Texts.searchQuery(rng, x.topic)
          : Texts.assistantQuery(rng, x.topic);
    }
    if (x.response == null) {
      x.response = switch (x.surface) {
        case "search" -> Texts.searchResponse(rng, x.query, x.count);
        case "related_pins" -> Texts.relatedResponse(rng);
        case "assistant" -> Texts.assistantResponse(rng, x.topic);
        default -> null;
      };
    }
  }

  /**
   * The interaction's rows on day {@code d}: interactions, components, impressions (30% of the
   * interactions seen twice or more spill into the next day) and the scores of its own text
   * (query + response, entity i-&lt;n&gt;).
   *
   * @return the highest own-text score, the risk a past review round saw
   */
  private double writeRows(Interaction x, CsvFiles.DayWriters tables, String[] days, int d, Writer scores) throws IOException {
    line.setLength(0);
    line.append(x.id).append(",u-").append(x.user).append(',').append(days[d]).append(',')
        .append(x.surface).append(',').append(x.platform).append(',');
    CsvFiles.quote(line, x.query).append(',');
    CsvFiles.quote(line, x.response).append('\n');
    tables.inter[d].append(line);

    line.setLength(0);
    for (int s = 0; s < x.count; s++) {
      line.append(x.id).append(',').append(s + 1).append(",pin-").append(pinId[x.slots[s]]).append('\n');
    }
    tables.comp[d].append(line);
    components += x.count;

    line.setLength(0);
    if (d + 1 < days.length && x.w >= 2 && rng.nextDouble() < 0.3) {
      int first = 1 + rng.nextInt(x.w - 1);
      line.append(x.id).append(',').append(days[d]).append(',').append(first).append('\n');
      tables.imp[d].append(line);
      line.setLength(0);
      line.append(x.id).append(',').append(days[d + 1]).append(',').append(x.w - first).append('\n');
      tables.imp[d + 1].append(line);
    } else {
      line.append(x.id).append(',').append(days[d]).append(',').append(x.w).append('\n');
      tables.imp[d].append(line);
    }

    line.setLength(0);
    double ownRisk = 0;
    for (int p = 0; p < x.status.length; p++) {
      line.append(x.id).append(',').append(POLICIES.get(p)).append(',');
      score(line, x.inText[p] ? VIOLATING_KIND : SAFE, false).append('\n');
      ownRisk = Math.max(ownRisk, lastScore);
    }
    scores.append(line);
    scoreRows += x.status.length;
    return ownRisk;
  }

  /** A past review round, text by text: what the logged risk model flagged, and a random audit of the rest. */
  private void collectReviewed(Interaction x, double ownRisk) {
    collect(x.query, x.queryPolicy, ownRisk);
    collect(x.response, x.responsePolicy, ownRisk);
    for (int sl = 0; sl < x.count; sl++) {
      int k = x.slots[sl];
      collect(pinText[k], kind[k] == VIOLATING_KIND ? pinPolicy[k] : -1, pinRisk[k]);
    }
  }

  /** The interaction's truth.jsonl lines (one per policy), adding to the totals. */
  private void writeTruth(Interaction x, Writer truth) throws IOException {
    line.setLength(0);
    totalWeight += x.w;
    for (int p = 0; p < x.status.length; p++) {
      boolean positive = x.status[p] == VIOLATING_KIND;
      units[p]++;
      if (positive) {
        positives[p]++;
        positiveWeight[p] += x.w;
      }
      line.append("{\"unit\":\"").append(x.id).append("\",\"policy\":\"").append(POLICIES.get(p))
          .append("\",\"decision\":\"")
          .append(positive ? "violating" : x.status[p] == BORDERLINE_KIND ? "borderline" : "safe")
          .append("\",\"positive\":").append(positive).append(",\"category\":");
      if (positive) {
        line.append('"').append(x.category[p]).append("\"}\n");
      } else {
        line.append("null}\n");
      }
    }
    truth.append(line);
  }

  /** truth.json, the Parquet conversion and units.yaml, once every table is written. */
  private Result finish(Path dir, long t0) throws IOException {
    List<PolicyTruth> truths = new ArrayList<>();
    ObjectNode policies = Json.object();
    for (int p = 0; p < POLICIES.size(); p++) {
      PolicyTruth t = new PolicyTruth(POLICIES.get(p), units[p], positives[p], totalWeight, positiveWeight[p]);
      truths.add(t);
      ObjectNode node = policies.putObject(t.policy());
      node.put("prevalence", t.prevalence());
      node.put("units", t.units());
      node.put("positive_units", t.positiveUnits());
      node.put("weight", t.weight());
      node.put("positive_weight", t.positiveWeight());
    }
    ObjectNode root = Json.object();
    root.put("format", "plumb.truth/1");
    root.put("seed", o.seed());
    root.put("interactions", o.interactions());
    root.set("policies", policies);
    AtomicOutput.write(dir.resolve("truth.json"), Json.pretty(root));
    if (o.format() == Format.PARQUET) {
      Parquet.convert(dir);
    }
    AtomicOutput.write(dir.resolve("units.yaml"), unitsYaml(o.format() == Format.PARQUET ? "parquet" : "csv"));
    return new Result(dir, o.interactions(), components, totalPins, scoreRows, truths,
        (System.nanoTime() - t0) / 1e9, 0, List.of());
  }

  /**
   * Records a shown text and the policy it violates (-1: none) for reviewed.jsonl when the review
   * rounds saw it: its logged risk score reached REVIEW_FLAG, or the text is in the random audit
   * (decided by the text, so a text shown often is audited or not, once).
   */
  private void collect(String text, int policy, double risk) {
    if (text == null || reviewed.containsKey(text)) {
      return;
    }
    boolean audited = new SplittableRandom(o.seed() ^ text.hashCode()).nextDouble() < REVIEW_AUDIT;
    if (risk >= REVIEW_FLAG || audited) {
      reviewed.put(text, policy < 0 ? 0 : 1 << policy);
    }
  }

  /** pins.csv and the pins' risk scores; fills the pool texts and the pin kinds. */
  private long writePins(Writer pins, Writer scores) throws IOException {
    if (collect) {
      pinText = new String[totalPins];
      pinRisk = new double[totalPins];
    }
    for (int p = 0; p < POLICIES.size(); p++) {
      for (int b = 0; b < 2; b++) {
        int start = poolStart[2 * p + b];
        for (int k = 0; k < poolSize[2 * p + b]; k++) {
          SplittableRandom r = pinRandom(start + k);
          poolTexts.add(b == 0 ? Texts.violatingPin(r, p) : Texts.borderlinePin(r, p));
          kind[start + k] = b == 0 ? VIOLATING_KIND : BORDERLINE_KIND;
          pinPolicy[start + k] = (byte) p;
        }
      }
    }
    long rows = 0;
    for (int k = 0; k < totalPins; k++) {
      SplittableRandom r = pinRandom(k);
      String title;
      String description;
      if (k < safePins) {
        int topic = k % topics;
        // decoys are ordinary pins, not a topic's very most popular ones (one decoy at the top of a
        // topic would be shown in a tenth of all interactions and dominate every estimate)
        if (r.nextDouble() < DECOY && k / topics >= DECOY_MIN_RANK) {
          int p = r.nextInt(POLICIES.size());
          Texts.Labeled decoy = Texts.decoyPin(r, p);
          title = decoy.title();
          description = decoy.description();
          kind[k] = DECOY_KIND;
          pinPolicy[k] = (byte) p;
        } else {
          title = Texts.pinTitle(r, topic);
          description = Texts.pinDescription(r, topic);
        }
      } else {
        Texts.Labeled t = poolTexts.get(k - safePins);
        title = t.title();
        description = t.description();
      }
      if (collect) {
        pinText[k] = title + "\n" + description; // as plumb units build joins them
      }
      String id = "pin-" + pinId[k];
      line.setLength(0);
      line.append(id).append(',');
      CsvFiles.quote(line, title).append(',');
      CsvFiles.quote(line, description).append(',');
      if (r.nextDouble() < 0.97) {
        line.append("https://img.example.com/pins/").append(pinId[k]).append(".jpg");
      }
      line.append('\n');
      pins.append(line);

      line.setLength(0);
      for (int p = 0; p < POLICIES.size(); p++) {
        byte level = pinPolicy[k] == p || kind[k] == SAFE ? kind[k] : SAFE;
        line.append(id).append(',').append(POLICIES.get(p)).append(',');
        score(line, level, kind[k] != SAFE && pinPolicy[k] != p).append('\n');
        if (collect) {
          pinRisk[k] = Math.max(pinRisk[k], lastScore);
        }
      }
      scores.append(line);
      rows += POLICIES.size();
    }
    return rows;
  }

  private SplittableRandom pinRandom(int k) {
    return new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + k);
  }

  /**
   * A risk score for an entity of the given truth: logistic-normal, 4 decimals in [0.0001, 0.9999].
   * {@code other}: the entity is about another policy (slight cross-talk).
   */
  private StringBuilder score(StringBuilder sb, byte level, boolean other) {
    double mu;
    double sigma;
    switch (level) {
      case VIOLATING_KIND -> {
        // one violation in five is in the model's blind spot (coded language, new trends)
        boolean missed = rng.nextDouble() < 0.2;
        mu = missed ? -3.2 : 0.5;
        sigma = missed ? 1.2 : 1.3;
      }
      case BORDERLINE_KIND -> { mu = -1.2; sigma = 1.0; }
      case DECOY_KIND -> { mu = -2.0; sigma = 1.0; }
      default -> { mu = other ? -3.6 : -4.3; sigma = 1.2; }
    }
    double x = mu + sigma * gaussian();
    double s = 1 / (1 + Math.exp(-x));
    lastScore = s;
    long q = Math.max(1, Math.min(9999, Math.round(s * 10000)));
    sb.append("0.");
    if (q < 1000) sb.append('0');
    if (q < 100) sb.append('0');
    if (q < 10) sb.append('0');
    long digits = q;
    while (digits % 10 == 0) {
      digits /= 10;
    }
    return sb.append(digits);
  }

  private double gaussian() {
    // Box–Muller; one of the pair is enough here
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  private int firstFree(int[] slots, int filled, int topic) {
    for (int rank = 0; ; rank++) {
      int pin = rank * topics + topic;
      if (!contains(slots, filled, pin)) {
        return pin;
      }
    }
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static int freeSlot(boolean[] taken, int count) {
    for (int s = 0; s < count; s++) {
      if (!taken[s]) {
        return s;
      }
    }
    return -1;
  }

  private static int[] permutation(int n, SplittableRandom r) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
