package dev.plumb.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage manifest ({@code OUTPUT/run-manifest.json}): for every stage that finished, its
 * fingerprint, configuration, input digests and output digests. Rewritten atomically after each
 * stage, so an interrupted run leaves the record of every stage that did finish.
 */
final class Manifest {
  static final String FORMAT = "plumb.run-manifest/1";
  static final String FILE = "run-manifest.json";

  /** What one finished stage recorded. */
  record Entry(String fingerprint, JsonNode config, JsonNode inputs, Map<String, String> outputs, String finished,
      double seconds, String detail) {}

  private final Path file;
  private final Map<String, Entry> stages = new LinkedHashMap<>();

  private Manifest(Path file) {
    this.file = file;
  }

  /** Reads the manifest in {@code dir}; a missing or unreadable one is empty (every stage runs). */
  static Manifest load(Path dir) {
    Manifest m = new Manifest(dir.resolve(FILE));
    if (!Files.isRegularFile(m.file)) {
      return m;
    }
    try {
      JsonNode root = Json.mapper().readTree(Files.readString(m.file));
      if (!FORMAT.equals(root.path("format").asText())) {
        return m;
      }
      Iterator<Map.Entry<String, JsonNode>> it = root.path("stages").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode s = e.getValue();
        Map<String, String> outputs = new LinkedHashMap<>();
        s.path("outputs").fields().forEachRemaining(o -> outputs.put(o.getKey(), o.getValue().asText()));
        m.stages.put(e.getKey(), new Entry(s.path("fingerprint").asText(), s.path("config"), s.path("inputs"), outputs,
            s.path("finished").asText(), s.path("seconds").asDouble(), s.path("detail").asText()));
      }
    } catch (IOException | RuntimeException e) {
      m.stages.clear(); // a damaged manifest only costs a full rerun
    }
    return m;
  }

  Entry get(String stage) {
    return stages.get(stage);
  }

  void put(String stage, Entry entry) {
    stages.put(stage, entry);
  }

  void remove(String stage) {
    stages.remove(stage);
  }

  void write() {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    ObjectNode s = root.putObject("stages");
    stages.forEach((name, e) -> {
      ObjectNode o = s.putObject(name);
      o.put("fingerprint", e.fingerprint());
      o.set("config", e.config());
      o.set("inputs", e.inputs());
      ObjectNode out = o.putObject("outputs");
      e.outputs().forEach(out::put);
      o.put("finished", e.finished());
      o.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
      o.put("detail", e.detail());
    });
    AtomicOutput.write(file, Json.pretty(root));
  }
}
