package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.SampleFile;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads {@code sample.jsonl} ({@link SampleFile}) + {@code sample.json} (docs/formats.md) into a {@link DesignSample}. */
final class SampleFiles {
  private SampleFiles() {}

  static DesignSample read(Path samplePath, Path manifestPath, Consumer<SampleFile.Line> each) {
    Manifest manifest = manifest(manifestPath);
    String source = samplePath.toString();
    Map<String, Stratum> strata = new HashMap<>();
    manifest.strata().forEach(s -> strata.put(s.id(), s));
    List<SampledUnit> units = new ArrayList<>();
    SampleFile.forEach(samplePath, line -> {
      SampledUnit u = unit(source, line, manifest.type());
      if (!strata.containsKey(u.inclusion().stratum())) {
        throw new InputException(Problem.at(source, line.number(), "design.stratum",
            "stratum \"" + u.inclusion().stratum() + "\" is not in " + manifestPath + " (strata: "
                + String.join(", ", strata.keySet().stream().sorted().toList()) + ")"));
      }
      units.add(u);
      each.accept(line);
    });
    try {
      return DesignSample.of(manifest.type(), units, manifest.strata());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(source + ": " + e.getMessage()));
    }
  }

  private record Manifest(DesignType type, List<Stratum> strata) {}

  private static Manifest manifest(Path path) {
    String source = path.toString();
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found (the sample manifest written beside sample.jsonl)"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": invalid JSON: " + firstLine(e.getMessage())), e);
    }
    if (!(root instanceof ObjectNode)) {
      throw new InputException(Problem.of(source + ": expected a JSON object"));
    }
    JsonNode format = root.get("format");
    if (format != null && !(format.isTextual() && format.asText().startsWith("plumb.sample/"))) {
      throw new InputException(Problem.at(source, 0, "format",
          "expected \"plumb.sample/1\", found " + format));
    }
    JsonNode typeNode = root.path("design").path("type");
    if (!typeNode.isTextual()) {
      throw new InputException(Problem.at(source, 0, "design.type",
          "missing; expected one of srs, stratified, poisson, ppswr, priority"));
    }
    DesignType type;
    try {
      type = DesignType.parse(typeNode.asText());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.at(source, 0, "design.type", e.getMessage()));
    }
    JsonNode strataNode = root.get("strata");
    if (strataNode == null || !strataNode.isArray() || strataNode.isEmpty()) {
      throw new InputException(Problem.at(source, 0, "strata", "missing or empty; expected [{\"id\", \"units\", \"weight\", \"n\"}, ...]"));
    }
    List<Stratum> strata = new ArrayList<>();
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int k = 0; k < strataNode.size(); k++) {
      JsonNode s = strataNode.get(k);
      String field = "strata[" + k + "]";
      if (!s.path("id").isTextual() || s.path("id").asText().isEmpty()) {
        throw new InputException(Problem.at(source, 0, field + ".id", "missing; expected a stratum id"));
      }
      String id = s.get("id").asText();
      if (ids.put(id, k) != null) {
        throw new InputException(Problem.at(source, 0, field + ".id", "duplicate stratum id \"" + id + "\""));
      }
      long units = wholeNumber(source, s, field, "units", type.stratifiedWithoutReplacement());
      // with replacement the variance counts draws: sample.json's "draws" per stratum, or its "n"
      long n = type.withReplacement() && s.has("draws")
          ? wholeNumber(source, s, field, "draws", true)
          : wholeNumber(source, s, field, "n", true);
      JsonNode w = s.get("weight");
      double weight = w == null || w.isNull() ? 0 : w.isNumber() && w.asDouble() >= 0 ? w.asDouble() : -1;
      if (weight < 0) {
        throw new InputException(Problem.at(source, 0, field + ".weight", "must be a number >= 0, found " + w));
      }
      strata.add(new Stratum(id, units, weight, (int) n));
    }
    return new Manifest(type, strata);
  }

  private static long wholeNumber(String source, JsonNode s, String field, String name, boolean required) {
    JsonNode v = s.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new InputException(Problem.at(source, 0, field + "." + name, "missing; expected a whole number >= 0"));
      }
      return 0;
    }
    if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() > Integer.MAX_VALUE * 1e3) {
      throw new InputException(Problem.at(source, 0, field + "." + name, "must be a whole number >= 0, found " + v));
    }
    return v.asLong();
  }

  private static SampledUnit unit(String source, SampleFile.Line line, DesignType type) {
    ObjectNode node = line.node();
    int no = line.number();
    double weight = 1;
    JsonNode w = node.get("weight");
    if (w != null && !w.isNull()) {
      if (!w.isNumber() || !(w.asDouble() >= 0) || Double.isInfinite(w.asDouble())) {
        throw new InputException(Problem.at(source, no, "weight", "must be a number >= 0, found " + w));
      }
      weight = w.asDouble();
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode attrs = node.get("attributes");
    if (attrs != null && !attrs.isNull()) {
      if (!attrs.isObject()) {
        throw new InputException(Problem.at(source, no, "attributes", "must be an object of strings, found " + attrs.getNodeType().toString().toLowerCase()));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
          attributes.put(e.getKey(), e.getValue().asText());
        } else if (!e.getValue().isNull()) {
          throw new InputException(Problem.at(source, no, "attributes." + e.getKey(), "must be a string, found " + e.getValue()));
        }
      }
    }
    JsonNode design = node.get("design");
    if (design == null || !design.isObject()) {
      throw new InputException(Problem.at(source, no, "design",
          "missing; a sampled unit needs its design record ({\"stratum\", \"pi\"}"
              + " or, with replacement, {\"stratum\", \"p\", \"draws\"})"));
    }
    JsonNode stratum = design.get("stratum");
    if (stratum == null || !stratum.isTextual() || stratum.asText().isEmpty()) {
      throw new InputException(Problem.at(source, no, "design.stratum", "missing; expected the stratum id (\"all\" when unstratified)"));
    }
    Inclusion inclusion;
    if (type.withReplacement()) {
      double p = probability(source, no, design, "p", type);
      JsonNode draws = design.get("draws");
      if (draws == null || !draws.canConvertToInt() || draws.asInt() < 1 || draws.asDouble() != draws.asInt()) {
        throw new InputException(Problem.at(source, no, "design.draws", "must be a whole number >= 1, found " + draws));
      }
      inclusion = new Inclusion.WithReplacement(stratum.asText(), p, draws.asInt());
    } else {
      inclusion = new Inclusion.WithoutReplacement(stratum.asText(), probability(source, no, design, "pi", type));
    }
    return new SampledUnit(line.id(), weight, attributes, inclusion);
  }

  private static double probability(String source, int no, JsonNode design, String name, DesignType type) {
    JsonNode v = design.get(name);
    if (v == null || v.isNull()) {
      throw new InputException(Problem.at(source, no, "design." + name,
          "missing; a " + type.id() + " sample records " + (type.withReplacement() ? "p and draws" : "pi") + " for every unit"));
    }
    if (!v.isNumber() || !(v.asDouble() > 0 && v.asDouble() <= 1)) {
      throw new InputException(Problem.at(source, no, "design." + name, "must be a number in (0, 1], found " + v));
    }
    return v.asDouble();
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }
}
