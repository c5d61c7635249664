package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.corrected.PolicyData;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Where a report's numbers came from: input files and hashes, the sample's design and seed, the labels' models and prompts. */
final class Provenance {
  private Provenance() {}

  static ObjectNode of(CalibrationReport.Request r, CalibrationReport.RaterFiles raters, Map<String, PolicyData> data) {
    ObjectNode p = Json.object();
    p.put("plumb", r.plumbVersion());
    p.put("created", r.created().toString());
    ObjectNode inputs = p.putObject("inputs");
    file(inputs, "sample", r.sample());
    file(inputs, "manifest", r.manifest());
    file(inputs, "labels", r.labels());
    file(inputs, "gold", r.gold());
    if (raters.answers() != null) {
      file(inputs, "answers", raters.answers());
    }
    if (raters.ratersFile() != null) {
      file(inputs, "raters", raters.ratersFile());
    }
    if (r.truth() != null) {
      file(inputs, "truth", r.truth());
    }
    if (r.rulesFile() != null) {
      file(inputs, "signoff", r.rulesFile());
    }
    p.set("sample", sample(r.manifest()));
    p.set("labels", labels(r.labels(), data.keySet()));
    return p;
  }

  private static void file(ObjectNode inputs, String name, Path path) {
    ObjectNode f = inputs.putObject(name);
    f.put("path", path.toString());
    f.put("sha256", Hashing.sha256(path));
  }

  /**
   * The manifest's design, seed, frame and creator (fields absent from the manifest are omitted).
   * DesignSample.read has already read and checked the manifest, so it is read here as a file plumb
   * wrote ({@link Json#read(Path)}).
   */
  private static ObjectNode sample(Path manifest) {
    ObjectNode s = Json.object();
    copyGiven(Json.read(manifest), s, List.of("format", "design", "seed", "frame", "n", "draws", "created_by"));
    return s;
  }

  /** Copies {@code keys} from {@code from} to {@code to}, in that order, leaving out those absent or null. */
  private static void copyGiven(JsonNode from, ObjectNode to, List<String> keys) {
    for (String key : keys) {
      JsonNode v = from.get(key);
      if (v != null && !v.isNull()) {
        to.set(key, v);
      }
    }
  }

  /** Models, backends, prompt fingerprints and status counts per calibrated policy (read by {@link LabelFile}); the run record beside the labels. */
  private static ObjectNode labels(Path labels, java.util.Set<String> policies) {
    TreeSet<String> models = new TreeSet<>();
    TreeSet<String> backends = new TreeSet<>();
    TreeSet<String> providers = new TreeSet<>();
    TreeSet<String> prompts = new TreeSet<>();
    Map<String, Map<String, Integer>> status = new TreeMap<>();
    LabelFile.forEach(labels, label -> {
      text(label.model(), models);
      text(label.backend(), backends);
      text(label.provider(), providers);
      text(label.prompt(), prompts);
      if (policies.contains(label.policy())) {
        status.computeIfAbsent(label.policy(), k -> new TreeMap<>())
            .merge(label.status().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
    });
    ObjectNode l = Json.object();
    l.set("models", array(models));
    l.set("backends", array(backends));
    if (!providers.isEmpty()) {
      l.set("providers", array(providers));
    }
    l.set("prompts", array(prompts));
    ObjectNode ps = l.putObject("policies");
    status.forEach((policy, counts) -> {
      ObjectNode c = ps.putObject(policy);
      counts.forEach(c::put);
    });
    String name = labels.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    Path run = labels.resolveSibling(name + ".run.json");
    if (Files.isRegularFile(run)) {
      try {
        JsonNode r = Json.mapper().readTree(Files.readString(run));
        ObjectNode o = l.putObject("run");
        o.put("path", run.toString());
        copyGiven(r, o, List.of("status", "created_by", "started", "updated", "prompt", "backend", "counts"));
      } catch (IOException e) {
        l.put("run_unreadable", run + ": " + e.getMessage());
      }
    }
    return l;
  }

  private static void text(String value, TreeSet<String> into) {
    if (value != null && !value.isEmpty()) {
      into.add(value);
    }
  }

  private static ArrayNode array(TreeSet<String> values) {
    ArrayNode a = Json.array();
    values.forEach(a::add);
    return a;
  }
}
