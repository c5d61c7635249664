package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.Numbers;
import dev.plumb.core.Problem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * How units fall into strata: bins of one policy's risk score and/or the values of unit attributes.
 *
 * <p>Bins are given by their edges {@code e_0 = 0 < e_1 < ... < e_K = 1}; bin {@code i} holds scores
 * in {@code [e_{i-1}, e_i)}, the last bin {@code [e_{K-1}, 1]}. A stratum's id is its bin label
 * ({@code s1..sK} unless {@code labels} names them) followed by the unit's values of the {@code by}
 * attributes, joined with {@code /}: {@code s3/search}.
 *
 * @param policy the policy whose score the bins cut (and Neyman allocation uses); empty when the
 *     design stratifies by attributes only and allocates proportionally or by fixed sizes
 * @param bins the bin edges, empty for no score bins
 * @param labels one label per bin
 * @param by attribute names, in order
 */
public record Stratification(Optional<String> policy, List<Double> bins, List<String> labels, List<String> by)
    implements Serializable {

  public Stratification {
    bins = List.copyOf(bins);
    by = List.copyOf(by);
    if (!bins.isEmpty()) {
      if (policy.isEmpty()) {
        throw new IllegalArgumentException("score bins need a policy");
      }
      if (bins.size() < 2) {
        throw new IllegalArgumentException("bins need at least two edges, e.g. [0, 0.1, 1]");
      }
      if (bins.get(0) != 0.0 || bins.get(bins.size() - 1) != 1.0) {
        throw new IllegalArgumentException("bins must start at 0 and end at 1 so that every score falls in a bin");
      }
      for (int i = 1; i < bins.size(); i++) {
        if (!(bins.get(i) > bins.get(i - 1))) {
          throw new IllegalArgumentException("bin edges must increase: " + bins.get(i - 1) + " then " + bins.get(i));
        }
      }
      if (labels == null || labels.isEmpty()) {
        List<String> generated = new ArrayList<>();
        for (int i = 1; i < bins.size(); i++) {
          generated.add("s" + i);
        }
        labels = generated;
      }
      labels = List.copyOf(labels);
      if (labels.size() != bins.size() - 1) {
        throw new IllegalArgumentException(
            "labels must name each of the " + (bins.size() - 1) + " bins, found " + labels.size());
      }
      if (new HashSet<>(labels).size() != labels.size()) {
        throw new IllegalArgumentException("labels must be unique");
      }
    } else {
      if (labels != null && !labels.isEmpty()) {
        throw new IllegalArgumentException("labels name score bins; there are none");
      }
      labels = List.of();
    }
    if (bins.isEmpty() && by.isEmpty()) {
      throw new IllegalArgumentException("a stratified design needs score bins (policy and bins) and/or by: attributes");
    }
    if (new HashSet<>(by).size() != by.size()) {
      throw new IllegalArgumentException("by lists an attribute twice");
    }
  }

  /** Java serialisation (sketches travel between Spark workers) through a proxy: Optional is not Serializable. */
  private Object writeReplace() {
    return new Serial(policy.orElse(null), bins, labels, by);
  }

  private record Serial(String policy, List<Double> bins, List<String> labels, List<String> by)
      implements Serializable {
    private Object readResolve() {
      return new Stratification(Optional.ofNullable(policy), bins, labels, by);
    }
  }

  /** The bin of {@code score}: 0-based, the last bin closed at 1. */
  public int bin(double score) {
    int k = bins.size() - 1;
    for (int i = 1; i < k; i++) {
      if (score < bins.get(i)) {
        return i - 1;
      }
    }
    return k - 1;
  }

  /** The stratum of a unit, or a located error when it lacks the score or an attribute. */
  Cell cell(FrameUnit unit) {
    int bin = -1;
    if (!bins.isEmpty()) {
      String p = policy.orElseThrow();
      Double s = unit.scores().get(p);
      if (s == null) {
        throw new InputException(Problem.at(unit.source(), unit.line(), "scores." + p,
            "missing; the design stratifies by the " + p + " score"));
      }
      bin = bin(s);
    }
    String[] values = new String[by.size()];
    for (int i = 0; i < values.length; i++) {
      String name = by.get(i);
      String v = unit.attributes().get(name);
      if (v == null) {
        throw new InputException(Problem.at(unit.source(), unit.line(), "attributes." + name,
            "missing (or not a string); the design stratifies by it"));
      }
      values[i] = v;
    }
    return new Cell(bin, List.of(values), id(bin, values));
  }

  String id(int bin, String[] values) {
    StringBuilder sb = new StringBuilder();
    if (bin >= 0) {
      sb.append(labels.get(bin));
    }
    for (String v : values) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  /** A human description of a cell, for messages: {@code self_harm score in [0.5, 1] and surface=search}. */
  String describe(int bin, List<String> values) {
    List<String> parts = new ArrayList<>();
    if (bin >= 0) {
      double lo = bins.get(bin);
      double hi = bins.get(bin + 1);
      parts.add(policy.orElseThrow() + " score in [" + Numbers.plain(lo) + ", " + Numbers.plain(hi) + (bin == bins.size() - 2 ? "]" : ")"));
    }
    for (int i = 0; i < by.size(); i++) {
      parts.add(by.get(i) + "=" + values.get(i));
    }
    return String.join(" and ", parts);
  }

  /** One stratum: its bin (-1 when none), attribute values, and id. */
  record Cell(int bin, List<String> values, String id) implements Serializable {}
}
