package dev.plumb.calibration.synthetic;

import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Numbers;
import dev.plumb.core.PlumbException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A synthetic frame for tests, demos and benchmarks: units shaped like real ones (a query, a
 * response, 3–8 pins with titles, descriptions and image URLs; about 1.6 KB each), heavy-tailed
 * exposure weights, three surfaces, a few days, and per-policy risk scores that are informative but
 * imperfect about a hidden truth.
 *
 * <p>The truth (whether each unit violates each policy) is never written into the units: it goes to
 * a separate file in the labels format ({@code unit, policy, status, decision, positive}), so any
 * estimator can be scored against it.
 *
 * <p>Model, per unit: surface ∈ {search 50%, home 35%, related 15%}; weight =
 * {@code floor(1 / U^(1/1.3))} (Pareto, α = 1.3, minimum 1, capped at 10^6); for each policy with
 * base prevalence p, violating with probability {@code p × m_surface × (weight <= 3 ? 1.5 : 0.8)};
 * score = {@code logistic(μ_y + 1.1 Z)} with μ_1 = 0.6 and μ_0 = −4 (spam: μ_0 = −3).
 * Everything is a fixed function of the seed.
 *
 * <p>Command line: {@code java -cp plumb.jar dev.plumb.calibration.synthetic.SyntheticFrame
 * --units 5000000 --seed 7 --out frame.jsonl [--truth truth.jsonl]} ({@code .gz} names are gzipped).
 */
public final class SyntheticFrame {

  /** A policy of the synthetic world: its id and base prevalence. */
  public record Policy(String id, double prevalence, double safeMean) {}

  /** The policies scored in every unit. */
  public static final List<Policy> POLICIES = List.of(
      new Policy("self_harm", 0.002, -4.0),
      new Policy("hate", 0.01, -4.0),
      new Policy("spam", 0.05, -3.0));

  private static final String[] SURFACES = {"search", "home", "related"};
  private static final double[] SURFACE_SHARE = {0.5, 0.35, 0.15};
  private static final double[] SURFACE_RISK = {1.3, 0.8, 0.9};
  private static final String[] DAYS = {"2026-11-23", "2026-11-24", "2026-11-25"};
  private static final String[] WORDS = (
      "garden lamp river blue quiet recipe winter cozy bedroom paint wooden table summer outfit "
          + "kitchen idea simple easy fresh morning coffee travel beach mountain city night light "
          + "dinner party cake birthday flower wedding dress shoes vintage modern style home decor "
          + "plant green small space living room diy craft paper gift card holiday autumn leaf "
          + "soup bread healthy snack quick workout yoga calm study desk book reading list art "
          + "sketch drawing color palette ocean sunset photo camera trip weekend market local "
          + "farm fruit salad pasta sauce spicy sweet tea cookie chocolate baking tips tricks "
          + "organize closet storage shelf mirror window curtain rug pillow blanket knit wool "
          + "pattern sewing fabric cotton linen ceramic glass vase candle scent soap bath spa").split(" ");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SyntheticFrame() {}

  /** One generated unit: its JSON line and the hidden truth, per policy. */
  public record Generated(String id, double weight, Map<String, Double> scores, String surface,
      String json, Map<String, Boolean> truth) {}

  /** Generates unit {@code i} (0-based) of the frame with this seed. */
  public static Generated unit(long seed, long i) {
    SplittableRandom r = new SplittableRandom(UnitRandom.mix(seed * 0x9E3779B97F4A7C15L + i));
    String id = "u-" + i;
    double x = r.nextDouble();
    String surface = SURFACES[x < SURFACE_SHARE[0] ? 0 : x < SURFACE_SHARE[0] + SURFACE_SHARE[1] ? 1 : 2];
    int s = surface.equals("search") ? 0 : surface.equals("home") ? 1 : 2;
    String day = DAYS[r.nextInt(DAYS.length)];
    double weight = Math.min(1e6, Math.floor(1 / Math.pow(1 - r.nextDouble(), 1 / 1.3)));
    Map<String, Double> scores = new LinkedHashMap<>();
    Map<String, Boolean> truth = new LinkedHashMap<>();
    for (Policy p : POLICIES) {
      double prob = p.prevalence() * SURFACE_RISK[s] * (weight <= 3 ? 1.5 : 0.8);
      boolean y = r.nextDouble() < prob;
      double z = r.nextGaussian();
      double logit = (y ? 0.6 : p.safeMean()) + 1.1 * z;
      double score = Math.round(1e4 / (1 + Math.exp(-logit))) / 1e4;
      scores.put(p.id(), score);
      truth.put(p.id(), y);
    }
    StringBuilder sb = new StringBuilder(1800);
    sb.append("{\"id\":\"").append(id).append("\",\"weight\":").append((long) weight)
        .append(",\"attributes\":{\"surface\":\"").append(surface).append("\",\"day\":\"").append(day)
        .append("\"},\"scores\":{");
    boolean first = true;
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"').append(e.getKey()).append("\":").append(Numbers.plain(e.getValue()));
    }
    sb.append("},\"components\":[");
    sb.append("{\"id\":\"query\",\"kind\":\"query\",\"text\":\"").append(words(r, 2, 5)).append("\"},");
    sb.append("{\"id\":\"response\",\"kind\":\"response\",\"text\":\"").append(words(r, 15, 35)).append("\"}");
    int pins = 3 + r.nextInt(6);
    for (int k = 0; k < pins; k++) {
      long pin = r.nextLong() >>> 20;
      sb.append(",{\"id\":\"pin-").append(pin).append("\",\"kind\":\"pin\",\"text\":\"")
          .append(capitalised(words(r, 3, 8))).append(". ").append(words(r, 8, 22))
          .append("\",\"image\":\"https://img.example.test/").append(HEX[(int) (pin >>> 4) & 0xf]).append(HEX[(int) pin & 0xf])
          .append('/').append(Long.toHexString(pin)).append(".jpg\"}");
    }
    sb.append("]}");
    return new Generated(id, weight, scores, surface, sb.toString(), truth);
  }

  /**
   * Writes {@code units} units to {@code frame} and, when {@code truth} is not null, the hidden
   * truth to {@code truth} (labels format). Names ending in {@code .gz} are gzipped.
   */
  public static void write(Path frame, Path truth, long units, long seed) {
    try (AtomicOutput f = AtomicOutput.create(frame);
        AtomicOutput t = truth == null ? null : AtomicOutput.create(truth)) {
      OutputStream fo = stream(f, frame);
      OutputStream to = t == null ? null : stream(t, truth);
      for (long i = 0; i < units; i++) {
        Generated g = unit(seed, i);
        fo.write(g.json().getBytes(StandardCharsets.UTF_8));
        fo.write('\n');
        if (to != null) {
          for (Map.Entry<String, Boolean> e : g.truth().entrySet()) {
            String line = "{\"unit\":\"" + g.id() + "\",\"policy\":\"" + e.getKey()
                + "\",\"status\":\"ok\",\"decision\":\"" + (e.getValue() ? "violating" : "safe")
                + "\",\"positive\":" + e.getValue() + "}\n";
            to.write(line.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
      fo.close();
      if (to != null) {
        to.close();
      }
      f.commit();
      if (t != null) {
        t.commit();
      }
    } catch (IOException e) {
      throw new PlumbException("cannot write " + frame + ": " + e.getMessage(), e);
    }
  }

  private static OutputStream stream(AtomicOutput out, Path path) throws IOException {
    OutputStream s = new BufferedOutputStream(new NonClosing(out.stream()), 1 << 16);
    return path.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(s, 1 << 16) : s;
  }

  /** AtomicOutput owns its stream; closing the buffered/gzip layers must only flush it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static String words(SplittableRandom r, int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder(n * 7);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** {@code --units N --seed S --out FILE [--truth FILE]}. */
  public static void main(String[] args) {
    long units = 1000;
    long seed = 1;
    Path out = null;
    Path truth = null;
    List<String> a = new ArrayList<>(List.of(args));
    for (int i = 0; i < a.size(); i += 2) {
      String v = i + 1 < a.size() ? a.get(i + 1) : null;
      if (v == null) {
        usage("missing value for " + a.get(i));
      }
      switch (a.get(i)) {
        case "--units" -> units = Long.parseLong(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--out" -> out = Path.of(v);
        case "--truth" -> truth = Path.of(v);
        default -> usage("unknown option " + a.get(i));
      }
    }
    if (out == null) {
      usage("--out is required");
    }
    long t0 = System.nanoTime();
    write(out, truth, units, seed);
    System.err.printf(Locale.ROOT, "wrote %d units to %s in %.1f s%n", units, out, (System.nanoTime() - t0) / 1e9);
  }

  private static void usage(String message) {
    System.err.println("SyntheticFrame: " + message);
    System.err.println("usage: SyntheticFrame --units N [--seed S] --out frame.jsonl[.gz] [--truth truth.jsonl]");
    System.exit(2);
  }
}
