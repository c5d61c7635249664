package dev.plumb.calibration.queue;

import static dev.plumb.calibration.queue.QueueImport.num;
import static dev.plumb.calibration.queue.QueueImport.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.gold.RaterError;
import dev.plumb.calibration.gold.RaterErrorFit;
import dev.plumb.calibration.gold.RaterErrorModel;
import dev.plumb.calibration.gold.ReviewItem;
import dev.plumb.calibration.review.UnitConsensus;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --consensus error-model}: the rater-error model of one policy fitted on a queue's answers
 * (honeypots clamped, a prior per review stratum logistic in the unit's log design weight), its
 * consensus, and what it adds to gold.jsonl and gold.raters.json (docs/review.md, "Gold error").
 */
final class ErrorModelConsensus {
  private ErrorModelConsensus() {}

  /**
   * Each sampled unit's phase-1 contribution weight m·d1 (the weight the corrected estimators give it
   * within a review stratum), read from the sample the queue was drawn from: queue.json's
   * {@code sample.path} and the sample manifest beside it.
   *
   * @param byUnit unit → m·d1; empty when not available
   * @param missing why not ({@code null} when available)
   */
  record Weights(Map<String, Double> byUnit, String missing) {
    static Weights read(Path queueDir) {
      JsonNode sample = Located.json(queueDir.resolve(Queue.MANIFEST)).root().path("sample");
      String text = sample.path("path").asText("");
      if (text.isEmpty()) {
        return new Weights(Map.of(), "queue.json names no sample");
      }
      Path path = Path.of(text);
      if (!path.isAbsolute() && !Files.exists(path)) {
        path = queueDir.resolve(text);
      }
      String name = path.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
      Path manifest = path.resolveSibling(name + ".json");
      if (!Files.isRegularFile(path) || !Files.isRegularFile(manifest)) {
        return new Weights(Map.of(), "the sample " + path + " or its manifest " + manifest + " is not there");
      }
      if (sample.has("sha256") && !sample.path("sha256").asText().equals(Hashing.sha256(path))) {
        return new Weights(Map.of(), "the sample " + path + " changed since the queue was drawn");
      }
      DesignSample d = DesignSample.read(path, manifest);
      Map<String, Double> out = new HashMap<>();
      for (int i = 0; i < d.size(); i++) {
        out.put(d.units().get(i).id(), d.exposure(i) * d.designWeight(i));
      }
      return new Weights(out, null);
    }
  }

  /**
   * The weight of a reviewed unit in the error model's prior: its phase-1 weight m·d1, divided by its
   * π2 in a confidence-driven ({@code active}) review; {@code null} when m·d1 is unknown. A stratified
   * review's π2 is constant within a stratum, where the prior's covariate (log weight less the stratum's
   * mean) cancels it; an active review has one stratum whose estimator weights m·d1/π2 vary with π2 and
   * whose low-π2 units are the confidently clean ones, so the prior must see π2 or those units keep
   * the stratum's oversampled prevalence where their weights are largest (+78% at 0.3% with 5% rater
   * flips, ReviewDesignSimulation; docs/calibration.md, "Noisy raters, miscalibrated LLMs").
   */
  static Double priorWeight(Queue.Item item, Double phase1Weight) {
    if (phase1Weight == null || !TwoPhaseSample.ACTIVE.equals(item.stratum())) {
      return phase1Weight;
    }
    return phase1Weight / item.pi();
  }

  /**
   * Fits the model on the counted answers of one policy. Without the units' weights the prior is
   * constant within each review stratum, and a warning says why.
   *
   * @throws InputException when the answers cannot identify the raters' errors
   */
  static RaterErrorFit fit(Queue q, Weights weights, ReviewPolicy p, List<QueueAnswer> counted, String source) {
    Map<String, Map<String, Boolean>> answers = new LinkedHashMap<>();
    Map<String, Queue.Item> items = new HashMap<>();
    for (QueueAnswer a : counted) {
      if (a.policy() == p) {
        answers.computeIfAbsent(a.item().item(), k -> new TreeMap<>()).put(a.rater(), p.decisions().get(a.decision()));
        items.put(a.item().item(), a.item());
      }
    }
    List<ReviewItem> list = new ArrayList<>();
    for (Queue.Item item : q.items()) {
      Map<String, Boolean> own = answers.get(item.item());
      if (own == null) {
        continue;
      }
      Boolean known = null;
      if (item.honeypot()) {
        Queue.Known k = item.known().get(p.key());
        known = k == null ? null : p.decisions().get(k.decision());
        if (known == null) {
          continue;
        }
      }
      Double w = item.honeypot() ? null : priorWeight(item, weights.byUnit().get(item.unit()));
      list.add(new ReviewItem(item.item(), item.honeypot() ? "" : item.stratum(), known, own,
          w != null && w > 0 && w < Double.POSITIVE_INFINITY ? w : 1));
      if (!item.honeypot() && w == null && weights.missing() == null) {
        weights = new Weights(Map.of(), "unit " + item.unit() + " of item " + item.item() + " is not in the sample");
      }
    }
    if (weights.missing() != null) {
      // all or nothing: a prior fitted on weights for some units and 1 for others would be neither
      list.replaceAll(it -> new ReviewItem(it.item(), it.stratum(), it.known(), it.answers()));
    }
    // a seed of its own per policy, from the queue's: the same queue and answers give the same file
    long seed = q.seed() * 0x9E3779B97F4A7C15L + p.key().hashCode();
    try {
      RaterErrorFit fit = RaterErrorModel.fit(list, RaterErrorModel.Options.defaults().withSeed(seed));
      if (weights.missing() == null) {
        return fit;
      }
      List<String> warnings = new ArrayList<>(fit.warnings());
      warnings.add("the error model's prior weighs every reviewed unit of a stratum alike because " + weights.missing()
          + "; where violations are rarer than the raters' errors its estimate runs high (docs/calibration.md, "
          + "\"Gold error\")");
      return new RaterErrorFit(fit.raters(), fit.panel(), fit.priors(), fit.posterior(), fit.replicates(), fit.gold(),
          fit.goldReplicates(), fit.goldVariance(), fit.honeypots(), fit.overlapped(), warnings, fit.converged());
    } catch (IllegalArgumentException e) {
      throw new InputException(Problem.of(source + ": policy " + p.key() + ": " + e.getMessage()));
    }
  }

  /**
   * One consensus per answered item: positive when P(violating) ≥ 0.5 (exactly 0.5 is a tie), the
   * decision the most raters chose among the decisions of that polarity (the policy's first such
   * decision when nobody chose one), and its probability the posterior of that polarity.
   */
  static List<UnitConsensus> consensus(ReviewPolicy p, RaterErrorFit fit, List<QueueAnswer> counted) {
    Map<String, Map<String, Integer>> votes = new LinkedHashMap<>();
    for (QueueAnswer a : counted) {
      if (a.policy() == p && !a.item().honeypot()) {
        votes.computeIfAbsent(a.item().item(), k -> new TreeMap<>()).merge(a.decision(), 1, Integer::sum);
      }
    }
    List<UnitConsensus> out = new ArrayList<>();
    votes.forEach((item, v) -> {
      int raters = v.values().stream().mapToInt(Integer::intValue).sum();
      double q = fit.posterior().get(item);
      if (q == 0.5) {
        out.add(new UnitConsensus.Tied(item, List.copyOf(v.keySet()), raters, v));
        return;
      }
      boolean positive = q > 0.5;
      String best = null;
      int top = -1;
      for (Map.Entry<String, Boolean> d : p.decisions().entrySet()) {
        int n = v.getOrDefault(d.getKey(), 0);
        if (d.getValue() == positive && n > top) {
          best = d.getKey();
          top = n;
        }
      }
      out.add(new UnitConsensus.Decided(item, best, raters, v, top / (double) raters, positive ? q : 1 - q));
    });
    return out;
  }

  /**
   * Adds {@code p_positive} and {@code p_replicates} (the posterior) and {@code y_unbiased} and
   * {@code y_replicates} (the unbiased gold the estimators use) and {@code y_variance} (the answers' noise
   * in it) to a gold record.
   */
  static void annotate(ObjectNode gold, String item, RaterErrorFit fit) {
    gold.put("p_positive", round(fit.posterior().get(item)));
    ArrayNode reps = gold.putArray("p_replicates");
    for (double v : fit.replicates().get(item)) {
      reps.add(round(v));
    }
    gold.put("y_unbiased", round(fit.gold().get(item)));
    ArrayNode golds = gold.putArray("y_replicates");
    for (double v : fit.goldReplicates().get(item)) {
      golds.add(round(v));
    }
    gold.put("y_variance", round(fit.goldVariance().get(item)));
  }

  /** The policy's entry of gold.raters.json's {@code error_model}. */
  static ObjectNode json(RaterErrorFit fit) {
    ObjectNode o = Json.object();
    o.put("method", "dawid-skene-anchored");
    o.put("honeypots", fit.honeypots());
    o.put("overlapped", fit.overlapped());
    o.put("replicates", fit.replicates().isEmpty() ? 0 : fit.replicates().values().iterator().next().length);
    o.put("converged", fit.converged());
    o.set("panel", rates(fit.panel()));
    ObjectNode priors = o.putObject("priors");
    fit.priors().forEach((s, v) -> priors.put(s, round(v)));
    ArrayNode raters = o.putArray("raters");
    fit.raters().forEach(r -> raters.add(rates(r)));
    ArrayNode warnings = o.putArray("warnings");
    fit.warnings().forEach(warnings::add);
    return o;
  }

  private static ObjectNode rates(RaterError r) {
    ObjectNode o = Json.object();
    o.put("rater", r.rater());
    o.put("answers", r.answers());
    num(o, "positives", r.positives());
    num(o, "sensitivity", r.sensitivity());
    ObjectNode si = o.putObject("sensitivity_interval");
    num(si, "lower", r.sensitivityInterval().lower());
    num(si, "upper", r.sensitivityInterval().upper());
    num(o, "specificity", r.specificity());
    ObjectNode pi = o.putObject("specificity_interval");
    num(pi, "lower", r.specificityInterval().lower());
    num(pi, "upper", r.specificityInterval().upper());
    return o;
  }
}
