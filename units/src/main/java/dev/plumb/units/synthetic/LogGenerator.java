package dev.plumb.units.synthetic;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

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
  static final double[] VIOLATING = {0.018, 0.012, 0.0065, 0.004};
  static final double[] BORDERLINE = {0.03, 0.015, 0.01, 0.006};
  /** Share of violations carried by the query (when the surface has one and the policy has queries). */
  static final double[] QUERY_SHARE = {0.15, 0.1, 0, 0.3};
  static final double DECOY = 0.015;
  /** Decoys take popularity ranks from here on in their topic's pool (rank 0 is the most shown). */
  static final int DECOY_MIN_RANK = 10;
  /**
   * The past review rounds behind reviewed.jsonl, text by text: every text whose logged risk score
   * reaches REVIEW_FLAG for some policy, and a random REVIEW_AUDIT share of the others.
   */
  static final double REVIEW_FLAG = 0.3;
  static final double REVIEW_AUDIT = 0.1;
  /** Share of safe search queries that use a policy's vocabulary for allowed ends. */
  static final double DECOY_QUERY = 0.02;
  static final int MAX_IMPRESSIONS = 5000;
  static final int DAMPING = 40;

  /** What kind of entity a pin (or text) is. */
  static final byte SAFE = 0;
  static final byte DECOY_KIND = 1;
  static final byte VIOLATING_KIND = 2;
  static final byte BORDERLINE_KIND = 3;

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
        TableWriter run = new TableWriter(past, true);
        run.write(t0);
        StringBuilder sb = new StringBuilder();
        for (var e : run.reviewed().entrySet()) {
          ObjectNode line = Json.object();
          line.put("text", e.getKey());
          for (int p = 0; p < POLICIES.size(); p++) {
            boolean positive = (e.getValue() & (1 << p)) != 0;
            line.put(POLICIES.get(p), positive ? 1 : 0);
            positives[p] += positive ? 1 : 0;
          }
          sb.append(Json.line(line)).append('\n');
        }
        texts = run.reviewed().size();
        AtomicOutput.write(o.out().resolve(REVIEWED), sb.toString());
      }
      Result r = new TableWriter(o, false).write(t0);
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
