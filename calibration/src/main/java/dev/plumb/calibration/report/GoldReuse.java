package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gold reviewed under other versions of a policy and reused for this one, as {@code plumb
 * backfill} does when the decision definitions did not change (docs/history.md, "Reusing gold
 * across versions"). Written beside the gold as {@code <gold>.reuse.json} (format {@code
 * plumb.gold-reuse/1}); the report shows it, marked, and the history stores it.
 *
 * @param policy the version key the gold is used for, e.g. {@code self_harm@1}
 * @param reviewedUnder version key → units reviewed under it and reused, in the order given
 * @param goldUnits the policy's gold records (reused or not)
 */
public record GoldReuse(String policy, Map<String, Integer> reviewedUnder, int goldUnits) {
  /** The sidecar's format. */
  public static final String FORMAT = "plumb.gold-reuse/1";

  public GoldReuse {
    Objects.requireNonNull(policy, "policy");
    reviewedUnder = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reviewedUnder));
    if (reviewedUnder.isEmpty() || reused(reviewedUnder) > goldUnits) {
      throw new IllegalArgumentException("gold reuse of " + policy + ": expected 1.." + goldUnits + " reused units in "
          + reviewedUnder);
    }
  }

  /** Units reused from other versions. */
  public int reused() {
    return reused(reviewedUnder);
  }

  /**
   * One line a reader can quote, e.g. {@code gold reviewed under self_harm@2, reused for
   * self_harm@1: 1,200 of 1,200 units}; with several versions each one's count follows its key.
   */
  public String message() {
    List<String> versions = new ArrayList<>();
    reviewedUnder.forEach((k, n) -> versions.add(reviewedUnder.size() == 1 ? k : k + " (" + Numbers.count(n) + ")"));
    return "gold reviewed under " + String.join(" and ", versions) + ", reused for " + policy + ": "
        + Numbers.count(reused()) + " of " + Numbers.count(goldUnits) + " units";
  }

  /** The {@code gold_reuse} object of report.json: {@code reviewed_under[] {version, units}}, {@code reused}, {@code gold_units}, {@code message}. */
  ObjectNode json() {
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("reviewed_under");
    reviewedUnder.forEach((k, n) -> a.addObject().put("version", k).put("units", n));
    o.put("reused", reused());
    o.put("gold_units", goldUnits);
    o.put("message", message());
    return o;
  }

  /** {@code gold.jsonl} → {@code gold.reuse.json} beside it. */
  public static Path fileOf(Path gold) {
    String stem = gold.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    return gold.resolveSibling(stem + ".reuse.json");
  }

  /**
   * Writes the sidecar of {@code gold} (atomically), or deletes a stale one when {@code reuses} is
   * empty, so a report never shows reuse the gold no longer has.
   */
  public static void write(Path gold, Collection<GoldReuse> reuses) {
    Path file = fileOf(gold);
    if (reuses.isEmpty()) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new dev.plumb.core.PlumbException("cannot delete " + file + ": " + e.getMessage(), e);
      }
      return;
    }
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    ObjectNode policies = root.putObject("policies");
    for (GoldReuse r : reuses) {
      ObjectNode p = policies.putObject(r.policy());
      p.put("gold_units", r.goldUnits());
      ObjectNode under = p.putObject("reviewed_under");
      r.reviewedUnder().forEach(under::put);
    }
    AtomicOutput.write(file, Json.pretty(root));
  }

  /**
   * The sidecar of {@code gold}: policy key → reuse; empty when there is none.
   *
   * @throws InputException naming the file and field when it is not a plumb.gold-reuse/1 file
   */
  public static Map<String, GoldReuse> read(Path gold) {
    Path file = fileOf(gold);
    Map<String, GoldReuse> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    String source = file.toString();
    JsonNode root = Json.read(file);
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InputException(Problem.at(source, 0, "format", "expected \"" + FORMAT + "\""));
    }
    root.path("policies").fields().forEachRemaining(e -> {
      String field = "policies." + e.getKey();
      JsonNode units = e.getValue().get("gold_units");
      JsonNode under = e.getValue().get("reviewed_under");
      if (units == null || !units.canConvertToInt() || under == null || !under.isObject() || under.isEmpty()) {
        throw new InputException(Problem.at(source, 0, field, "expected {\"gold_units\": n, \"reviewed_under\": {\"<id@version>\": n}}"));
      }
      Map<String, Integer> m = new LinkedHashMap<>();
      under.fields().forEachRemaining(u -> {
        if (!u.getValue().canConvertToInt() || u.getValue().asInt() <= 0) {
          throw new InputException(Problem.at(source, 0, field + ".reviewed_under." + u.getKey(),
              "expected a positive count, found " + u.getValue()));
        }
        m.put(u.getKey(), u.getValue().asInt());
      });
      if (reused(m) > units.asInt()) {
        throw new InputException(Problem.at(source, 0, field, "reuses " + reused(m) + " units of " + units.asInt()));
      }
      out.put(e.getKey(), new GoldReuse(e.getKey(), m, units.asInt()));
    });
    return out;
  }

  private static int reused(Map<String, Integer> m) {
    return m.values().stream().mapToInt(Integer::intValue).sum();
  }
}
