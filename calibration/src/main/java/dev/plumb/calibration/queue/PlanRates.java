package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.calibration.review.LogisticPrior;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chance q[p][j] that sampled unit j violates policy p, which {@code plumb plan --review-budget} plans with
 * ({@link ReviewPlan}, {@link ActiveReviewPlan}), and where it came from: the unit's risk score read as a
 * probability, or a pilot review's violation rate per policy × LLM call (Jeffreys Beta(½, ½)), the risk scores
 * calibrated on the pilot ({@link #platt}) when the pilot's units are this sample's, else rescaled to that rate
 * within the call, when there are any (docs/review.md, "Allocating a review budget", "How good is the plan").
 *
 * @param q per policy, per sampled unit
 * @param source where q came from, with the notes on the pilot, for the plan's header
 */
record PlanRates(double[][] q, String source) {
  /** The Jeffreys prior's pseudo-counts: Beta(½, ½). */
  static final double JEFFREYS = 0.5;

  static PlanRates of(QueueExport.Request r, QueueExport.SampleIds sample, QueueExport.LlmLabels labels,
      List<String> policies) {
    int size = sample.ids().size();
    int k = policies.size();
    // pilot cells: [policy][llm call: 0 negative, 1 positive] → {positives, reviewed}
    Map<String, String> readFor = new LinkedHashMap<>();
    List<List<PilotUnit>> pilots = new ArrayList<>();
    for (int p = 0; p < k; p++) {
      pilots.add(new ArrayList<>());
    }
    double[][][] cells = r.pilot() == null ? null : pilotCells(r, labels, policies, readFor, pilots);
    double[][] q = new double[k][size];
    boolean anyScored = false;
    boolean anyPlatt = false;
    boolean anyRescaled = false;
    for (int p = 0; p < k; p++) {
      String policy = policies.get(p);
      String id = PolicyKey.idOf(policy);
      ReviewPolicy rp = labels.policies().stream().filter(x -> x.key().equals(policy)).findFirst().orElseThrow();
      QueueExport.LlmAnswer[] answers = labels.answers().get(policy);
      double[] score = new double[size];
      double[] scoreSum = new double[2];
      int[] count = new int[2];
      boolean scored = true;
      for (int j = 0; j < size; j++) {
        JsonNode sc = sample.scores() == null || sample.scores().get(j) == null ? null : sample.scores().get(j).get(id);
        if (sc == null || !sc.isNumber() || !(sc.asDouble() >= 0 && sc.asDouble() <= 1)) {
          if (cells == null) {
            throw new InputException(Problem.at(r.sample().toString(), sample.lines().get(j), "scores." + id,
                (sc == null ? "missing" : "not a score in [0, 1]: " + sc) + "; allocating a review budget needs every"
                + " sampled unit's risk score (plumb score) or a pilot review (--pilot gold.jsonl, or --pilot-history)"));
          }
          scored = false;
          continue;
        }
        score[j] = sc.asDouble();
        int c = rp.decisions().get(answers[j].decision()) ? 1 : 0;
        scoreSum[c] += score[j];
        count[c]++;
      }
      anyScored |= scored;
      double[][] platt = cells != null && scored ? platt(pilots.get(p), sample, id) : null;
      anyPlatt |= platt != null;
      anyRescaled |= cells != null && scored && platt == null;
      for (int j = 0; j < size; j++) {
        int c = rp.decisions().get(answers[j].decision()) ? 1 : 0;
        if (platt != null && cells[p][c][1] > 0) {
          q[p][j] = LogisticPrior.p(platt[0][c] + platt[0][2] * (ScoreMap.logit(score[j]) - platt[1][c]));
        } else if (cells == null || cells[p][c][1] == 0) {
          q[p][j] = scored ? score[j] : JEFFREYS / (2 * JEFFREYS);
        } else {
          double rate = (cells[p][c][0] + JEFFREYS) / (cells[p][c][1] + 2 * JEFFREYS);
          double mean = count[c] > 0 ? scoreSum[c] / count[c] : 0;
          q[p][j] = scored && mean > 0 ? Math.min(1, score[j] * rate / mean) : rate;
        }
      }
    }
    String source = r.pilot() == null ? "risk scores read as probabilities"
        : "pilot " + r.pilot() + " (Jeffreys Beta(1/2, 1/2) per policy x LLM call" + (anyPlatt
            ? ", risk scores calibrated on it by a logistic fit" + (anyRescaled ? ", or rescaled to it where its units are"
            + " not this sample's)" : ")") : anyScored ? ", risk scores rescaled to it)" : ")");
    List<String> notes = notes(readFor);
    return new PlanRates(q, notes.isEmpty() ? source : source + "; " + String.join("; ", notes));
  }

  /** A pilot gold record as the rates read it: the unit, the LLM's call on it (1 positive), its gold call. */
  record PilotUnit(String unit, int call, boolean positive) {}

  /**
   * The risk scores calibrated on the pilot (Platt 1999, "Probabilistic outputs for support vector machines"): logit
   * q = α_c + β (logit s − x̄_c) per LLM call c, one slope, fitted to the pilot's gold calls by
   * {@link LogisticPrior#fitWeighted} with pseudo-count ½ per class and call at x̄_c, the cell's mean logit score
   * over its pilot units, and the ridge β²/2 — with β = 0 the intercept is the Jeffreys rate (x_c + ½)/(n_c + 1), so a
   * cell whose pilot saw no violation keeps a rate above 0, as without the fit. Why not the rescaling q = s·rate/s̄:
   * a score that ranks rather than gives probabilities spreads the cell's violations over its clean low-score units,
   * which priority sampling weights most, and the plan over-stated the stratified half-width 2.95× at 0.5% prevalence
   * (PlanAccuracySimulation, 100 replicates; 2.04× now, the rest the Jeffreys rate of a small pilot's cleared cell). The logistic model holds conditional on the score, so a pilot drawn by score, weight or
   * LLM confidence (a stratified or active review) fits it without its π2. Only when every pilot unit of the policy
   * is a unit of this sample with a score in (0, 1) (a pilot from this sample); else null: the rescaling.
   *
   * @return {α_negative, α_positive, β} and {x̄_negative, x̄_positive}
   */
  private static double[][] platt(List<PilotUnit> pilot, QueueExport.SampleIds sample, String id) {
    if (pilot.isEmpty()) {
      return null;
    }
    int n = pilot.size();
    double[] x = new double[n];
    double[] t = new double[n];
    int[] cell = new int[n];
    double[] mean = new double[2];
    int[] count = new int[2];
    for (int i = 0; i < n; i++) {
      PilotUnit u = pilot.get(i);
      Integer j = sample.index().get(u.unit());
      JsonNode sc = j == null || sample.scores() == null || sample.scores().get(j) == null ? null
          : sample.scores().get(j).get(id);
      if (sc == null || !sc.isNumber() || !(sc.asDouble() > 0 && sc.asDouble() < 1)) {
        return null;
      }
      x[i] = ScoreMap.logit(sc.asDouble());
      t[i] = u.positive() ? 1 : 0;
      cell[i] = u.call();
      mean[u.call()] += x[i];
      count[u.call()]++;
    }
    for (int c = 0; c < 2; c++) {
      mean[c] = count[c] > 0 ? mean[c] / count[c] : 0;
    }
    for (int i = 0; i < n; i++) {
      x[i] -= mean[cell[i]];
    }
    double[] weight = new double[n];
    java.util.Arrays.fill(weight, 1);
    return new double[][] {LogisticPrior.fitWeighted(t, weight, x, cell, 2, JEFFREYS), mean};
  }

  /**
   * What to tell about a pilot whose gold is of another version of a labeled policy (read for it:
   * {@link #pilotCells}), e.g. {@code pilot gold of self_harm@1 used for self_harm@2: ...}; empty
   * when every gold key is a labeled one.
   *
   * @param policies the labeled policy keys
   */
  static List<String> pilotNotes(Path pilot, List<String> policies) {
    Map<String, String> readFor = new LinkedHashMap<>();
    GoldFile.forEach(pilot, g -> {
      int p = pilotPolicy(policies, g.policy());
      if (p >= 0 && !policies.get(p).equals(g.policy())) {
        readFor.put(g.policy(), policies.get(p));
      }
    });
    return notes(readFor);
  }

  private static List<String> notes(Map<String, String> readFor) {
    List<String> notes = new ArrayList<>();
    readFor.forEach((gold, key) -> notes.add("pilot gold of " + gold + " used for " + key
        + ": its violation rates are read per policy id and LLM call"));
    return notes;
  }

  /** The labeled policy a pilot gold record counts for: the same key, else the same policy id; -1 when none. */
  private static int pilotPolicy(List<String> policies, String goldKey) {
    int p = -1;
    for (int k = 0; k < policies.size(); k++) {
      String key = policies.get(k);
      if (key.equals(goldKey) || PolicyKey.idOf(key).equals(PolicyKey.idOf(goldKey))) {
        p = k;
      }
    }
    return p;
  }

  /**
   * The pilot's positives and reviewed units per policy × the LLM's call on them. A gold record of
   * another version of a labeled policy counts for it (the rates are per policy id: a new version
   * usually moves them less than the rates differ between LLM calls); {@code readFor} gets each such
   * gold key → the labeled key it was read for, so the caller can say so.
   */
  private static double[][][] pilotCells(QueueExport.Request r, QueueExport.LlmLabels labels, List<String> policies,
      Map<String, String> readFor, List<List<PilotUnit>> units) {
    Path pilotLabels = r.pilotLabels() != null ? r.pilotLabels() : r.labels();
    Map<String, Boolean> calls = new HashMap<>();
    LabelFile.forEach(pilotLabels, l -> {
      if (l.ok() && l.positive() != null) {
        calls.put(l.unit() + "\u0000" + l.policy(), l.positive());
      }
    });
    double[][][] cells = new double[policies.size()][2][2];
    String source = r.pilot().toString();
    GoldFile.forEach(r.pilot(), g -> {
      int p = pilotPolicy(policies, g.policy());
      if (p < 0) {
        return; // a policy this review does not label
      }
      if (!policies.get(p).equals(g.policy())) {
        readFor.put(g.policy(), policies.get(p));
      }
      Boolean call = calls.get(g.unit() + "\u0000" + g.policy());
      if (call == null) {
        throw new InputException(Problem.at(source, g.line(), "unit", "unit \"" + g.unit() + "\" has no ok label for "
            + g.policy() + " in " + pilotLabels + "; a pilot review is read by the LLM's call on each unit (pass the"
            + " pilot's own labels with --pilot-labels)"));
      }
      cells[p][call ? 1 : 0][0] += g.positive() ? 1 : 0;
      cells[p][call ? 1 : 0][1] += 1;
      units.get(p).add(new PilotUnit(g.unit(), call ? 1 : 0, g.positive()));
    });
    return cells;
  }
}
