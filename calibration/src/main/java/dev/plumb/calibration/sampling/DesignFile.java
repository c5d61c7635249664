package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Numbers;
import dev.plumb.core.Problem;
import dev.plumb.core.Spelling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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

  private static final LocatedYaml.Kind DESIGN_FILE = LocatedYaml.Kind.of("design file");

  private static final List<String> COMMON = List.of("type", "n", "seed");
  private static final List<String> STRATIFIED =
      List.of("policy", "bins", "labels", "by", "allocation", "basis", "min_per_stratum", "sizes");
  private static final List<String> SIZED = List.of("size", "floor");
  private static final List<String> ALL = concat(COMMON, STRATIFIED, SIZED);

  /** Reads and validates a design file. */
  public static DesignFile read(Path path) {
    return of(LocatedYaml.read(path, DESIGN_FILE));
  }

  /** Parses design YAML; {@code source} names it in messages. */
  public static DesignFile parse(String yaml, String source) {
    return of(LocatedYaml.parse(yaml, source, DESIGN_FILE));
  }

  private static DesignFile of(LocatedYaml doc) {
    if (doc.isEmpty()) {
      throw new InputException(Problem.of(doc.source() + ": empty design file; it needs at least type: and n:"));
    }
    if (!(doc.tree() instanceof ObjectNode options)) {
      throw new InputException(Problem.of(doc.source() + ": expected a mapping of design options (type:, n:, ...)"));
    }
    return new Reader(options, doc).design();
  }

  /** Turns the option tree into a design, one located problem at a time. */
  private static final class Reader {
    private final ObjectNode o;
    private final LocatedYaml doc;
    private final Origin origin;

    Reader(ObjectNode o, LocatedYaml doc) {
      this.o = o;
      this.doc = doc;
      this.origin = Origin.of(doc);
    }

    DesignFile design() {
      JsonNode typeNode = o.get("type");
      if (typeNode == null || typeNode.isNull()) {
        throw problem("type", "missing; one of " + String.join(", ", SamplingDesign.TYPES));
      }
      String type = typeNode.asText();
      if (!typeNode.isTextual() || !SamplingDesign.TYPES.contains(type)) {
        throw problem("type", "unknown design \"" + type + "\"" + hintOr(type, SamplingDesign.TYPES,
            " (one of " + String.join(", ", SamplingDesign.TYPES) + ")"));
      }
      List<String> allowed = switch (type) {
        case "srs" -> COMMON;
        case "stratified" -> concat(COMMON, STRATIFIED);
        default -> concat(COMMON, SIZED);
      };
      Iterator<String> names = o.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!ALL.contains(name)) {
          String hint = Spelling.suggest(name, allowed).or(() -> Spelling.suggest(name, ALL))
              .map(m -> "; did you mean \"" + m + "\"?" + (allowed.contains(m) ? ""
                  : " (that is not an option of a " + type + " design either; its options: "
                      + String.join(", ", allowed) + ")"))
              .orElse(" (options of a " + type + " design: " + String.join(", ", allowed) + ")");
          throw doc.errorAtKey(name, "unknown option" + hint);
        }
        if (!allowed.contains(name)) {
          throw doc.errorAtKey(name, "not an option of a " + type + " design (its options: "
              + String.join(", ", allowed) + ")");
        }
      }
      OptionalLong seed = o.has("seed") ? OptionalLong.of(longValue("seed")) : OptionalLong.empty();
      SamplingDesign design = switch (type) {
        case "srs" -> new SamplingDesign.Srs(n(), origin);
        case "stratified" -> stratified();
        case "poisson" -> new SamplingDesign.Poisson(n(), size(), origin);
        case "ppswr" -> new SamplingDesign.Ppswr(n(), size(), origin);
        default -> new SamplingDesign.Priority(n(), size(), origin);
      };
      return new DesignFile(design, seed);
    }

    private int n() {
      if (!o.has("n")) {
        throw problem("n", "missing; the sample size");
      }
      long n = longValue("n");
      if (n < 1 || n > Integer.MAX_VALUE - 8) {
        throw problem("n", "must be a whole number >= 1, found " + o.get("n").asText());
      }
      return (int) n;
    }

    private SizeMeasure size() {
      String text = "weight";
      if (o.has("size")) {
        JsonNode s = o.get("size");
        if (!s.isTextual() || s.asText().isBlank()) {
          throw problem("size", "expected a formula such as weight or weight * score(self_harm)");
        }
        text = s.asText();
      }
      double floor = SizeMeasure.DEFAULT_FLOOR;
      if (o.has("floor")) {
        JsonNode f = o.get("floor");
        floor = f.isNumber() ? f.asDouble() : Double.NaN;
        if (!(floor > 0 && floor <= 1)) {
          throw problem("floor", "must be a number in (0, 1], found " + f.asText());
        }
      }
      SizeMeasure m;
      try {
        m = SizeMeasure.parse(text, floor);
      } catch (IllegalArgumentException e) {
        throw problem("size", e.getMessage());
      }
      if (o.has("floor") && !m.usesScores()) {
        throw problem("floor", "has no effect: the size measure " + m.text() + " reads no score");
      }
      return m;
    }

    private SamplingDesign stratified() {
      Optional<String> policy = o.has("policy") ? Optional.of(text("policy")) : Optional.empty();
      List<Double> bins = new ArrayList<>();
      if (o.has("bins")) {
        JsonNode b = o.get("bins");
        if (!b.isArray()) {
          throw problem("bins", "expected a list of bin edges, e.g. [0, 0.05, 0.2, 1]");
        }
        for (int i = 0; i < b.size(); i++) {
          if (!b.get(i).isNumber()) {
            throw problem("bins[" + i + "]", "expected a number, found " + b.get(i).asText());
          }
          bins.add(b.get(i).asDouble());
        }
        if (policy.isEmpty()) {
          throw problem("bins", "score bins need policy: (whose score the bins cut)");
        }
        if (bins.size() < 2) {
          throw problem("bins", "needs at least two edges, e.g. [0, 0.1, 1]");
        }
        if (bins.get(0) != 0.0 || bins.get(bins.size() - 1) != 1.0) {
          throw problem("bins", "must start at 0 and end at 1 so that every score falls in a bin");
        }
        for (int i = 1; i < bins.size(); i++) {
          if (!(bins.get(i) > bins.get(i - 1))) {
            throw problem("bins[" + i + "]", "bin edges must increase: " + Numbers.plain(bins.get(i - 1))
                + " then " + Numbers.plain(bins.get(i)));
          }
        }
      }
      List<String> labels = o.has("labels") ? texts("labels") : List.of();
      if (!labels.isEmpty() && bins.isEmpty()) {
        throw problem("labels", "labels name score bins; there are none (add bins:)");
      }
      if (!labels.isEmpty() && labels.size() != bins.size() - 1) {
        throw problem("labels", "must name each of the " + (bins.size() - 1) + " bins, found " + labels.size());
      }
      if (new LinkedHashSet<>(labels).size() != labels.size()) {
        throw problem("labels", "labels must be unique");
      }
      for (int i = 0; i < labels.size(); i++) {
        if (labels.get(i).isEmpty() || labels.get(i).contains("/")) {
          throw problem("labels[" + i + "]", "a label must be non-empty and contain no \"/\"");
        }
      }
      List<String> by = o.has("by") ? texts("by") : List.of();
      if (new LinkedHashSet<>(by).size() != by.size()) {
        throw problem("by", "lists an attribute twice");
      }
      if (bins.isEmpty() && by.isEmpty()) {
        throw problem("type", "a stratified design needs score bins (policy: and bins:) and/or by: attributes");
      }
      Allocation allocation = Allocation.PROPORTIONAL;
      if (o.has("allocation")) {
        String a = text("allocation");
        List<String> known = List.of("proportional", "neyman", "fixed");
        if (!known.contains(a)) {
          throw problem("allocation", "unknown allocation \"" + a + "\""
              + hintOr(a, known, " (one of proportional, neyman, fixed)"));
        }
        allocation = Allocation.valueOf(a.toUpperCase(java.util.Locale.ROOT));
      }
      if (policy.isPresent() && bins.isEmpty() && allocation != Allocation.NEYMAN) {
        throw problem("policy", "is used by score bins and neyman allocation; this design has neither");
      }
      if (allocation == Allocation.NEYMAN && policy.isEmpty()) {
        throw problem("allocation", "neyman allocation needs policy: (whose score's sqrt(s(1-s)) measures each stratum's variability)");
      }
      Basis basis = Basis.WEIGHT;
      if (o.has("basis")) {
        if (allocation == Allocation.FIXED) {
          throw problem("basis", "only applies to proportional and neyman allocation");
        }
        String b = text("basis");
        if (!b.equals("weight") && !b.equals("units")) {
          throw problem("basis", "unknown basis \"" + b + "\"" + hintOr(b, List.of("weight", "units"),
              " (weight or units)"));
        }
        basis = b.equals("weight") ? Basis.WEIGHT : Basis.UNITS;
      }
      int min = 2;
      if (o.has("min_per_stratum")) {
        if (allocation == Allocation.FIXED) {
          throw problem("min_per_stratum", "only applies to proportional and neyman allocation");
        }
        long m = longValue("min_per_stratum");
        if (m < 1 || m > Integer.MAX_VALUE) {
          throw problem("min_per_stratum", "must be a whole number >= 1, found " + o.get("min_per_stratum").asText());
        }
        min = (int) m;
      }
      Map<String, Integer> sizes = new LinkedHashMap<>();
      int n;
      if (allocation == Allocation.FIXED) {
        if (!o.has("sizes")) {
          throw problem("allocation", "fixed allocation needs sizes: (a sample size for each stratum id)");
        }
        JsonNode s = o.get("sizes");
        if (!s.isObject() || s.isEmpty()) {
          throw problem("sizes", "expected a mapping of stratum id to sample size");
        }
        long sum = 0;
        Iterator<Map.Entry<String, JsonNode>> it = s.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String field = "sizes." + e.getKey();
          JsonNode v = e.getValue();
          if (!v.canConvertToExactIntegral() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            throw problem(field, "must be a whole number >= 1, found " + v.asText());
          }
          sizes.put(e.getKey(), v.asInt());
          sum += v.asLong();
        }
        if (sum > Integer.MAX_VALUE - 8) {
          throw problem("sizes", "the sizes add up to more than " + (Integer.MAX_VALUE - 8));
        }
        if (o.has("n") && n() != sum) {
          throw problem("n", n() + " does not match the sum of sizes (" + sum + "); drop n: or fix it");
        }
        n = (int) sum;
      } else {
        if (o.has("sizes")) {
          throw problem("sizes", "only used with allocation: fixed");
        }
        n = n();
      }
      Stratification strata = new Stratification(policy, bins, labels, by);
      return new SamplingDesign.Stratified(n, strata, allocation, basis, min, sizes, origin);
    }

    private long longValue(String name) {
      JsonNode v = o.get(name);
      if (v == null || !v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
        throw problem(name, "must be a whole number, found " + (v == null ? "nothing" : v.asText()));
      }
      return v.asLong();
    }

    private String text(String name) {
      JsonNode v = o.get(name);
      if (v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty()) {
        throw problem(name, "expected a name");
      }
      return v.asText();
    }

    private List<String> texts(String name) {
      JsonNode v = o.get(name);
      List<String> out = new ArrayList<>();
      if (v.isValueNode() && !v.isNull()) {
        out.add(v.asText());
        return out;
      }
      if (!v.isArray()) {
        throw problem(name, "expected a name or a list of names");
      }
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (!e.isValueNode() || e.isNull() || e.asText().isEmpty()) {
          throw problem(name + "[" + i + "]", "expected a name");
        }
        out.add(e.asText());
      }
      return out;
    }

    private InputException problem(String field, String message) {
      return doc.error(field, message);
    }
  }

  private static String hintOr(String word, List<String> known, String otherwise) {
    String hint = Spelling.hint(word, known);
    return hint.isEmpty() ? otherwise : hint;
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
