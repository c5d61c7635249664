package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What batch mode must remember between invocations, kept in {@code run.json} under {@code batch}
 * (docs/labeler.md, "Batch mode"): every submission (its id, input file, batch id and, while it is
 * open, the units it holds), how many times each unfinished unit was submitted, and the invalid
 * answers waiting for their one validation retry. A unit is in at most one open submission, which
 * is what keeps a unit from being submitted twice. Mutated from the run's one thread.
 */
final class BatchState {
  /** One uploaded file and the batch over it. */
  static final class Submission {
    final String id;
    final String created;
    String inputFile;
    String batch;
    /** {@code open} until its results are recorded, then the provider's final state. */
    String state = "open";
    final List<String> units;
    /** The units whose request carried a validation retry. */
    final Set<String> corrected;
    long count;

    Submission(String id, String created, List<String> units, Set<String> corrected) {
      this.id = id;
      this.created = created;
      this.units = new ArrayList<>(units);
      this.corrected = new LinkedHashSet<>(corrected);
      this.count = units.size();
    }

    boolean open() {
      return state.equals("open");
    }
  }

  /** An invalid answer waiting for its validation retry, with what it cost (carried to the final record). */
  record Correction(String raw, List<String> errors, long inputTokens, long outputTokens, double costUsd) {
    Correction {
      errors = List.copyOf(errors);
    }
  }

  final List<Submission> submissions = new ArrayList<>();
  final Map<String, Integer> attempts = new LinkedHashMap<>();
  final Map<String, Correction> corrections = new LinkedHashMap<>();

  List<Submission> open() {
    return submissions.stream().filter(Submission::open).toList();
  }

  /** Units held by open submissions. */
  Set<String> inFlight() {
    Set<String> out = new java.util.HashSet<>();
    for (Submission s : submissions) {
      if (s.open()) {
        out.addAll(s.units);
      }
    }
    return out;
  }

  int attempts(String unit) {
    return attempts.getOrDefault(unit, 0);
  }

  /** The unit has its final record: nothing about it needs remembering. */
  void finished(String unit) {
    attempts.remove(unit);
    corrections.remove(unit);
  }

  ObjectNode toJson() {
    ObjectNode b = Json.object();
    b.put("endpoint", "/v1/chat/completions");
    b.put("completion_window", "24h");
    ArrayNode subs = b.putArray("submissions");
    for (Submission s : submissions) {
      ObjectNode n = subs.addObject();
      n.put("id", s.id);
      n.put("created", s.created);
      n.put("input_file", s.inputFile);
      n.put("batch", s.batch);
      n.put("state", s.state);
      n.put("requests", s.count);
      if (s.open()) {
        ArrayNode u = n.putArray("units");
        s.units.forEach(u::add);
        ArrayNode c = n.putArray("corrected");
        s.corrected.forEach(c::add);
      }
    }
    ObjectNode a = b.putObject("attempts");
    attempts.forEach(a::put);
    ObjectNode c = b.putObject("corrections");
    corrections.forEach((unit, corr) -> {
      ObjectNode n = c.putObject(unit);
      n.put("raw", corr.raw());
      ArrayNode e = n.putArray("errors");
      corr.errors().forEach(e::add);
      n.put("input_tokens", corr.inputTokens());
      n.put("output_tokens", corr.outputTokens());
      n.put("cost_usd", corr.costUsd());
    });
    return b;
  }

  /**
   * The state in {@code runFile} if it was written by batch mode for this prompt and model, else an
   * empty state. An unreadable run.json is an empty state only when it holds no open batch: the
   * caller is told by the exception otherwise.
   */
  static BatchState read(Path runFile, String fingerprint, String model) {
    BatchState s = new BatchState();
    if (!Files.isRegularFile(runFile)) {
      return s;
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(runFile));
    } catch (IOException e) {
      throw new dev.plumb.core.InputException(
          runFile + ": unreadable (" + e.getMessage() + "); it may name open batches: repair or move it before resuming");
    }
    JsonNode b = root.path("batch");
    if (!b.isObject() || !fingerprint.equals(root.path("prompt").asText()) || !model.equals(root.path("backend").path("model").asText())) {
      return s;
    }
    for (JsonNode n : b.path("submissions")) {
      List<String> units = new ArrayList<>();
      n.path("units").forEach(u -> units.add(u.asText()));
      Set<String> corrected = new LinkedHashSet<>();
      n.path("corrected").forEach(u -> corrected.add(u.asText()));
      Submission sub = new Submission(n.path("id").asText(), n.path("created").asText(), units, corrected);
      sub.inputFile = n.path("input_file").isTextual() ? n.get("input_file").asText() : null;
      sub.batch = n.path("batch").isTextual() ? n.get("batch").asText() : null;
      sub.state = n.path("state").asText("open");
      sub.count = n.path("requests").asLong(units.size());
      s.submissions.add(sub);
    }
    b.path("attempts").fields().forEachRemaining(e -> s.attempts.put(e.getKey(), e.getValue().asInt()));
    b.path("corrections").fields().forEachRemaining(e -> {
      JsonNode n = e.getValue();
      List<String> errors = new ArrayList<>();
      n.path("errors").forEach(x -> errors.add(x.asText()));
      s.corrections.put(e.getKey(), new Correction(n.path("raw").asText(""), errors, n.path("input_tokens").asLong(),
          n.path("output_tokens").asLong(), n.path("cost_usd").asDouble()));
    });
    return s;
  }
}
