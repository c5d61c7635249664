package dev.plumb.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.history.RunRecord.DecisionQuality;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;

/** A recorded run as JSON (format {@code plumb.history-run/1}, docs/history.md); unknown numbers are null. */
public final class RunJson {
  public static final String FORMAT = "plumb.history-run/1";

  private RunJson() {}

  public static ObjectNode toJson(RunRecord run) {
    ObjectNode o = Json.object();
    o.put("format", FORMAT);
    o.put("series", run.series());
    o.put("period", run.period().key());
    o.put("granularity", run.period().granularity().label());
    o.put("recorded_at", run.recordedAt().toString());
    ObjectNode prov = o.putObject("provenance");
    prov.put("prompt", run.provenance().promptFingerprint());
    prov.put("model", run.provenance().model());
    prov.put("sample_manifest", run.provenance().sampleManifest());
    prov.put("tool", run.provenance().tool());
    prov.put("source", run.provenance().source());
    ArrayNode policies = o.putArray("policies");
    for (PolicyResult r : run.policies()) {
      ObjectNode p = policies.addObject();
      p.put("policy", r.policy());
      p.put("version", r.version());
      p.put("recommended", r.recommended());
      ObjectNode s = p.putObject("signoff");
      s.put("verdict", r.signoff().verdict());
      r.signoff().reasons().forEach(s.putArray("reasons")::add);
      DecisionQuality q = r.quality();
      ObjectNode qn = p.putObject("quality");
      Json.putFinite(qn, "sensitivity", q.sensitivity());
      Json.putFinite(qn, "sensitivity_lower", q.sensitivityLower());
      Json.putFinite(qn, "sensitivity_upper", q.sensitivityUpper());
      Json.putFinite(qn, "specificity", q.specificity());
      Json.putFinite(qn, "specificity_lower", q.specificityLower());
      Json.putFinite(qn, "specificity_upper", q.specificityUpper());
      Json.putFinite(qn, "kappa", q.kappa());
      ObjectNode z = p.putObject("sizes");
      z.put("sample", r.sizes().sample());
      z.put("sample_plan", r.sizes().samplePlan());
      z.put("gold", r.sizes().gold());
      z.put("gold_reused", r.goldReuse().units());
      z.put("gold_reviewed_under", r.goldReuse().reviewedUnder());
      z.put("gold_plan", r.sizes().goldPlan());
      ArrayNode es = p.putArray("estimates");
      for (EstimateRow e : r.estimates()) {
        ObjectNode en = es.addObject();
        en.put("estimator", e.estimator());
        en.put("domain", e.domain());
        en.put("kind", e.kind());
        Json.putFinite(en, "estimate", e.estimate());
        Json.putFinite(en, "se", e.se());
        Json.putFinite(en, "lower", e.lower());
        Json.putFinite(en, "upper", e.upper());
        Json.putFinite(en, "confidence", e.confidence());
        en.put("method", e.method());
        en.put("recommended", e.recommended());
        if (!e.note().isEmpty()) {
          en.put("note", e.note());
        }
      }
    }
    return o;
  }
}
