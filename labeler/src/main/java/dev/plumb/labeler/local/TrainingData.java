package dev.plumb.labeler.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.PolicyRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Labeled texts from a JSON Lines file, mapped onto policies: each line has the text in
 * {@code prompt} (or {@code text}) and 0/1 labels under keys of the file's own vocabulary, e.g.
 * the moderation format {@code {"prompt": "...", "SH": 1, "V": 0}}. A mapping {@code SH=self_harm}
 * makes the key's labels examples for policy {@code self_harm}; {@code S3=sexual:minors} makes
 * its positives positives of category {@code minors} (its zeros say nothing about the policy).
 *
 * <p>Per policy and line: positive when any mapped key is 1; negative when a policy-level key is 0
 * and none is 1; otherwise (every mapped key absent or null) the line is unknown and not used — an
 * absent key is never read as 0. Values may be 0, 1, true or false.
 *
 * <p>Immutable; holds the texts in memory.
 */
public final class TrainingData {
  private static final TrainingData NONE = new TrainingData(null, "", List.of(), Map.of());

  /** One {@code KEY=POLICY[:CATEGORY]} mapping. */
  record Mapping(String key, String policy, String category) {
    @Override
    public String toString() {
      return key + "=" + policy + (category == null ? "" : ":" + category);
    }
  }

  private final Path file;
  private final String fileHash;
  private final List<Mapping> mappings;
  private final Map<String, List<Sample>> samples;

  private TrainingData(Path file, String fileHash, List<Mapping> mappings, Map<String, List<Sample>> samples) {
    this.file = file;
    this.fileHash = fileHash;
    this.mappings = List.copyOf(mappings);
    this.samples = Map.copyOf(samples);
  }

  /** No training file: policies train on their own examples only. */
  public static TrainingData none() {
    return NONE;
  }

  /**
   * Reads {@code file} with the given {@code KEY=POLICY[:CATEGORY]} mappings (as typed on the
   * command line).
   *
   * @throws InputException naming the mapping, or the file, line and field of a bad record
   */
  public static TrainingData read(Path file, List<String> mappingTexts) {
    if (mappingTexts.isEmpty()) {
      throw new InputException("--train " + file + ": needs at least one --map KEY=POLICY, e.g. --map SH=self_harm");
    }
    List<Mapping> mappings = new ArrayList<>();
    Set<String> keys = new TreeSet<>();
    for (String text : mappingTexts) {
      Mapping m = parseMapping(text);
      if (!keys.add(m.key())) {
        throw new InputException("--map " + text + ": key " + m.key() + " is mapped twice");
      }
      mappings.add(m);
    }
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Set<String> seenKeys = new TreeSet<>();
    String source = file.toString();
    Jsonl.forEach(
        file,
        line -> {
          JsonNode textNode = line.node().has("prompt") ? line.node().get("prompt") : line.node().get("text");
          String field = line.node().has("prompt") ? "prompt" : "text";
          if (textNode == null || textNode.isNull()) {
            throw new InputException(Problem.at(source, line.number(), "prompt", "missing (the text goes in \"prompt\" or \"text\")"));
          }
          if (!textNode.isTextual()) {
            throw new InputException(Problem.at(source, line.number(), field, "expected a string"));
          }
          Map<String, Boolean> positive = new LinkedHashMap<>();
          Map<String, String> category = new LinkedHashMap<>();
          for (Mapping m : mappings) {
            JsonNode v = line.node().get(m.key());
            if (v == null || v.isNull()) {
              continue;
            }
            seenKeys.add(m.key());
            boolean label = label(v, source, line.number(), m.key());
            if (label) {
              positive.put(m.policy(), true);
              if (m.category() != null) {
                category.putIfAbsent(m.policy(), m.category());
              }
            } else if (m.category() == null) {
              positive.putIfAbsent(m.policy(), false);
            }
          }
          for (Map.Entry<String, Boolean> e : positive.entrySet()) {
            samples
                .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                .add(new Sample(source + ":" + line.number(), textNode.asText(), e.getValue(), null,
                    category.get(e.getKey()), false));
          }
        });
    for (Mapping m : mappings) {
      if (!seenKeys.contains(m.key())) {
        throw new InputException(source + ": --map " + m + ": no line has a value for key \"" + m.key() + "\"");
      }
    }
    return new TrainingData(file, Hashing.sha256(file), mappings, samples);
  }

  private static Mapping parseMapping(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new InputException("--map " + text + ": expected KEY=POLICY or KEY=POLICY:CATEGORY, e.g. SH=self_harm");
    }
    String key = text.substring(0, eq);
    String target = text.substring(eq + 1);
    int colon = target.indexOf(':');
    String policy = colon < 0 ? target : target.substring(0, colon);
    String category = colon < 0 ? null : target.substring(colon + 1);
    if (!PolicyRef.ID.matcher(policy).matches()) {
      throw new InputException("--map " + text + ": \"" + policy + "\" is not a policy id (lowercase letters, digits, _)");
    }
    if (category != null && category.isEmpty()) {
      throw new InputException("--map " + text + ": empty category after ':'");
    }
    return new Mapping(key, policy, category);
  }

  private static boolean label(JsonNode v, String source, int line, String key) {
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber() && (v.asLong() == 0 || v.asLong() == 1)) {
      return v.asLong() == 1;
    }
    if (v.isNumber() && (v.decimalValue().signum() == 0 || v.decimalValue().compareTo(java.math.BigDecimal.ONE) == 0)) {
      return v.decimalValue().signum() != 0;
    }
    throw new InputException(Problem.at(source, line, key, "expected 0, 1, true or false, found " + v));
  }

  /**
   * The same data restricted to the lines {@code keep} accepts (1-based line numbers of the file),
   * as if the other lines were not in the file: how the quality benchmark trains on one fold of a
   * labeled file through the production path without writing the fold out. Its fingerprint and id
   * name the lines kept.
   */
  TrainingData lines(java.util.function.IntPredicate keep) {
    Map<String, List<Sample>> kept = new LinkedHashMap<>();
    TreeSet<Integer> numbers = new TreeSet<>();
    samples.forEach((policy, list) -> {
      for (Sample s : list) {
        int line = Integer.parseInt(s.source().substring(s.source().lastIndexOf(':') + 1));
        if (keep.test(line)) {
          kept.computeIfAbsent(policy, k -> new ArrayList<>()).add(s);
          numbers.add(line);
        }
      }
    });
    return new TrainingData(file, Hashing.sha256(fileHash + "\nlines " + numbers), mappings, kept);
  }

  /** The policy ids the mappings name, sorted. */
  public Set<String> policies() {
    Set<String> ids = new TreeSet<>();
    mappings.forEach(m -> ids.add(m.policy()));
    return ids;
  }

  /**
   * Checks that every mapped policy is one of {@code policyIds} (a mapping to a policy that is not
   * being used is almost always a typo).
   */
  public void requirePolicies(Collection<String> policyIds) {
    for (Mapping m : mappings) {
      if (!policyIds.contains(m.policy())) {
        throw new InputException(
            "--map " + m + ": policy \"" + m.policy() + "\" is not among the policies in use (" + String.join(", ", new TreeSet<>(policyIds)) + ")");
      }
    }
  }

  /** Labeled texts for a policy id, in file order; empty when none is mapped to it. */
  List<Sample> samples(String policyId) {
    return samples.getOrDefault(policyId, List.of());
  }

  /** Category mappings for a policy id (to validate against the policy's categories). */
  List<Mapping> mappings(String policyId) {
    return mappings.stream().filter(m -> m.policy().equals(policyId)).toList();
  }

  /**
   * What a policy's model depends on in this data: the file's content hash and the mappings to
   * that policy; {@code "none"} when nothing maps to it. Renaming or moving the file changes nothing.
   */
  String fingerprint(String policyId) {
    List<Mapping> mine = mappings(policyId);
    if (mine.isEmpty()) {
      return "none";
    }
    Map<String, String> sorted = new TreeMap<>();
    mine.forEach(m -> sorted.put(m.key(), m.toString()));
    return Hashing.sha256(fileHash + "\n" + String.join("\n", sorted.values()));
  }

  /**
   * A short id of the whole training data (file content and every mapping), empty for
   * {@link #none()}: part of the model name labels carry, so labels (and cached answers) from a
   * classifier trained on other data are never taken for this one's.
   */
  public String id() {
    if (file == null) {
      return "";
    }
    String hash = Hashing.sha256(fileHash + "\n" + String.join("\n", new TreeSet<>(mappings.stream().map(Mapping::toString).toList())));
    return hash.substring(hash.indexOf(':') + 1, hash.indexOf(':') + 13);
  }

  /** The file read, or {@code null} for {@link #none()}. */
  public Path file() {
    return file;
  }
}
