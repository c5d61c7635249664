package dev.plumb.calibration.sampling;

import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Numbers;
import dev.plumb.core.Spelling;
import dev.plumb.core.YamlFields;
import dev.plumb.core.YamlFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A design file ({@code design.yaml}): the design and, optionally, its seed. Every option is checked
 * here, and a problem names the file, line, column and option, e.g.
 * {@code design.yaml:3:1: alocation: unknown option; did you mean "allocation"?}.
 *
 * <pre>
 * type: stratified        # srs | stratified | poisson | ppswr | priority
 * n: 2000
 * policy: self_harm
 * bins: [0, 0.01, 0.1, 0.5, 1]
 * by: [surface]
 * allocation: neyman      # proportional | neyman | fixed
 * </pre>
 *
 * docs/sampling.md lists every option.
 *
 * @param seed the {@code seed} option, when the file sets one (a command-line seed overrides it)
 */
public record DesignFile(SamplingDesign design, OptionalLong seed) {

  private static final YamlFile<DesignFile> FILE =
      YamlFile.required("design file", "at least type: and n:", DesignFile::of);

  private static final List<String> COMMON = List.of("type", "n", "seed");
  private static final List<String> STRATIFIED =
      List.of("policy", "bins", "labels", "by", "allocation", "basis", "min_per_stratum", "sizes");
  private static final List<String> SIZED = List.of("size", "floor");
  private static final List<String> ALL = concat(COMMON, STRATIFIED, SIZED);
  /** The largest sample size: Java arrays stop a little short of Integer.MAX_VALUE. */
  private static final int MAX_N = Integer.MAX_VALUE - 8;

  /** Reads and validates a design file. */
  public static DesignFile read(Path path) {
    return FILE.read(path);
  }

  /** Parses design YAML; {@code source} names it in messages. */
  public static DesignFile parse(String yaml, String source) {
    return FILE.parse(yaml, source);
  }

  private static DesignFile of(LocatedYaml doc) {
    YamlFields f = YamlFields.root(doc, "a mapping of design options (type:, n:, ...)", YamlFields.failFast());
    return new Reader(f, Origin.of(doc)).design();
  }

  /** Turns the options into a design; stops at the first problem. */
  private record Reader(YamlFields f, Origin origin) {

    DesignFile design() {
      if (!f.has("type")) {
        throw f.error("type", "missing; one of " + String.join(", ", SamplingDesign.TYPES));
      }
      String type = f.choice("type", true, SamplingDesign.TYPES);
      List<String> allowed = switch (type) {
        case "srs" -> COMMON;
        case "stratified" -> concat(COMMON, STRATIFIED);
        default -> concat(COMMON, SIZED);
      };
      for (String name : f.keys()) {
        if (!ALL.contains(name)) {
          String hint = Spelling.suggest(name, allowed).or(() -> Spelling.suggest(name, ALL))
              .map(m -> "; did you mean \"" + m + "\"?" + (allowed.contains(m) ? ""
                  : " (that is not an option of a " + type + " design either; its options: "
                      + String.join(", ", allowed) + ")"))
              .orElse(" (options of a " + type + " design: " + String.join(", ", allowed) + ")");
          throw f.errorAtKey(name, "unknown option" + hint);
        }
        if (!allowed.contains(name)) {
          throw f.errorAtKey(name, "not an option of a " + type + " design (its options: "
              + String.join(", ", allowed) + ")");
        }
      }
      Long seed = f.integer("seed", false, Long.MIN_VALUE, Long.MAX_VALUE);
      SamplingDesign design = switch (type) {
        case "srs" -> new SamplingDesign.Srs(n(), origin);
        case "stratified" -> stratified();
        case "poisson" -> new SamplingDesign.Poisson(n(), size(), origin);
        case "ppswr" -> new SamplingDesign.Ppswr(n(), size(), origin);
        default -> new SamplingDesign.Priority(n(), size(), origin);
      };
      return new DesignFile(design, seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
    }

    private int n() {
      if (!f.has("n")) {
        throw f.error("n", "missing; the sample size");
      }
      return f.integer("n", true, 1, MAX_N).intValue();
    }

    private SizeMeasure size() {
      String text = f.has("size") ? f.string("size", true) : "weight";
      double floor = SizeMeasure.DEFAULT_FLOOR;
      if (f.has("floor")) {
        floor = f.number("floor", true, 0, 1);
        if (floor == 0) {
          // the floor keeps every unit's inclusion probability above zero: 0 would drop that guarantee
          throw f.error("floor", "must be above 0 and at most 1, got 0");
        }
      }
      SizeMeasure m;
      try {
        m = SizeMeasure.parse(text, floor);
      } catch (IllegalArgumentException e) {
        throw f.error("size", e.getMessage());
      }
      if (f.has("floor") && !m.usesScores()) {
        throw f.error("floor", "has no effect: the size measure " + m.text() + " reads no score");
      }
      return m;
    }

    private SamplingDesign stratified() {
      Optional<String> policy = Optional.ofNullable(f.string("policy", false));
      List<Double> bins = f.list("bins", false, this::edge);
      if (f.has("bins")) {
        if (policy.isEmpty()) {
          throw f.error("bins", "score bins need policy: (whose score the bins cut)");
        }
        if (bins.size() < 2) {
          throw f.error("bins", "needs at least two edges, e.g. [0, 0.1, 1]");
        }
        if (bins.get(0) != 0.0 || bins.get(bins.size() - 1) != 1.0) {
          throw f.error("bins", "must start at 0 and end at 1 so that every score falls in a bin");
        }
        for (int i = 1; i < bins.size(); i++) {
          if (!(bins.get(i) > bins.get(i - 1))) {
            throw f.errorAt(item("bins", i), "bin edges must increase: " + Numbers.plain(bins.get(i - 1))
                + " then " + Numbers.plain(bins.get(i)));
          }
        }
      }
      List<String> labels = names("labels");
      if (!labels.isEmpty() && bins.isEmpty()) {
        throw f.error("labels", "labels name score bins; there are none (add bins:)");
      }
      if (!labels.isEmpty() && labels.size() != bins.size() - 1) {
        throw f.error("labels", "must name each of the " + (bins.size() - 1) + " bins, found " + labels.size());
      }
      if (new LinkedHashSet<>(labels).size() != labels.size()) {
        throw f.error("labels", "labels must be unique");
      }
      for (int i = 0; i < labels.size(); i++) {
        if (labels.get(i).contains("/")) {
          throw f.errorAt(item("labels", i), "a label must be non-empty and contain no \"/\"");
        }
      }
      List<String> by = names("by");
      if (new LinkedHashSet<>(by).size() != by.size()) {
        throw f.error("by", "lists an attribute twice");
      }
      if (bins.isEmpty() && by.isEmpty()) {
        throw f.error("type", "a stratified design needs score bins (policy: and bins:) and/or by: attributes");
      }
      String a = f.choice("allocation", false, List.of("proportional", "neyman", "fixed"));
      Allocation allocation = a == null ? Allocation.PROPORTIONAL : Allocation.valueOf(a.toUpperCase(Locale.ROOT));
      if (policy.isPresent() && bins.isEmpty() && allocation != Allocation.NEYMAN) {
        throw f.error("policy", "is used by score bins and neyman allocation; this design has neither");
      }
      if (allocation == Allocation.NEYMAN && policy.isEmpty()) {
        throw f.error("allocation", "neyman allocation needs policy: (whose score's sqrt(s(1-s)) measures each stratum's variability)");
      }
      for (String onlyAllocated : List.of("basis", "min_per_stratum")) {
        if (f.has(onlyAllocated) && allocation == Allocation.FIXED) {
          throw f.error(onlyAllocated, "only applies to proportional and neyman allocation");
        }
      }
      Basis basis = "units".equals(f.choice("basis", false, List.of("weight", "units"))) ? Basis.UNITS : Basis.WEIGHT;
      Long min = f.integer("min_per_stratum", false, 1, Integer.MAX_VALUE);
      Map<String, Integer> sizes = new LinkedHashMap<>();
      int n;
      if (allocation == Allocation.FIXED) {
        if (!f.has("sizes")) {
          throw f.error("allocation", "fixed allocation needs sizes: (a sample size for each stratum id)");
        }
        YamlFields s = f.object("sizes");
        if (s.keys().isEmpty()) {
          throw f.error("sizes", "expected a mapping of stratum id to sample size");
        }
        long sum = 0;
        for (String stratum : s.keys()) {
          long size = s.integer(stratum, true, 1, Integer.MAX_VALUE);
          sizes.put(stratum, (int) size);
          sum += size;
        }
        if (sum > MAX_N) {
          throw f.error("sizes", "the sizes add up to more than " + MAX_N);
        }
        if (f.has("n") && n() != sum) {
          throw f.error("n", n() + " does not match the sum of sizes (" + sum + "); drop n: or fix it");
        }
        n = (int) sum;
      } else {
        if (f.has("sizes")) {
          throw f.error("sizes", "only used with allocation: fixed");
        }
        n = n();
      }
      Stratification strata = new Stratification(policy, bins, labels, by);
      return new SamplingDesign.Stratified(n, strata, allocation, basis, min == null ? 2 : min.intValue(), sizes, origin);
    }

    /** One bin edge: a number. */
    private Double edge(LocatedYaml.Node item, String path) {
      if (item instanceof LocatedYaml.Scalar s && s.value().isNumber()) {
        return s.value().asDouble();
      }
      throw f.errorAt(item, "expected a number, got " + item.describe());
    }

    /** Item {@code i} of the list under {@code key}; the value itself when it is one name, not a list. */
    private LocatedYaml.Node item(String key, int i) {
      return f.node(key) instanceof LocatedYaml.SeqNode seq ? seq.items().get(i) : f.node(key);
    }

    /** A name or a list of names; none when not given. */
    private List<String> names(String key) {
      List<String> names = f.names(key);
      return names == null ? List.of() : names;
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    Set<String> all = new LinkedHashSet<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return List.copyOf(all);
  }
}
