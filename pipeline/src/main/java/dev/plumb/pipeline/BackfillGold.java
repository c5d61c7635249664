package dev.plumb.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.report.GoldReuse;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Numbers;
import dev.plumb.core.PlumbException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyDiff;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a period's gold a backfill may use for another version of the policy (docs/history.md,
 * "Reusing gold across versions"). Per reviewed unit, in order: a decision made under the backfilled
 * version itself ({@code RUN/backfill/<key>/gold.rereviewed.jsonl}, then the run's gold); else one made
 * under a version whose decision definitions are the same ({@link PolicyDiff#definitionChanges()}
 * empty), reused and counted; else the unit needs re-review. A period with any unit to re-review is
 * not measured: the review is a stratified sample, and dropping the units reviewed under another
 * version (typically the days around a switch) would leave a sample that is no longer random within
 * its strata.
 */
final class BackfillGold {
  /** The file of decisions made again under the backfilled version, read before the run's gold. */
  static final String REREVIEWED = "gold.rereviewed.jsonl";
  /** The list of units to review again, written when a period cannot be measured. */
  static final String REREVIEW = "rereview.jsonl";

  /**
   * One period's gold for the backfilled version.
   *
   * @param kept the records to calibrate with, in the run's order, not yet rekeyed
   * @param reused version → units reviewed under it and reused
   * @param rereview the units' records that need re-review, by the version they were reviewed under
   * @param changes per version needing re-review, why: its definition changes (or that it is unknown)
   * @param total the period's reviewed units of the policy
   */
  record Plan(List<ObjectNode> kept, Map<String, Integer> reused, Map<String, List<ObjectNode>> rereview,
      Map<String, List<String>> changes, int total) {
    boolean measurable() {
      return rereview.isEmpty();
    }

    int rereviewCount() {
      return rereview.values().stream().mapToInt(List::size).sum();
    }
  }

  private final String key;
  private final String id;
  private final Policy target;
  private final PolicyLibrary library;
  private final Map<String, List<String>> changes = new HashMap<>();

  BackfillGold(Policy target, PolicyLibrary library) {
    this.target = target;
    this.key = target.key();
    this.id = target.id();
    this.library = library;
  }

  /**
   * Splits the gold of one period.
   *
   * @param gold the run's gold.jsonl
   * @param rereviewed decisions made again under the backfilled version (may not exist)
   * @throws InputException naming file, line and field when a re-reviewed record is not for the backfilled version
   */
  Plan plan(Path gold, Path rereviewed) {
    Map<String, ObjectNode> again = new LinkedHashMap<>();
    if (Files.isRegularFile(rereviewed)) {
      // the gold contract first, so a bad record is named in the file the user wrote
      GoldFile.forEach(rereviewed, g -> {});
      Jsonl.forEach(rereviewed, line -> {
        ObjectNode n = line.node();
        if (!key.equals(n.path("policy").asText())) {
          throw new InputException(Problem.at(rereviewed.toString(), line.number(), "policy",
              "expected \"" + key + "\" (decisions made again under the backfilled version), found " + n.get("policy")));
        }
        again.put(n.path("unit").asText(), n);
      });
    }
    // per unit, the records of this policy in the run's order (a unit may have been reviewed under several versions)
    Map<String, List<ObjectNode>> byUnit = new LinkedHashMap<>();
    Jsonl.forEach(gold, line -> {
      ObjectNode n = line.node();
      if (PolicyKey.idOf(n.path("policy").asText()).equals(id)) {
        byUnit.computeIfAbsent(n.path("unit").asText(), u -> new ArrayList<>()).add(n);
      }
    });
    again.keySet().forEach(u -> byUnit.putIfAbsent(u, List.of()));
    List<ObjectNode> kept = new ArrayList<>();
    Map<String, Integer> reused = new LinkedHashMap<>();
    Map<String, List<ObjectNode>> rereview = new LinkedHashMap<>();
    Map<String, List<String>> why = new LinkedHashMap<>();
    byUnit.forEach((unit, records) -> {
      ObjectNode own = again.get(unit);
      for (ObjectNode n : records) {
        if (own == null && n.path("policy").asText().equals(key)) {
          own = n;
        }
      }
      if (own != null) {
        kept.add(own);
        return;
      }
      for (ObjectNode n : records) {
        String version = n.path("policy").asText();
        if (changesFrom(version).isEmpty()) {
          kept.add(n);
          reused.merge(version, 1, Integer::sum);
          return;
        }
      }
      String version = records.get(0).path("policy").asText();
      rereview.computeIfAbsent(version, v -> new ArrayList<>()).add(records.get(0));
      why.put(version, changesFrom(version));
    });
    return new Plan(kept, reused, rereview, why, byUnit.size());
  }

  /** What changes the meaning of a decision made under {@code version} (memoized); empty when it means the same. */
  private List<String> changesFrom(String version) {
    return changes.computeIfAbsent(version, v -> {
      if (!v.contains("@")) {
        return List.of("the version it was reviewed under is not recorded");
      }
      Policy from;
      try {
        from = library.resolve(PolicyRef.parse(v));
      } catch (InputException | IllegalArgumentException e) {
        return List.of(v + " is not in the policy library");
      }
      return PolicyDiff.between(from, target).definitionChanges();
    });
  }

  /** Writes the kept records with their policy set to the backfilled version, and the reuse beside them. */
  void writeGold(Plan plan, Path to) {
    writeLines(to, plan.kept().stream().map(n -> n.deepCopy().put("policy", key)).toList());
    GoldReuse.write(to, plan.reused().isEmpty() ? List.of() : List.of(new GoldReuse(key, plan.reused(), plan.kept().size())));
  }

  /**
   * Writes the units to review again under the backfilled version, one JSON object a line: {@code
   * unit}, {@code policy} (the backfilled version), {@code reviewed_under} and the unit's {@code
   * phase2} design, which the new decisions keep.
   */
  void writeRereview(Plan plan, Path to) {
    List<ObjectNode> lines = new ArrayList<>();
    for (Map.Entry<String, List<ObjectNode>> e : plan.rereview().entrySet()) {
      for (ObjectNode n : e.getValue()) {
        ObjectNode line = Json.object();
        line.put("unit", n.path("unit").asText());
        line.put("policy", key);
        line.put("reviewed_under", e.getKey());
        line.set("phase2", n.path("phase2").deepCopy());
        lines.add(line);
      }
    }
    writeLines(to, lines);
  }

  /** Writes {@code lines} to {@code to} as JSON Lines, whole or not at all. */
  private static void writeLines(Path to, List<ObjectNode> lines) {
    try (AtomicOutput o = AtomicOutput.create(to)) {
      Writer w = o.writer();
      for (ObjectNode n : lines) {
        w.write(Json.line(n));
        w.write('\n');
      }
      o.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + to + ": " + e.getMessage(), e);
    }
  }

  /**
   * The one line saying why a period is not measured and where the list is, e.g. {@code not
   * measured: 200 of 200 gold units need re-review under self_harm@2: reviewed under self_harm@1,
   * whose decision definitions differ (+ category disordered_eating, + rule R8, ~ rule R3 and 5 more;
   * plumb policy diff self_harm@1 self_harm@2); list: RUN/backfill/self_harm@2/rereview.jsonl}.
   */
  String message(Plan plan, Path list) {
    List<String> parts = new ArrayList<>();
    plan.rereview().forEach((version, records) -> {
      List<String> c = plan.changes().get(version);
      String shown = String.join(", ", c.subList(0, Math.min(3, c.size()))) + (c.size() > 3 ? " and " + (c.size() - 3) + " more" : "");
      boolean known = version.contains("@") && !c.get(0).endsWith("not in the policy library");
      parts.add((plan.rereview().size() > 1 ? Numbers.count(records.size()) + " " : "") + "reviewed under " + version
          + (known ? ", whose decision definitions differ (" + shown + "; plumb policy diff " + version + " " + key + ")"
              : " (" + shown + ")"));
    });
    return "not measured: " + Numbers.count(plan.rereviewCount()) + " of " + Numbers.count(plan.total())
        + " gold units need re-review under " + key + ": " + String.join("; ", parts) + "; list: " + list;
  }
}
