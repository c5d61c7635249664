package dev.plumb.units;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Synthetic logging tables of a visual-discovery platform, with the ground truth kept aside
 * (docs/units.md, "Synthetic logs"). Deterministic: the same options give byte-identical files.
 *
 * <p>Tables (CSV with a header, or Parquet): {@code interactions/<day>.csv} (one row per
 * interaction: id, user, day, surface, platform, query, response), {@code components/<day>.csv} (the
 * pins each interaction showed, by position), {@code pins.csv}, {@code impressions/<day>.csv}
 * (interaction × day view counts; an interaction's views may spill into the next day) and
 * {@code risk_scores.csv} (entity × policy, for every pin and every interaction's own text). Beside
 * them: a ready {@code units.yaml}, {@code truth.jsonl} (one record per interaction × policy) and
 * {@code truth.json} (exposure-weighted prevalence per policy).
 *
 * <p>The model: impressions per interaction are Zipf-distributed (P(k) ∝ k^-2.1, k ≤ 5000); pins
 * come from per-topic pools with Zipf popularity, so popular pins repeat across interactions; each
 * interaction violates each starter policy independently with a small probability (damped for
 * heavily viewed interactions, as popular content is moderated sooner), through a violating pin, a
 * violating query or a violating assistant response; borderline pins and safe look-alike "decoys"
 * share the violating vocabulary. Risk scores are informative but imperfect: logistic-normal around
 * a level set by the entity's truth, with one violation in five in the model's blind spot, so some
 * violations score low and some safe content high (unit-level ROC AUC about 0.9).
 */
public final class LogGenerator {

  /** The starter policies the truth covers, in a fixed order. */
  public static final List<String> POLICIES = List.of("adult_sexual", "harassment", "misinformation", "self_harm");

  /** Base per-interaction probabilities (before damping) of a violation and a borderline case. */
  private static final double[] VIOLATING = {0.018, 0.012, 0.0065, 0.004};
  private static final double[] BORDERLINE = {0.03, 0.015, 0.01, 0.006};
  /** Share of violations carried by the query (when the surface has one and the policy has queries). */
  private static final double[] QUERY_SHARE = {0.15, 0.1, 0, 0.3};
  private static final double DECOY = 0.015;
  /** Decoys take popularity ranks from here on in their topic's pool (rank 0 is the most shown). */
  private static final int DECOY_MIN_RANK = 10;
  /**
   * The past review rounds behind reviewed.jsonl, text by text: every text whose logged risk score
   * reaches REVIEW_FLAG for some policy, and a random REVIEW_AUDIT share of the others.
   */
  private static final double REVIEW_FLAG = 0.3;
  private static final double REVIEW_AUDIT = 0.1;
  /** Share of safe search queries that use a policy's vocabulary for allowed ends. */
  private static final double DECOY_QUERY = 0.02;
  private static final int MAX_IMPRESSIONS = 5000;
  private static final int DAMPING = 40;

  public enum Format { CSV, PARQUET }

  /**
   * @param out the directory to write (created; existing table files are replaced)
   * @param interactions how many interactions (units), at least 1
   * @param seed the random seed
   * @param days how many days the interactions span (1–366)
   * @param start the first day
   */
  public record Options(Path out, long interactions, long seed, int days, LocalDate start, Format format,
      long reviewed) {
    public Options {
      if (reviewed < 0 || reviewed > 10_000_000L) {
        throw new InputException("--reviewed must be between 0 and 10000000: " + reviewed);
      }
      if (interactions < 1 || interactions > 200_000_000L) {
        throw new InputException("--interactions must be between 1 and 200000000: " + interactions);
      }
      if (days < 1 || days > 366) {
        throw new InputException("--days must be between 1 and 366: " + days);
      }
    }

    /** Without a reviewed-texts file. */
    public Options(Path out, long interactions, long seed, int days, LocalDate start, Format format) {
      this(out, interactions, seed, days, start, format, 0);
    }

    public static Options of(Path out, long interactions, long seed) {
      return new Options(out, interactions, seed, 1, LocalDate.of(2026, 11, 25), Format.CSV);
    }

    /** The same options with {@code reviewed} past interactions written as labeled texts. */
    public Options withReviewed(long n) {
      return new Options(out, interactions, seed, days, start, format, n);
    }
  }

  /** The truth for one policy: units, positive units, and their exposure. */
  public record PolicyTruth(String policy, long units, long positiveUnits, long weight, long positiveWeight) {
    /** Exposure-weighted prevalence: positive weight / total weight (0 when the total is 0). */
    public double prevalence() {
      return weight == 0 ? 0 : (double) positiveWeight / weight;
    }
  }

  /**
   * What was written.
   *
   * @param reviewedTexts distinct texts in {@code reviewed.jsonl} (0 without it)
   * @param reviewedPositives of those, the texts positive for each policy, in {@link #POLICIES} order
   */
  public record Result(Path dir, long interactions, long components, long pins, long scoreRows,
      List<PolicyTruth> truth, double seconds, long reviewedTexts, List<Long> reviewedPositives) {}

  /** The labeled past texts beside the tables (docs/units.md, "Past reviewed texts"). */
  public static final String REVIEWED = "reviewed.jsonl";

  private LogGenerator() {}

  private static final byte SAFE = 0;
  private static final byte DECOY_KIND = 1;
  private static final byte VIOLATING_KIND = 2;
  private static final byte BORDERLINE_KIND = 3;

  /** Writes the tables, units.yaml and the truth into {@code options.out()}. */
  public static Result generate(Options o) {
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(o.out());
      long[] positives = new long[POLICIES.size()];
      long texts = 0;
      if (o.reviewed() > 0) {
        // a past period of the same platform: another population (its own seed), nothing of it measured now
        Options past = new Options(o.out(), o.reviewed(), reviewedSeed(o.seed()), 1, o.start().minusDays(30), Format.CSV);
        Run run = new Run(past, true);
        run.write(t0);
        StringBuilder sb = new StringBuilder();
        for (var e : run.reviewed.entrySet()) {
          ObjectNode line = Json.object();
          line.put("text", e.getKey());
          for (int p = 0; p < POLICIES.size(); p++) {
            boolean positive = (e.getValue() & (1 << p)) != 0;
            line.put(POLICIES.get(p), positive ? 1 : 0);
            positives[p] += positive ? 1 : 0;
          }
          sb.append(Json.line(line)).append('\n');
        }
        texts = run.reviewed.size();
        AtomicOutput.write(o.out().resolve(REVIEWED), sb.toString());
      }
      Result r = new Run(o, false).write(t0);
      return new Result(r.dir(), r.interactions(), r.components(), r.pins(), r.scoreRows(), r.truth(),
          (System.nanoTime() - t0) / 1e9, texts, java.util.Arrays.stream(positives).boxed().toList());
    } catch (IOException e) {
      throw new PlumbException("cannot write " + o.out() + ": " + e.getMessage(), e);
    }
  }

  /** The seed of the past population behind {@code reviewed.jsonl}: never the measured one's. */
  static long reviewedSeed(long seed) {
    return Long.rotateLeft(seed, 17) ^ 0x7265766965776564L; // "reviewed"
  }

  private static final class Run {
    private final Options o;
    /** Collect mode: tables are not written; each distinct component text → positive policies (bit p). */
    private final boolean collect;
    private final java.util.LinkedHashMap<String, Integer> reviewed = new java.util.LinkedHashMap<>();
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

    Run(Options o, boolean collect) {
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

    Result write(long t0) throws IOException {
      Path dir = o.out();
      String[] days = new String[o.days()];
      for (int d = 0; d < days.length; d++) {
        days[d] = o.start().plusDays(d).toString();
      }
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
      long scoreRows;
      long components = 0;
      long[] units = new long[POLICIES.size()];
      long[] positives = new long[POLICIES.size()];
      long[] positiveWeight = new long[POLICIES.size()];
      long totalWeight = 0;
      try (Writer pins = writer(dir.resolve("pins.csv"), collect);
          Writer scores = writer(dir.resolve("risk_scores.csv"), collect);
          Writer truth = writer(dir.resolve("truth.jsonl"), collect)) {
        pins.write("pin_id,title,description,image_url\n");
        scores.write("entity_id,policy,score\n");
        scoreRows = writePins(pins, scores);
        Writer[] inter = new Writer[days.length];
        Writer[] comp = new Writer[days.length];
        Writer[] imp = new Writer[days.length];
        try {
          for (int d = 0; d < days.length; d++) {
            inter[d] = writer(dir.resolve("interactions").resolve(days[d] + ".csv"), collect);
            inter[d].write("interaction_id,user_id,day,surface,platform,query_text,response_text\n");
            comp[d] = writer(dir.resolve("components").resolve(days[d] + ".csv"), collect);
            comp[d].write("interaction_id,position,pin_id\n");
            imp[d] = writer(dir.resolve("impressions").resolve(days[d] + ".csv"), collect);
            imp[d].write("interaction_id,day,impressions\n");
          }
          StringBuilder line = new StringBuilder(512);
          byte[] status = new byte[POLICIES.size()];
          String[] category = new String[POLICIES.size()];
          boolean[] inText = new boolean[POLICIES.size()];
          int[] slots = new int[32];
          boolean[] taken = new boolean[32];
          long n = o.interactions();
          long users = Math.max(10, n / 3);
          for (long i = 1; i <= n; i++) {
            int d = (int) ((i - 1) * days.length / n);
            String id = "i-" + i;
            String surface;
            double u = rng.nextDouble();
            int pinsWanted;
            if (u < 0.45) {
              surface = "search";
              pinsWanted = 3 + rng.nextInt(6);
            } else if (u < 0.80) {
              surface = "home_feed";
              pinsWanted = 4 + rng.nextInt(6);
            } else if (u < 0.95) {
              surface = "related_pins";
              pinsWanted = 3 + rng.nextInt(4);
            } else {
              surface = "assistant";
              pinsWanted = 2 + rng.nextInt(3);
            }
            double pu = rng.nextDouble();
            String platform = pu < 0.45 ? "ios" : pu < 0.8 ? "android" : "web";
            double uu = rng.nextDouble();
            long user = 1 + (long) (uu * uu * users);
            int topic = topicZipf.sample(rng);
            int w = 1 + impressions.sample(rng);
            double damp = Math.min(1.0, (double) DAMPING / w);

            // which policies this interaction violates, or comes close to
            for (int p = 0; p < status.length; p++) {
              double v = rng.nextDouble();
              status[p] = v < VIOLATING[p] * damp ? VIOLATING_KIND
                  : v < (VIOLATING[p] + BORDERLINE[p]) * damp ? BORDERLINE_KIND : SAFE;
              category[p] = null;
              inText[p] = false;
            }

            // safe topical pins, no pin twice in one interaction
            int count = pinsWanted;
            for (int s = 0; s < count; s++) {
              int pin;
              int tries = 0;
              do {
                pin = pinZipf.sample(rng) * topics + topic;
                tries++;
              } while (contains(slots, s, pin) && tries < 20);
              if (contains(slots, s, pin)) {
                pin = firstFree(slots, s, topic);
              }
              slots[s] = pin;
              taken[s] = false;
            }

            boolean hasQuery = surface.equals("search") || surface.equals("assistant");
            String query = null;
            String response = null;
            boolean queryUsed = false;
            boolean responseUsed = false;
            int queryPolicy = -1;
            int responsePolicy = -1;
            for (int p = 0; p < status.length; p++) {
              if (status[p] == SAFE) {
                continue;
              }
              if (status[p] == VIOLATING_KIND) {
                if (hasQuery && !queryUsed && rng.nextDouble() < QUERY_SHARE[p]) {
                  Texts.Labeled q = Texts.violatingQuery(rng, p);
                  if (q != null) {
                    query = q.title();
                    category[p] = q.category();
                    inText[p] = true;
                    queryUsed = true;
                    queryPolicy = p;
                    continue;
                  }
                }
                if (surface.equals("assistant") && !responseUsed && rng.nextBoolean()) {
                  Texts.Labeled a = Texts.violatingResponse(rng, p);
                  if (a != null) {
                    response = a.title();
                    category[p] = a.category();
                    inText[p] = true;
                    responseUsed = true;
                    responsePolicy = p;
                    continue;
                  }
                }
              }
              int pool = 2 * p + (status[p] == VIOLATING_KIND ? 0 : 1);
              int pin = poolStart[pool] + poolZipf[pool].sample(rng);
              int slot = freeSlot(taken, count);
              if (slot < 0) {
                slot = count++;
              }
              slots[slot] = pin;
              taken[slot] = true;
              if (status[p] == VIOLATING_KIND) {
                category[p] = poolTexts.get(pin - safePins).category();
              }
            }

            if (query == null && hasQuery) {
              // a few searches use a policy's vocabulary for allowed ends (support, fact-checks, art)
              query = surface.equals("search")
                  ? rng.nextDouble() < DECOY_QUERY ? Texts.decoyQuery(rng) : Texts.searchQuery(rng, topic)
                  : Texts.assistantQuery(rng, topic);
            }
            if (response == null) {
              response = switch (surface) {
                case "search" -> Texts.searchResponse(rng, query, count);
                case "related_pins" -> Texts.relatedResponse(rng);
                case "assistant" -> Texts.assistantResponse(rng, topic);
                default -> null;
              };
            }

            line.setLength(0);
            line.append(id).append(",u-").append(user).append(',').append(days[d]).append(',')
                .append(surface).append(',').append(platform).append(',');
            quote(line, query).append(',');
            quote(line, response).append('\n');
            inter[d].append(line);

            line.setLength(0);
            for (int s = 0; s < count; s++) {
              line.append(id).append(',').append(s + 1).append(",pin-").append(pinId[slots[s]]).append('\n');
            }
            comp[d].append(line);
            components += count;

            line.setLength(0);
            if (d + 1 < days.length && w >= 2 && rng.nextDouble() < 0.3) {
              int first = 1 + rng.nextInt(w - 1);
              line.append(id).append(',').append(days[d]).append(',').append(first).append('\n');
              imp[d].append(line);
              line.setLength(0);
              line.append(id).append(',').append(days[d + 1]).append(',').append(w - first).append('\n');
              imp[d + 1].append(line);
            } else {
              line.append(id).append(',').append(days[d]).append(',').append(w).append('\n');
              imp[d].append(line);
            }

            // the interaction's own text (query + response) is scored as entity i-<n>
            line.setLength(0);
            double ownRisk = 0;
            for (int p = 0; p < status.length; p++) {
              line.append(id).append(',').append(POLICIES.get(p)).append(',');
              score(line, inText[p] ? VIOLATING_KIND : SAFE, false).append('\n');
              ownRisk = Math.max(ownRisk, lastScore);
            }
            scores.append(line);
            scoreRows += status.length;

            if (collect) {
              // a past review round, text by text: what the logged risk model flagged, and a random audit of the rest
              collect(query, queryPolicy, ownRisk);
              collect(response, responsePolicy, ownRisk);
              for (int sl = 0; sl < count; sl++) {
                int k = slots[sl];
                collect(pinText[k], kind[k] == VIOLATING_KIND ? pinPolicy[k] : -1, pinRisk[k]);
              }
            }

            line.setLength(0);
            totalWeight += w;
            for (int p = 0; p < status.length; p++) {
              boolean positive = status[p] == VIOLATING_KIND;
              units[p]++;
              if (positive) {
                positives[p]++;
                positiveWeight[p] += w;
              }
              line.append("{\"unit\":\"").append(id).append("\",\"policy\":\"").append(POLICIES.get(p))
                  .append("\",\"decision\":\"")
                  .append(positive ? "violating" : status[p] == BORDERLINE_KIND ? "borderline" : "safe")
                  .append("\",\"positive\":").append(positive).append(",\"category\":");
              if (positive) {
                line.append('"').append(category[p]).append("\"}\n");
              } else {
                line.append("null}\n");
              }
            }
            truth.append(line);
          }
        } finally {
          for (Writer[] ws : List.of(inter, comp, imp)) {
            for (Writer w : ws) {
              if (w != null) {
                w.close();
              }
            }
          }
        }
      }

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
      if (collect) {
        return null;
      }
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
      StringBuilder line = new StringBuilder(512);
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
        quote(line, title).append(',');
        quote(line, description).append(',');
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

  /** RFC 4180: always quoted, quotes doubled; null is an empty unquoted field. */
  private static StringBuilder quote(StringBuilder sb, String s) {
    if (s == null) {
      return sb;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    return sb.append('"');
  }

  private static Writer writer(Path path, boolean discard) throws IOException {
    return discard ? Writer.nullWriter() : writer(path);
  }

  private static Writer writer(Path path) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8), 1 << 16);
  }

  /** The units.yaml that maps the generated tables (docs/units.md). */
  static String unitsYaml(String ext) {
    return String.format(Locale.ROOT, """
        # Maps the synthetic logging tables in this directory to measurement units.
        # plumb units build --config units.yaml --out units.jsonl   (format: docs/units.md)
        tables:
          interactions:
            path: interactions/*.%1$s
            columns: {id: interaction_id, user: user_id, day: day, surface: surface, query: query_text, response: response_text}
          components:
            path: components/*.%1$s
            columns: {interaction: interaction_id, position: position, pin: pin_id}
          pins:
            path: pins.%1$s
            columns: {id: pin_id, title: title, description: description, image: image_url}
          impressions:
            path: impressions/*.%1$s
            columns: {entity: interaction_id, count: impressions}
          risk_scores:
            path: risk_scores.%1$s
            columns: {entity: entity_id, policy: policy, score: score}
        units:
          attributes: {surface: surface, day: day, platform: platform}
          user: drop
          scores:
            aggregate: max
            missing: mean
        """, ext);
  }

}
