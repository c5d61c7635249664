package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.agreement.AgreementSummary;
import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.agreement.RaterPair;
import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.CorrectedPrevalence;
import dev.plumb.calibration.quality.BinaryQuality;
import dev.plumb.calibration.quality.ConfusionMatrix;
import dev.plumb.calibration.quality.DecisionAgreement;
import dev.plumb.calibration.quality.Quality;
import dev.plumb.calibration.quality.Rate;
import dev.plumb.calibration.quality.ReliabilityTable;
import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.Json;

/**
 * {@code report.json} (format {@value CalibrationReport#FORMAT}; schema in docs/report.md). Numbers
 * are written as computed, never rounded; a number that does not exist (NaN) is {@code null}.
 */
public final class ReportJson {
  private ReportJson() {}

  /** The report as a JSON tree. */
  public static ObjectNode of(CalibrationReport r) {
    ObjectNode o = Json.object();
    o.put("format", CalibrationReport.FORMAT);
    o.put("created", r.created().toString());
    o.put("plumb", r.plumbVersion());
    o.put("verdict", r.verdict().name());
    ObjectNode settings = o.putObject("settings");
    settings.put("confidence", r.options().level());
    settings.put("interval", r.options().designInterval());
    settings.put("human_only_interval", r.options().humanOnlyInterval());
    settings.put("prefer_ppi_plus_plus", r.options().preferPpiPlusPlus());
    settings.put("min_gold_positives_for_ppi_plus_plus", r.options().minGoldPositives());
    settings.put("reliability_bins", CalibrationReport.RELIABILITY_BINS);
    settings.put("rater_accuracy_bar", CalibrationReport.RATER_ACCURACY_BAR);
    ObjectNode rules = settings.putObject("signoff");
    r.rules().asMap().forEach((k, t) -> {
      if (t == null) {
        rules.putNull(k);
      } else {
        rules.putObject(k).put("warn", t.warn()).put("fail", t.fail());
      }
    });
    ArrayNode policies = o.putArray("policies");
    for (CalibrationReport.PolicyReport p : r.policies()) {
      policies.add(policy(p));
    }
    ArrayNode honeypots = o.putArray("honeypots");
    for (HoneypotScore h : r.raterFiles().honeypots()) {
      honeypots.add(score(h));
    }
    ArrayNode notes = o.putArray("notes");
    r.notes().forEach(notes::add);
    o.set("provenance", r.provenance());
    return o;
  }

  private static ObjectNode policy(CalibrationReport.PolicyReport p) {
    ObjectNode o = Json.object();
    o.put("policy", p.policy());
    o.put("id", p.policyId());
    o.put("verdict", p.signOff().verdict().name());
    o.put("units", p.units());
    o.put("gold_units", p.goldUnits());
    o.put("gold_positives", p.goldPositives());
    ArrayNode strata = o.putArray("phase2_strata");
    p.phase2Strata().forEach(strata::add);
    Json.putFinite(o, "truth", p.truth());
    o.set("headline", headline(p.corrected(), p.truth()));
    o.set("estimators", estimators(p.corrected(), p.truth()));
    ObjectNode signoff = o.putObject("signoff");
    signoff.put("verdict", p.signOff().verdict().name());
    ArrayNode checks = signoff.putArray("checks");
    for (SignOff.Check c : p.signOff().checks()) {
      ObjectNode k = checks.addObject();
      k.put("rule", c.rule());
      k.put("verdict", c.verdict().name());
      Json.putFinite(k, "value", c.value());
      k.put("warn", c.threshold().warn());
      k.put("fail", c.threshold().fail());
      k.put("message", c.message());
    }
    ObjectNode quality = o.putObject("quality");
    quality.set("weighted", quality(p.quality().weighted()));
    quality.set("unweighted", quality(p.quality().unweighted()));
    ArrayNode domains = o.putArray("domains");
    for (CalibrationReport.DomainReport d : p.domains()) {
      ObjectNode x = domains.addObject();
      x.put("attribute", d.attribute());
      x.put("value", d.value());
      x.put("units", d.units());
      x.put("gold_units", d.goldUnits());
      x.put("gold_positives", d.goldPositives());
      x.set("headline", headline(d.corrected(), Double.NaN));
      x.set("estimators", estimators(d.corrected(), Double.NaN));
    }
    ObjectNode gold = o.putObject("gold");
    ObjectNode methods = gold.putObject("methods");
    p.gold().methods().forEach(methods::put);
    gold.put("with_raters", p.gold().withRaters());
    Json.putFinite(gold, "mean_raters", p.gold().meanRaters());
    gold.put("with_agreement", p.gold().withAgreement());
    Json.putFinite(gold, "mean_agreement", p.gold().meanAgreement());
    gold.put("unanimous", p.gold().unanimous());
    if (p.raters() == null) {
      o.putNull("raters");
    } else {
      o.set("raters", raters(p.raters()));
    }
    if (p.goldQuality() != null) {
      o.set("gold_quality", p.goldQuality().json());
    }
    if (p.goldReuse() != null) {
      o.set("gold_reuse", p.goldReuse().json());
    }
    if (p.labelScores() == null) {
      o.putNull("label_scores");
    } else {
      o.set("label_scores", ScoreSection.json(p.labelScores()));
    }
    return o;
  }

  private static ObjectNode headline(CorrectedPrevalence c, double truth) {
    ObjectNode h = corrected(c.headline(), truth);
    h.put("reason", c.recommendation().reason());
    return h;
  }

  private static ArrayNode estimators(CorrectedPrevalence c, double truth) {
    ArrayNode a = Json.array();
    for (Corrected e : c.estimates()) {
      ObjectNode x = corrected(e, truth);
      x.put("recommended", e.estimator() == c.recommendation().estimator());
      a.add(x);
    }
    return a;
  }

  /** One estimator's answer: kind estimate | upper_bound | not_estimable. */
  static ObjectNode corrected(Corrected c, double truth) {
    ObjectNode o = Json.object();
    o.put("estimator", c.estimator().label());
    if (c instanceof Corrected.Estimated e) {
        o.put("kind", "estimate");
        Json.putFinite(o, "estimate", e.estimate());
        Json.putFinite(o, "se", e.se());
        o.set("interval", interval(e.interval()));
        Json.putFinite(o, "effective_n", e.effectiveN());
        ObjectNode d = o.putObject("details");
        e.details().forEach((k, v) -> Json.putFinite(d, k, v));
        o.put("note", e.note());
        if (!Double.isNaN(truth)) {
          o.put("covers_truth", e.interval().contains(truth));
        }
    } else if (c instanceof Corrected.UpperBound b) {
        o.put("kind", "upper_bound");
        Json.putFinite(o, "estimate", b.estimate());
        o.set("interval", interval(b.bound()));
        o.put("reason", b.reason());
        if (!Double.isNaN(truth)) {
          o.put("covers_truth", b.bound().contains(truth));
        }
    } else if (c instanceof Corrected.NotEstimable n) {
        o.put("kind", "not_estimable");
        o.put("reason", n.reason());
    }
    return o;
  }

  static ObjectNode interval(Interval i) {
    ObjectNode o = Json.object();
    if (i == null) {
      return o;
    }
    Json.putFinite(o, "lower", i.lower());
    Json.putFinite(o, "upper", i.upper());
    o.put("confidence", i.confidence());
    o.put("method", i.method());
    o.put("one_sided", i.oneSided());
    return o;
  }

  private static ObjectNode quality(Quality q) {
    ObjectNode o = Json.object();
    o.set("overall", binary(q.overall()));
    ObjectNode cats = o.putObject("by_category");
    q.byCategory().forEach((k, v) -> cats.set(k, binary(v)));
    ObjectNode strata = o.putObject("by_stratum");
    q.byStratum().forEach((k, v) -> strata.set(k, binary(v)));
    o.set("confusion", confusion(q.decisions()));
    o.set("reliability", reliability(q.reliability()));
    o.set("agreement", agreement(q.agreement()));
    return o;
  }

  private static ObjectNode agreement(DecisionAgreement a) {
    ObjectNode o = Json.object();
    o.set("exact", rate(a.exact()));
    Json.putFinite(o, "kappa", a.kappa());
    ArrayNode per = o.putArray("decisions");
    for (DecisionAgreement.PerDecision d : a.decisions()) {
      ObjectNode x = per.addObject();
      x.put("decision", d.decision());
      x.put("positive", d.positive());
      Json.putFinite(x, "gold", d.gold());
      Json.putFinite(x, "llm", d.llm());
      x.set("recall", rate(d.recall()));
      x.set("precision", rate(d.precision()));
    }
    return o;
  }

  static ObjectNode binary(BinaryQuality b) {
    ObjectNode o = Json.object();
    o.put("units", b.units());
    Json.putFinite(o, "true_positive", b.truePositive());
    Json.putFinite(o, "false_positive", b.falsePositive());
    Json.putFinite(o, "false_negative", b.falseNegative());
    Json.putFinite(o, "true_negative", b.trueNegative());
    o.set("sensitivity", rate(b.sensitivity()));
    o.set("specificity", rate(b.specificity()));
    o.set("precision", rate(b.precision()));
    o.set("npv", rate(b.npv()));
    o.set("accuracy", rate(b.accuracy()));
    Json.putFinite(o, "f1", b.f1());
    if (b.f1Interval() == null) {
      o.putNull("f1_interval");
    } else {
      o.set("f1_interval", interval(b.f1Interval()));
    }
    Json.putFinite(o, "kappa", b.kappa());
    Json.putFinite(o, "ac1", b.ac1());
    return o;
  }

  static ObjectNode rate(Rate r) {
    ObjectNode o = Json.object();
    Json.putFinite(o, "estimate", r.estimate());
    Json.putFinite(o, "successes", r.successes());
    Json.putFinite(o, "total", r.total());
    o.put("units", r.units());
    Json.putFinite(o, "effective_n", r.effectiveN());
    if (r.interval() == null) {
      o.putNull("interval");
    } else {
      o.set("interval", interval(r.interval()));
    }
    return o;
  }

  private static ObjectNode confusion(ConfusionMatrix m) {
    ObjectNode o = Json.object();
    ArrayNode d = o.putArray("decisions");
    m.decisions().forEach(d::add);
    ArrayNode positive = o.putArray("positive");
    m.positive().forEach(positive::add);
    o.put("rows", "gold");
    o.put("columns", "llm");
    ArrayNode counts = o.putArray("counts");
    for (int[] row : m.counts()) {
      ArrayNode a = counts.addArray();
      for (int c : row) {
        a.add(c);
      }
    }
    ArrayNode weighted = o.putArray("weighted");
    for (double[] row : m.weighted()) {
      ArrayNode a = weighted.addArray();
      for (double c : row) {
        a.add(c);
      }
    }
    return o;
  }

  static ObjectNode reliability(ReliabilityTable t) {
    ObjectNode o = Json.object();
    Json.putFinite(o, "ece", t.ece());
    o.put("without_confidence", t.withoutConfidence());
    if (t.recalibration() == null) {
      o.putNull("recalibrated");
    } else {
      // the isotonic map's steps: stated confidence → share correct against gold
      ArrayNode steps = o.putArray("recalibrated");
      double[] x = t.recalibration().scores();
      double[] v = t.recalibration().values();
      for (int i = 0; i < x.length; i++) {
        if (i == 0 || i == x.length - 1 || v[i] != v[i - 1] || v[i] != v[i + 1]) {
          steps.addObject().put("confidence", x[i]).put("correct", v[i]);
        }
      }
    }
    ArrayNode bins = o.putArray("bins");
    for (ReliabilityTable.Bin b : t.bins()) {
      ObjectNode x = bins.addObject();
      x.put("lower", b.lower());
      x.put("upper", b.upper());
      Json.putFinite(x, "mean_confidence", b.meanConfidence());
      x.set("observed", rate(b.observed()));
    }
    return o;
  }

  private static ObjectNode raters(CalibrationReport.RaterReport r) {
    ObjectNode o = Json.object();
    o.put("answers", r.answers());
    agreement(o.putObject("agreement"), r.agreement());
    ArrayNode excluded = o.putArray("excluded");
    r.excluded().forEach(excluded::add);
    if (r.agreementAll() != null) {
      agreement(o.putObject("agreement_all"), r.agreementAll());
    }
    ArrayNode acc = o.putArray("accuracy_vs_gold");
    for (HoneypotScore s : r.accuracy()) {
      acc.add(score(s));
    }
    return o;
  }

  private static void agreement(ObjectNode g, AgreementSummary a) {
    g.put("units", a.units());
    g.put("pairable", a.pairable());
    g.put("raters", a.raters());
    g.put("ratings", a.ratings());
    Json.putFinite(g, "percent", a.percent());
    Json.putFinite(g, "fleiss_kappa", a.fleissKappa());
    Json.putFinite(g, "krippendorff_alpha", a.krippendorffAlpha());
    Json.putFinite(g, "krippendorff_alpha_ordinal", a.krippendorffAlphaOrdinal());
    Json.putFinite(g, "gwet_ac1", a.gwetAc1());
    ArrayNode pairs = g.putArray("pairs");
    for (RaterPair p : a.pairs()) {
      ObjectNode x = pairs.addObject();
      x.put("a", p.a());
      x.put("b", p.b());
      Json.putFinite(x, "kappa", p.kappa().kappa());
      Json.putFinite(x, "se", p.kappa().se());
      if (p.kappa().interval() != null) {
        x.set("interval", interval(p.kappa().interval()));
      }
      Json.putFinite(x, "units", p.kappa().n());
    }
  }

  private static ObjectNode score(HoneypotScore s) {
    ObjectNode x = Json.object();
    x.put("rater", s.rater());
    x.put("correct", s.correct());
    x.put("answered", s.answered());
    Json.putFinite(x, "accuracy", s.accuracy());
    x.set("interval", interval(s.interval()));
    x.put("flagged", s.flagged());
    if (s.flagged()) {
      x.put("reason", s.reason());
    }
    return x;
  }
}
