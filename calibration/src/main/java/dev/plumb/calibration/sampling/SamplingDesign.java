package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A probability sampling design: one of the five families plumb draws (docs/sampling.md has the
 * formulas). Read one from a design file with {@link DesignFile#read}; draw a sample with
 * {@link Sampler} (a file) or with a {@link #sketch} per partition of a frame (a distributed engine).
 *
 * <p>Every design is one pass with memory proportional to the sample, and its randomness comes from
 * {@link UnitRandom}: the same seed and frame give the same sample whatever the frame's order.
 */
public sealed interface SamplingDesign extends Serializable {

  /** {@code srs}, {@code stratified}, {@code poisson}, {@code ppswr} or {@code priority}. */
  String type();

  /**
   * Sample size: units for srs, stratified and priority; the expected size for poisson; the number
   * of draws for ppswr.
   */
  int n();

  /** Where the options were written (for error messages). */
  Origin origin();

  /** The design as recorded in sample.json: every option, defaults filled in. */
  ObjectNode toJson();

  /** The size measure of the size-based designs (poisson, ppswr, priority); empty otherwise. */
  default java.util.Optional<SizeMeasure> sizeMeasure() {
    return java.util.Optional.empty();
  }

  /** An empty one-pass sketch of this design with {@code seed}. */
  SampleSketch sketch(long seed);

  /** The design types, as written in design files. */
  java.util.List<String> TYPES = java.util.List.of("srs", "stratified", "poisson", "ppswr", "priority");

  /**
   * Simple random sampling without replacement: the n units with the smallest permanent random
   * numbers; {@code pi = n / N}.
   */
  record Srs(int n, Origin origin) implements SamplingDesign {
    public Srs {
      positive(n);
    }

    public String type() {
      return "srs";
    }

    public ObjectNode toJson() {
      return base(this);
    }

    public SampleSketch sketch(long seed) {
      return new SrsSketch(this, seed);
    }
  }

  /**
   * Stratified simple random sampling: strata from score bins and/or attributes, an SRS of
   * {@code n_h} units in each; {@code pi_h = n_h / N_h}.
   *
   * @param n total sample size (the sum of {@code sizes} for fixed allocation)
   * @param sizes {@code n_h} by stratum id, for {@link Allocation#FIXED}; empty otherwise
   */
  record Stratified(
      int n, Stratification strata, Allocation allocation, Basis basis, int minPerStratum,
      Map<String, Integer> sizes, Origin origin) implements SamplingDesign {
    public Stratified {
      positive(n);
      sizes = Map.copyOf(sizes);
      if (allocation == Allocation.FIXED) {
        if (sizes.isEmpty()) {
          throw new IllegalArgumentException("fixed allocation needs sizes");
        }
        long sum = 0;
        for (int v : sizes.values()) {
          if (v < 1) {
            throw new IllegalArgumentException("every stratum size must be >= 1, found " + v);
          }
          sum += v;
        }
        if (sum != n) {
          throw new IllegalArgumentException("n=" + n + " but the sizes add up to " + sum);
        }
      } else if (!sizes.isEmpty()) {
        throw new IllegalArgumentException("sizes are only used by fixed allocation");
      }
      if (allocation == Allocation.NEYMAN && strata.policy().isEmpty()) {
        throw new IllegalArgumentException("neyman allocation needs a policy whose score measures each stratum's variability");
      }
      if (minPerStratum < 1) {
        throw new IllegalArgumentException("min_per_stratum must be >= 1");
      }
    }

    public String type() {
      return "stratified";
    }

    public ObjectNode toJson() {
      ObjectNode o = base(this);
      strata.policy().ifPresent(p -> o.put("policy", p));
      if (!strata.bins().isEmpty()) {
        ArrayNode b = o.putArray("bins");
        strata.bins().forEach(b::add);
        ArrayNode l = o.putArray("labels");
        strata.labels().forEach(l::add);
      }
      ArrayNode by = o.putArray("by");
      strata.by().forEach(by::add);
      o.put("allocation", allocation.id());
      if (allocation == Allocation.FIXED) {
        ObjectNode s = o.putObject("sizes");
        new TreeMap<>(sizes).forEach(s::put);
      } else {
        o.put("basis", basis.id());
        o.put("min_per_stratum", minPerStratum);
      }
      return o;
    }

    public SampleSketch sketch(long seed) {
      return new StratifiedSketch(this, seed);
    }
  }

  /** A design drawn by size (poisson, ppswr, priority): its options are n and the size measure. */
  sealed interface Sized extends SamplingDesign permits Poisson, Ppswr, Priority {
    /** The size measure the units are drawn by. */
    SizeMeasure size();

    @Override
    default java.util.Optional<SizeMeasure> sizeMeasure() {
      return java.util.Optional.of(size());
    }

    @Override
    default ObjectNode toJson() {
      ObjectNode o = base(this);
      o.put("size", size().text());
      if (size().usesScores()) {
        o.put("floor", size().floor());
      }
      return o;
    }
  }

  /**
   * Poisson sampling with probability proportional to size: each unit independently with
   * {@code pi_i = min(1, size_i / tau)}, {@code tau} solved so that {@code Σ pi_i = n}. The sample
   * size is random with mean n.
   */
  record Poisson(int n, SizeMeasure size, Origin origin) implements Sized {
    public Poisson {
      positive(n);
    }

    public String type() {
      return "poisson";
    }

    public SampleSketch sketch(long seed) {
      return new PoissonSketch(this, seed);
    }

    /**
     * The per-record decision for engines that know {@code tau} (e.g. from a first aggregation of
     * {@link PoissonSketch#threshold}): whether the unit with this id and size is in the sample.
     */
    public static boolean selects(long seed, String id, double size, double tau) {
      return UnitRandom.uniform(seed, id) < pi(size, tau);
    }

    /** {@code min(1, size / tau)}; 1 when {@code tau} is 0 (every unit with size > 0 is taken). */
    public static double pi(double size, double tau) {
      return size <= 0 ? 0 : Math.min(1, size / tau);
    }

    /**
     * The threshold {@code tau} with {@code Σ min(1, size_i / tau) = n}, from the total size, the
     * number of units with positive size and (at least) the n largest sizes, in any order.
     */
    public static double tau(double sizeTotal, long positiveUnits, double[] largest, int n) {
      return PoissonSketch.threshold(sizeTotal, positiveUnits, largest, n);
    }
  }

  /**
   * Probability-proportional-to-size sampling with replacement (Hansen–Hurwitz): n independent
   * draws, each selecting unit i with {@code p_i = size_i / Σ size}.
   */
  record Ppswr(int n, SizeMeasure size, Origin origin) implements Sized {
    public Ppswr {
      positive(n);
    }

    public String type() {
      return "ppswr";
    }

    public SampleSketch sketch(long seed) {
      return new PpswrSketch(this, seed);
    }
  }

  /**
   * Priority sampling (Duffield, Lund, Thorup 2007): the n units with the largest priorities
   * {@code q_i = size_i / u_i}; {@code tau} is the (n+1)-th largest priority and
   * {@code pi_i = min(1, size_i / tau)}.
   */
  record Priority(int n, SizeMeasure size, Origin origin) implements Sized {
    public Priority {
      positive(n);
    }

    public String type() {
      return "priority";
    }

    public SampleSketch sketch(long seed) {
      return new PrioritySketch(this, seed);
    }
  }

  private static void positive(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, found " + n);
    }
  }

  private static ObjectNode base(SamplingDesign d) {
    ObjectNode o = Json.object();
    o.put("type", d.type());
    o.put("n", d.n());
    return o;
  }
}
