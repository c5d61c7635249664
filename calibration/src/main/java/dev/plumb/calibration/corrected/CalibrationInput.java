package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.files.GoldProbability;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.calibration.files.PolicyDecisions;
import dev.plumb.calibration.quality.Judgement;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
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
 * Reads sample + labels + gold (docs/formats.md; {@link LabelFile}, {@link GoldFile}) into one
 * {@link PolicyData} per policy, with every inconsistency reported as one line naming file, line
 * and field.
 *
 * <p>The calibration module does not read policy files: the allowed decisions and their
 * positivity come from {@code decisions} when given (policy → decision → positive), otherwise from
 * the {@code ok} labels themselves (a decision seen with both positivities is an error).
 */
public final class CalibrationInput {
  private CalibrationInput() {}

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
    return read(sample, manifest, labels, gold, null, decisions);
  }

  /**
   * As {@link #read(Path, Path, Path, Path, Map)}, with the expert tier's answers as a third phase
   * ({@link ExpertGold}): each reviewed unit's gold becomes its expert answer or its cell's expert rate.
   *
   * @param expert the expert queue's gold (expert.jsonl, from {@code plumb queue import} of the queue
   *     {@code plumb queue export --expert-from} wrote), or {@code null} for none
   */
  public static Map<String, PolicyData> read(
      Path sample, Path manifest, Path labels, Path gold, Path expert, Map<String, Map<String, Boolean>> decisions) {
    String sampleName = sample.toString();
    // the units' risk scores (docs/formats.md "Sample"), for human-only's phase-2 floor; null where a unit has none
    List<Map<String, Double>> scores = new ArrayList<>();
    DesignSample phase1 = DesignSample.read(sample, manifest, line -> {
      Map<String, Double> s = line.scores(sampleName);
      scores.add(s.isEmpty() ? null : s);
    });
    String labelSource = labels.toString();
    Map<String, LabelFile.Label[]> byPolicy = new TreeMap<>();
    PolicyDecisions known = PolicyDecisions.of(decisions);
    LabelFile.forEach(labels, l -> {
      OptionalInt i = phase1.indexOf(l.unit());
      if (i.isEmpty()) {
        throw new InputException(Problem.at(labelSource, l.line(), "unit",
            "unit \"" + l.unit() + "\" is not in the sample " + sampleName));
      }
      if (l.ok()) {
        known.check(labelSource, l.line(), l.policy(), l.decision(), l.positive(), true);
        byPolicy.computeIfAbsent(l.policy(), k -> new LabelFile.Label[phase1.size()])[i.getAsInt()] = l;
      }
    });
    String goldSource = gold.toString();
    Map<String, List<GoldFile.Gold>> goldByPolicy = new TreeMap<>();
    GoldFile.forEach(gold, g -> {
      OptionalInt i = phase1.indexOf(g.unit());
      if (i.isEmpty()) {
        throw new InputException(Problem.at(goldSource, g.line(), "unit",
            "unit \"" + g.unit() + "\" is not in the sample " + sampleName));
      }
      LabelFile.Label[] row = byPolicy.get(g.policy());
      if (row == null) {
        throw new InputException(Problem.at(goldSource, g.line(), "policy",
            "policy " + g.policy() + " has no ok labels in " + labelSource));
      }
      if (row[i.getAsInt()] == null) {
        throw new InputException(Problem.at(goldSource, g.line(), "unit",
            "unit \"" + g.unit() + "\" has no ok label for policy " + g.policy() + " in " + labelSource));
      }
      known.check(goldSource, g.line(), g.policy(), g.decision(), g.positive(), false);
      goldByPolicy.computeIfAbsent(g.policy(), k -> new ArrayList<>()).add(g);
    });
    ExpertGold experts = expert == null ? null : ExpertGold.read(expert, gold, goldByPolicy, known);
    Map<String, PolicyData> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<GoldFile.Gold>> e : goldByPolicy.entrySet()) {
      String policy = e.getKey();
      LabelFile.Label[] row = byPolicy.get(policy);
      int missing = 0;
      String firstMissing = null;
      double[] llm = new double[phase1.size()];
      double[] prob = new double[phase1.size()];
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          missing++;
          if (firstMissing == null) {
            firstMissing = phase1.units().get(i).id();
          }
        } else {
          llm[i] = row[i].positive() ? 1 : 0;
          // the LLM's probability of a positive from its confidence in its call; the call without one
          double c = row[i].confidence();
          prob[i] = Double.isNaN(c) ? llm[i] : row[i].positive() ? c : 1 - c;
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
      for (GoldFile.Gold g : e.getValue()) {
        Double pi = stratumPi.putIfAbsent(g.stratum(), g.pi());
        if (pi != null && !g.stratum().equals(TwoPhaseSample.ACTIVE) && Math.abs(pi - g.pi()) > 1e-9 * pi) {
          throw new InputException(Problem.at(goldSource, g.line(), "phase2.pi", "phase-2 stratum \"" + g.stratum()
              + "\" has pi " + pi + " elsewhere; within a stratum the review sample is a simple random sample"));
        }
        if (stratumPi.size() > 1 && stratumPi.containsKey(TwoPhaseSample.ACTIVE)) {
          throw new InputException(Problem.at(goldSource, g.line(), "phase2.stratum", "policy " + policy
              + " mixes the " + TwoPhaseSample.ACTIVE + " (confidence-driven) review stratum with "
              + stratumPi.keySet().stream().filter(k -> !k.equals(TwoPhaseSample.ACTIVE)).findFirst().orElseThrow()
              + "; a review is either confidence-driven or stratified"));
        }
        int i = phase1.indexOf(g.unit()).getAsInt();
        LabelFile.Label l = row[i];
        GoldProbability first = e.getValue().get(0).probability();
        if (g.probability().count() != first.count()) {
          throw new InputException(Problem.at(goldSource, g.line(), "p_replicates", g.probability().count()
              + " replicates, but the first gold record of policy " + policy + " has " + first.count()));
        }
        goldUnits.add(new GoldUnit(g.unit(), g.positive(), g.stratum(), g.pi(), g.probability().value(),
            g.probability().valueReplicates(), g.probability().variance()));
        double weight = phase1.exposure(i) * phase1.designWeight(i) / g.pi();
        judgements.add(new Judgement(g.unit(), phase1.units().get(i).inclusion().stratum(),
            weight > 0 ? weight : Double.MIN_NORMAL, l.decision(), l.positive(), l.category(), l.confidence(),
            g.decision(), g.positive(), g.category()));
      }
      if (experts != null) {
        goldUnits = experts.apply(policy, goldUnits, u -> {
          int i = phase1.indexOf(u).getAsInt();
          return phase1.exposure(i) * phase1.designWeight(i);
        });
      }
      String id = PolicyKey.idOf(policy);
      double[] score = new double[phase1.size()];
      for (int i = 0; i < score.length; i++) {
        Double v = scores.get(i) == null ? null : scores.get(i).get(id);
        score[i] = v == null ? Double.NaN : v;
      }
      out.put(policy, new PolicyData(policy, TwoPhaseSample.of(phase1, llm, prob, goldUnits, score), judgements,
          known.decisions(policy)));
    }
    return out;
  }
}
