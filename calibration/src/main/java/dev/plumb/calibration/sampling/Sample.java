package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A drawn sample: the selected units with their design records, sorted by id, and the population
 * totals the estimators need.
 *
 * @param design the design drawn
 * @param seed the seed
 * @param frameUnits N, units in the frame
 * @param frameWeight total exposure of the frame
 * @param strata per-stratum totals and sample sizes ({@code all} for unstratified designs), in
 *     stratum order
 * @param units the sample, sorted by id (unsigned UTF-8 byte order, i.e. code-point order)
 * @param draws n for without-replacement designs; the number of draws for ppswr
 * @param tau the threshold of poisson and priority designs
 * @param sizeTotal Σ size over the frame, for the size-based designs
 * @param floored units whose size the floor raised and their size total (size-based designs whose
 *     size reads scores); zeros otherwise
 */
public record Sample(
    SamplingDesign design,
    long seed,
    long frameUnits,
    double frameWeight,
    List<Stratum> strata,
    List<SampledUnit> units,
    int draws,
    OptionalDouble tau,
    OptionalDouble sizeTotal,
    Floored floored) {

  public Sample {
    Objects.requireNonNull(design, "design");
    strata = List.copyOf(strata);
    units = List.copyOf(units);
  }

  /** Distinct units in the sample. */
  public int n() {
    return units.size();
  }

  /** Sampled units with {@code pi = 1} (certainty units). */
  public long certainty() {
    return units.stream().filter(u -> u.design() instanceof DesignRecord.WithoutReplacement w && w.pi() >= 1).count();
  }

  /**
   * One unit of the sample.
   *
   * @param json the unit's JSON text exactly as in the frame (UTF-8)
   */
  public record SampledUnit(String id, int line, double weight, DesignRecord design, byte[] json) {}

  /**
   * What the estimators need to know about how one unit was drawn: the {@code design} object of
   * sample.jsonl (docs/formats.md, docs/sampling.md).
   */
  public sealed interface DesignRecord {
    String stratum();

    /** The {@code design} object as written into sample.jsonl. */
    ObjectNode toJson();

    /**
     * @param pi first-order inclusion probability in (0,1]
     * @param size the unit's size measure, for size-based designs
     */
    record WithoutReplacement(String stratum, double pi, OptionalDouble size) implements DesignRecord {
      public WithoutReplacement {
        if (!(pi > 0 && pi <= 1)) {
          throw new IllegalArgumentException("pi must be in (0, 1], found " + pi);
        }
      }

      public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("stratum", stratum);
        o.put("pi", pi);
        size.ifPresent(s -> o.put("size", s));
        return o;
      }
    }

    /**
     * @param p the per-draw selection probability {@code size / Σ size}
     * @param draws how many of the n draws selected the unit (>= 1)
     */
    record WithReplacement(String stratum, double p, int draws, double size) implements DesignRecord {
      public WithReplacement {
        if (!(p > 0 && p <= 1) || draws < 1) {
          throw new IllegalArgumentException("p must be in (0, 1] and draws >= 1: " + p + ", " + draws);
        }
      }

      public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("stratum", stratum);
        o.put("p", p);
        o.put("draws", draws);
        o.put("size", size);
        return o;
      }
    }
  }

  /**
   * A stratum's population totals and sample size.
   *
   * @param units N_h
   * @param weight M_h, the exposure total
   * @param n distinct sampled units
   * @param draws draws that fell in the stratum (= n without replacement)
   * @param pi {@code n_h / N_h} for srs and stratified designs
   * @param size Σ size in the stratum, for size-based designs
   * @param scoreSd mean of {@code sqrt(s(1-s))} of the stratification policy's score, when there is one
   * @param bin the score bin, when stratified by score
   * @param attributes the attribute values that define the stratum
   */
  public record Stratum(
      String id, long units, double weight, int n, int draws, OptionalDouble pi, OptionalDouble size,
      OptionalDouble scoreSd, java.util.Optional<Bin> bin, Map<String, String> attributes) {
    public Stratum {
      attributes = Map.copyOf(attributes);
    }
  }

  /** A score bin: {@code policy} score in {@code [from, to)}, or {@code [from, to]} when {@code closed}. */
  public record Bin(String policy, String label, double from, double to, boolean closed) {}

  /** Units whose size the floor raised ({@link SizeMeasure#floored}), and their total size. */
  public record Floored(long units, double size) {
    public static final Floored NONE = new Floored(0, 0);
  }

  /**
   * Share of the frame's units above which {@link #floorNote} speaks: the floor then sets the
   * size of nearly every unit and the scores lens only the rest.
   */
  public static final double FLOORED_NEARLY_ALL = 0.9;

  /**
   * A note when the size measure's floor set the size of at least {@value #FLOORED_NEARLY_ALL} of
   * the frame's units: those units are drawn in proportion to weight alone (with equal weights,
   * simple random sampling) and the scores lens only the rest. That is what a floor is for when
   * scores below it do not rank violations (they are calibrated to a low prevalence, where almost
   * every unit scores below 0.05), and a waste of the lens when they do; the note states the fact
   * and says how to check, not that the floor is wrong (docs/sampling.md, "When the floor raises
   * nearly every unit"). Empty otherwise.
   */
  public java.util.Optional<String> floorNote() {
    if (frameUnits == 0 || floored.units() < FLOORED_NEARLY_ALL * frameUnits) {
      return java.util.Optional.empty();
    }
    String floor = dev.plumb.core.Numbers.plain(
        design.sizeMeasure().map(SizeMeasure::floor).orElse(SizeMeasure.DEFAULT_FLOOR));
    double sizeShare = sizeTotal.isPresent() && sizeTotal.getAsDouble() > 0
        ? floored.size() / sizeTotal.getAsDouble() : 1;
    return java.util.Optional.of(String.format(java.util.Locale.ROOT,
        "note: the floor %s set the size of %,d of %,d units (%.0f%%; %.0f%% of the total size): they are drawn in"
            + " proportion to weight alone, the rest by their scores; if scores below %s still rank violations, compare"
            + " lower floors with plumb plan (docs/sampling.md)",
        floor, floored.units(), frameUnits, 100.0 * floored.units() / frameUnits, 100 * sizeShare, floor));
  }
}
