package dev.plumb.calibration.corrected;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.quality.Judgement;
import dev.plumb.calibration.review.Records;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Reads sample + labels + gold (docs/formats.md) into one {@link PolicyData} per policy, with
 * every inconsistency reported as one line naming file, line and field.
 *
 * <p>The calibration module does not read policy files: the allowed decisions and their
 * positivity come from {@code decisions} when given (policy → decision → positive), otherwise from
 * the {@code ok} labels themselves (a decision seen with both positivities is an error).
 */
public final class CalibrationInput {
  private CalibrationInput() {}

  private record Label(String decision, boolean positive, String category, double confidence) {}

  private record GoldRecord(int line, String unit, String decision, boolean positive, String category,
      String stratum, double pi, GoldProbability probability) {}

  /**
   * @param sample sample.jsonl
   * @param manifest sample.json
   * @param labels labels.jsonl
   * @param gold gold.jsonl
   * @param decisions policy → decision → positive, or an empty map to learn them from the labels
   * @return policy → data, sorted by policy; only policies that have gold
   * @throws InputException for the first problem found
   */
  public static Map<String, PolicyData> read(
      Path sample, Path manifest, Path labels, Path gold, Map<String, Map<String, Boolean>> decisions) {
    DesignSample phase1 = DesignSample.read(sample, manifest);
    String sampleName = sample.toString();
    String labelSource = labels.toString();
    Map<String, Label[]> byPolicy = new TreeMap<>();
    Map<String, Map<String, Boolean>> known = new HashMap<>();
    decisions.forEach((p, d) -> known.put(p, new LinkedHashMap<>(d)));
    Jsonl.forEach(labels, line -> {
      JsonNode n = line.node();
      int no = line.number();
      String unit = Records.text(labelSource, no, n, "unit");
      String policy = Records.text(labelSource, no, n, "policy");
      String status = Records.text(labelSource, no, n, "status");
      OptionalInt i = phase1.indexOf(unit);
      if (i.isEmpty()) {
        throw new InputException(Problem.at(labelSource, no, "unit",
            "unit \"" + unit + "\" is not in the sample " + sampleName));
      }
      if (!status.equals("ok")) {
        return;
      }
      String decision = Records.text(labelSource, no, n, "decision");
      boolean positive = Records.bool(labelSource, no, n, "positive");
      checkDecision(labelSource, no, policy, decision, positive, decisions, known, true);
      JsonNode c = n.get("confidence");
      double confidence = Double.NaN;
      if (c != null && !c.isNull()) {
        if (!c.isNumber() || c.asDouble() < 0 || c.asDouble() > 1) {
          throw new InputException(Problem.at(labelSource, no, "confidence", "expected a number in [0, 1], found " + c));
        }
        confidence = c.asDouble();
      }
      Label[] row = byPolicy.computeIfAbsent(policy, k -> new Label[phase1.size()]);
      Label label = new Label(decision, positive, Records.optionalText(labelSource, no, n, "category"), confidence);
      Label previous = row[i.getAsInt()];
      if (previous != null && (previous.positive() != positive || !previous.decision().equals(decision))) {
        throw new InputException(Problem.at(labelSource, no, "decision", "unit \"" + unit + "\" already has the ok label \""
            + previous.decision() + "\" for policy " + policy + "; two ok labels must agree"));
      }
      row[i.getAsInt()] = label;
    });
    String goldSource = gold.toString();
    Map<String, List<GoldRecord>> goldByPolicy = new TreeMap<>();
    Map<String, Integer> seen = new HashMap<>();
    Jsonl.forEach(gold, line -> {
      JsonNode n = line.node();
      int no = line.number();
      String unit = Records.text(goldSource, no, n, "unit");
      String policy = Records.text(goldSource, no, n, "policy");
      String decision = Records.text(goldSource, no, n, "decision");
      boolean positive = Records.bool(goldSource, no, n, "positive");
      OptionalInt i = phase1.indexOf(unit);
      if (i.isEmpty()) {
        throw new InputException(Problem.at(goldSource, no, "unit",
            "unit \"" + unit + "\" is not in the sample " + sampleName));
      }
      Label[] row = byPolicy.get(policy);
      if (row == null) {
        throw new InputException(Problem.at(goldSource, no, "policy",
            "policy " + policy + " has no ok labels in " + labelSource));
      }
      if (row[i.getAsInt()] == null) {
        throw new InputException(Problem.at(goldSource, no, "unit",
            "unit \"" + unit + "\" has no ok label for policy " + policy + " in " + labelSource));
      }
      checkDecision(goldSource, no, policy, decision, positive, decisions, known, false);
      Integer first = seen.putIfAbsent(unit + "\u0000" + policy, no);
      if (first != null) {
        throw new InputException(Problem.at(goldSource, no, "unit", "duplicate gold for unit \"" + unit
            + "\" and policy " + policy + " (first on line " + first + ")"));
      }
      JsonNode phase2 = n.get("phase2");
      if (phase2 == null || phase2.isNull() || !phase2.isObject()) {
        throw new InputException(Problem.at(goldSource, no, "phase2",
            "missing; every gold record needs its phase-2 {stratum, pi} from the review queue"));
      }
      String stratum = Records.text(goldSource, no, phase2, "stratum");
      JsonNode pi = phase2.get("pi");
      if (pi == null || pi.isNull()) {
        throw new InputException(Problem.at(goldSource, no, "phase2.pi", "missing; the phase-2 inclusion probability is required"));
      }
      if (!pi.isNumber() || !(pi.asDouble() > 0 && pi.asDouble() <= 1)) {
        throw new InputException(Problem.at(goldSource, no, "phase2.pi", pi + " is not in (0, 1]"));
      }
      goldByPolicy.computeIfAbsent(policy, k -> new ArrayList<>()).add(new GoldRecord(no, unit, decision, positive,
          Records.optionalText(goldSource, no, n, "category"), stratum, pi.asDouble(),
          GoldProbability.read(goldSource, no, n, positive)));
    });
    Map<String, PolicyData> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<GoldRecord>> e : goldByPolicy.entrySet()) {
      String policy = e.getKey();
      Label[] row = byPolicy.get(policy);
      int missing = 0;
      String firstMissing = null;
      double[] llm = new double[phase1.size()];
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          missing++;
          if (firstMissing == null) {
            firstMissing = phase1.units().get(i).id();
          }
        } else {
          llm[i] = row[i].positive() ? 1 : 0;
        }
      }
      if (missing > 0) {
        throw new InputException(Problem.of(labelSource + ": policy " + policy + ": " + missing
            + " sampled unit" + (missing == 1 ? " has" : "s have") + " no ok label (first: " + firstMissing
            + "); the corrected estimators need the LLM's call on every sampled unit"));
      }
      List<GoldUnit> goldUnits = new ArrayList<>();
      List<Judgement> judgements = new ArrayList<>();
      Map<String, Double> stratumPi = new HashMap<>();
      for (GoldRecord g : e.getValue()) {
        Double pi = stratumPi.putIfAbsent(g.stratum(), g.pi());
        if (pi != null && Math.abs(pi - g.pi()) > 1e-9 * pi) {
          throw new InputException(Problem.at(goldSource, g.line(), "phase2.pi", "phase-2 stratum \"" + g.stratum()
              + "\" has pi " + pi + " elsewhere; within a stratum the review sample is a simple random sample"));
        }
        int i = phase1.indexOf(g.unit()).getAsInt();
        Label l = row[i];
        GoldProbability first = e.getValue().get(0).probability();
        if (g.probability().count() != first.count()) {
          throw new InputException(Problem.at(goldSource, g.line(), "p_replicates", g.probability().count()
              + " replicates, but the first gold record of policy " + policy + " has " + first.count()));
        }
        goldUnits.add(new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), g.probability().probability(),
            g.probability().replicates()));
        double weight = phase1.exposure(i) * phase1.designWeight(i) / g.pi();
        judgements.add(new Judgement(g.unit(), phase1.units().get(i).inclusion().stratum(),
            weight > 0 ? weight : Double.MIN_NORMAL, l.decision(), l.positive(), l.category(), l.confidence(),
            g.decision(), g.positive(), g.category()));
      }
      out.put(policy, new PolicyData(policy, TwoPhaseSample.of(phase1, llm, goldUnits), judgements,
          known.getOrDefault(policy, Map.of())));
    }
    return out;
  }

  private static void checkDecision(String source, int line, String policy, String decision, boolean positive,
      Map<String, Map<String, Boolean>> given, Map<String, Map<String, Boolean>> known, boolean learn) {
    Map<String, Boolean> allowed = given.get(policy);
    if (allowed != null || (!given.isEmpty() && !given.containsKey(policy))) {
      if (allowed == null) {
        throw new InputException(Problem.at(source, line, "policy", "policy " + policy + " is not among the given policies ("
            + String.join(", ", new java.util.TreeSet<>(given.keySet())) + ")"));
      }
      Boolean pos = allowed.get(decision);
      if (pos == null) {
        throw new InputException(Problem.at(source, line, "decision", "\"" + decision + "\" is not a decision of policy "
            + policy + " (known: " + String.join(", ", new java.util.TreeSet<>(allowed.keySet())) + ")"));
      }
      if (pos != positive) {
        throw new InputException(Problem.at(source, line, "positive", "decision \"" + decision + "\" of policy " + policy
            + " is " + (pos ? "positive" : "not positive") + ", but positive is " + positive));
      }
      return;
    }
    Map<String, Boolean> learned = known.computeIfAbsent(policy, k -> new LinkedHashMap<>());
    Boolean pos = learned.get(decision);
    if (pos == null) {
      if (!learn) {
        throw new InputException(Problem.at(source, line, "decision", "\"" + decision + "\" is not a decision of policy "
            + policy + " (known from the labels: " + String.join(", ", new java.util.TreeSet<>(learned.keySet())) + ")"));
      }
      learned.put(decision, positive);
    } else if (pos != positive) {
      throw new InputException(Problem.at(source, line, "positive", "decision \"" + decision + "\" of policy " + policy
          + " is " + (pos ? "positive" : "not positive") + " in earlier records, but positive is " + positive));
    }
  }
}
