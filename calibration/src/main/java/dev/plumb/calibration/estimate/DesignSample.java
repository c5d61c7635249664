package dev.plumb.calibration.estimate;

import dev.plumb.calibration.files.SampleFile;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A probability sample ready for estimation: the units (exposure m_i, attributes, design record),
 * the design type and the strata with their population totals. Immutable and thread-safe.
 *
 * <p>Design weights: d_i = 1/π_i for without-replacement designs; d_i = draws_i/(n_h p_i) for PPS
 * with replacement (Hansen–Hurwitz), n_h being the number of draws in the unit's stratum.
 *
 * <p>Units are indexed 0..size()-1 in the order given; per-unit arrays passed to {@link Estimator}
 * and {@link Bootstrap} ({@code y}, domain indicators) use the same order ({@link #indexOf}).
 */
public final class DesignSample {
  private final DesignType type;
  private final List<SampledUnit> units;
  private final List<Stratum> strata;
  private final Map<String, Integer> index;
  final double[] m;
  final double[] d;
  /** π_i (without replacement) or n_h p_i / draws_i, the per-unit "probability" with d_i = 1/pi_i. */
  final double[] pi;
  final int[] draws;
  final int[] stratum;
  /** PSUs sampled per stratum: units (without replacement) or draws (with replacement). */
  final int[] sampled;
  /** Finite-population correction factor (N_h − n_h)/N_h per stratum; 1 when it does not apply. */
  final double[] fpc;

  private DesignSample(DesignType type, List<SampledUnit> units, List<Stratum> strata) {
    this.type = type;
    this.units = List.copyOf(units);
    this.strata = List.copyOf(strata);
    Map<String, Integer> strataIndex = new HashMap<>();
    for (int h = 0; h < this.strata.size(); h++) {
      if (strataIndex.put(this.strata.get(h).id(), h) != null) {
        throw new IllegalArgumentException("duplicate stratum id \"" + this.strata.get(h).id() + "\"");
      }
    }
    int n = this.units.size();
    index = new HashMap<>(n * 2);
    m = new double[n];
    d = new double[n];
    pi = new double[n];
    draws = new int[n];
    stratum = new int[n];
    sampled = new int[this.strata.size()];
    for (int i = 0; i < n; i++) {
      SampledUnit u = this.units.get(i);
      if (index.put(u.id(), i) != null) {
        throw new IllegalArgumentException("duplicate unit id \"" + u.id() + "\"");
      }
      Integer h = strataIndex.get(u.inclusion().stratum());
      if (h == null) {
        throw new IllegalArgumentException(
            "unit \"" + u.id() + "\": stratum \"" + u.inclusion().stratum() + "\" is not among the design's strata");
      }
      stratum[i] = h;
      m[i] = u.weight();
      if (u.inclusion() instanceof Inclusion.WithoutReplacement w) {
        if (type.withReplacement()) {
          throw new IllegalArgumentException(
              "unit \"" + u.id() + "\": a " + type.id() + " design needs p and draws, not pi");
        }
        pi[i] = w.pi();
        draws[i] = 1;
        sampled[h]++;
      } else if (u.inclusion() instanceof Inclusion.WithReplacement w) {
        if (!type.withReplacement()) {
          throw new IllegalArgumentException(
              "unit \"" + u.id() + "\": a " + type.id() + " design needs pi, not p and draws");
        }
        pi[i] = w.p(); // scaled by n_h below, once the draws are counted
        draws[i] = w.draws();
        sampled[h] += w.draws();
      }
    }
    fpc = new double[this.strata.size()];
    for (int h = 0; h < fpc.length; h++) {
      Stratum s = this.strata.get(h);
      if (s.n() != sampled[h]) {
        throw new IllegalArgumentException(
            "stratum \"" + s.id() + "\": the manifest says n = " + s.n() + " but the sample has "
                + sampled[h] + (type.withReplacement() ? " draws" : " units"));
      }
      if (type.stratifiedWithoutReplacement()) {
        if (sampled[h] > s.units()) {
          throw new IllegalArgumentException(
              "stratum \"" + s.id() + "\": " + sampled[h] + " sampled units but only " + s.units()
                  + " in the population");
        }
        fpc[h] = sampled[h] == 0 ? 1 : (double) (s.units() - sampled[h]) / s.units();
      } else {
        fpc[h] = 1;
      }
    }
    for (int i = 0; i < n; i++) {
      if (type.withReplacement()) {
        pi[i] = sampled[stratum[i]] * pi[i] / draws[i];
      }
      d[i] = 1 / pi[i];
    }
  }

  /**
   * A sample of the given design.
   *
   * @throws IllegalArgumentException when a unit's record does not fit the design (π for a
   *     with-replacement design or the reverse), a unit names an unknown stratum, ids repeat, a
   *     stratum's n differs from the units (or draws) in the sample, or more units were sampled than
   *     the stratum holds
   */
  public static DesignSample of(DesignType type, List<SampledUnit> units, List<Stratum> strata) {
    return new DesignSample(type, units, strata);
  }

  /**
   * Reads {@code sample.jsonl} and its manifest {@code sample.json} (docs/formats.md).
   *
   * @throws dev.plumb.core.InputException naming the file, line and field of the first problem
   */
  public static DesignSample read(Path sample, Path manifest) {
    return read(sample, manifest, line -> {});
  }

  /**
   * {@link #read(Path, Path)}, handing each line of {@code sample.jsonl} to {@code each} once its unit is read (in
   * the order of {@link #units()}), for a caller that needs more of the record in the same pass.
   */
  public static DesignSample read(Path sample, Path manifest, Consumer<SampleFile.Line> each) {
    return SampleFiles.read(sample, manifest, each);
  }

  public DesignType type() {
    return type;
  }

  public List<SampledUnit> units() {
    return units;
  }

  public List<Stratum> strata() {
    return strata;
  }

  /** The number of distinct units in the sample. */
  public int size() {
    return units.size();
  }

  /** Sampled rows: units, or draws for a with-replacement design. */
  public int rows() {
    int r = 0;
    for (int k : sampled) {
      r += k;
    }
    return r;
  }

  /** The position of unit {@code id} in {@link #units()}, if it is in the sample. */
  public OptionalInt indexOf(String id) {
    Integer i = index.get(id);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** The design weight d_i of unit {@code i} (1/π_i, or draws_i/(n_h p_i) with replacement). */
  public double designWeight(int i) {
    return d[i];
  }

  /** The exposure m_i of unit {@code i}. */
  public double exposure(int i) {
    return m[i];
  }

  /**
   * The values of attribute {@code name} per unit, grouped: value → indicator of the units having it,
   * in order of first appearance. Units without the attribute form the domain {@code null}.
   */
  public Map<String, boolean[]> domains(String name) {
    Map<String, boolean[]> out = new LinkedHashMap<>();
    for (int i = 0; i < units.size(); i++) {
      String v = units.get(i).attributes().get(name);
      out.computeIfAbsent(v, k -> new boolean[units.size()])[i] = true;
    }
    return out;
  }

  /**
   * {@link #domains} of an attribute a breakdown was asked for ({@code --by}), which at least one
   * unit must have.
   *
   * @param sample the sample file, named in the message
   * @throws InputException {@code "SAMPLE: no unit has the attribute "NAME" (--by NAME)"} when none has it
   */
  public Map<String, boolean[]> breakdown(String name, Path sample) {
    Map<String, boolean[]> domains = domains(name);
    if (domains.size() == 1 && domains.containsKey(null)) {
      throw new InputException(Problem.of(sample + ": no unit has the attribute \"" + name + "\" (--by " + name + ")"));
    }
    return domains;
  }

  /** Units per stratum index, for the bootstrap. */
  int[][] unitsByStratum() {
    int[] count = new int[strata.size()];
    for (int h : stratum) {
      count[h]++;
    }
    int[][] out = new int[strata.size()][];
    for (int h = 0; h < out.length; h++) {
      out[h] = new int[count[h]];
    }
    int[] fill = new int[strata.size()];
    for (int i = 0; i < stratum.length; i++) {
      out[stratum[i]][fill[stratum[i]]++] = i;
    }
    return out;
  }

  /** The unit ids, in sample order. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(units.size());
    units.forEach(u -> ids.add(u.id()));
    return ids;
  }
}
