package dev.plumb.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import dev.plumb.history.RunRecord.DecisionQuality;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import dev.plumb.history.RunRecord.Provenance;
import dev.plumb.history.RunRecord.Signoff;
import dev.plumb.history.RunRecord.Sizes;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a calibration report ({@code report.json}, format {@code plumb.report/1}, docs/report.md)
 * into the run of one period (docs/history.md gives the mapping).
 *
 * <p>The period is, in order: the one given; the single value of a {@code day} domain when the
 * report was calibrated {@code --by day}; else the UTC day the report was created.
 */
public final class ReportIngest {
  static final String FORMAT = "plumb.report/1";

  private ReportIngest() {}

  /**
   * @param period the period measured, or null to infer it
   * @throws InputException naming the file and field when the report is not a plumb.report/1 file
   */
  public static RunRecord read(Path report, String series, Period period) {
    return fromJson(Json.read(report, "not JSON"), report.toString(), series, period);
  }

  /**
   * The same from a report already in memory (the report.json content a calibration just wrote),
   * so the writer need not read its own file back.
   *
   * @param source the report.json the content was written to, recorded as the run's provenance
   */
  public static RunRecord of(JsonNode root, Path source, String series, Period period) {
    return fromJson(root, source.toString(), series, period);
  }

  static RunRecord fromJson(JsonNode root, String source, String series, Period period) {
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new InputException(Problem.at(source, 0, "format", "expected \"" + FORMAT + "\" (a report.json from plumb calibrate), got "
          + (root.has("format") ? "\"" + root.path("format").asText() + "\"" : "none")));
    }
    Instant created;
    try {
      created = Instant.parse(root.path("created").asText());
    } catch (DateTimeParseException e) {
      throw new InputException(Problem.at(source, 0, "created", "not an ISO-8601 instant: \"" + root.path("created").asText() + "\""));
    }
    JsonNode policies = root.path("policies");
    if (!policies.isArray() || policies.isEmpty()) {
      throw new InputException(Problem.at(source, 0, "policies", "no calibrated policy in the report"));
    }
    Period p = period != null ? period : inferPeriod(policies, created);
    JsonNode prov = root.path("provenance");
    Provenance provenance = new Provenance(
        join(prov.path("labels").path("prompts")), join(prov.path("labels").path("models")),
        prov.path("inputs").path("manifest").path("sha256").asText(""), root.path("plumb").asText(""), source);
    int samplePlan = prov.path("sample").path("n").asInt(0);
    List<PolicyResult> results = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      results.add(policy(policies.get(i), "policies[" + i + "]", source, samplePlan));
    }
    return new RunRecord(series, p, Instant.now(), provenance, results);
  }

  private static PolicyResult policy(JsonNode n, String path, String source, int samplePlan) {
    String key = text(n, "policy", path, source);
    String id = n.path("id").asText(PolicyKey.idOf(key));
    String recommended = text(n.path("headline"), "estimator", path + ".headline", source);
    List<String> reasons = new ArrayList<>();
    for (JsonNode c : n.path("signoff").path("checks")) {
      if (!"PASS".equals(c.path("verdict").asText())) {
        reasons.add(c.path("message").asText(c.path("rule").asText()));
      }
    }
    Signoff signoff = new Signoff(n.path("verdict").asText("NONE"), reasons);
    JsonNode q = n.path("quality").path("weighted").path("overall");
    DecisionQuality quality = new DecisionQuality(
        num(q.path("sensitivity").path("estimate")), num(q.path("sensitivity").path("interval").path("lower")),
        num(q.path("sensitivity").path("interval").path("upper")),
        num(q.path("specificity").path("estimate")), num(q.path("specificity").path("interval").path("lower")),
        num(q.path("specificity").path("interval").path("upper")), num(q.path("kappa")));
    Sizes sizes = new Sizes(n.path("units").asInt(0), Math.max(0, samplePlan), n.path("gold_units").asInt(0), 0);
    List<EstimateRow> rows = new ArrayList<>();
    estimates(n.path("estimators"), EstimateRow.ALL, recommended, rows);
    for (JsonNode d : n.path("domains")) {
      String domain = RunRecord.domain(d.path("attribute").asText(), d.path("value").asText());
      String rec = d.path("headline").path("estimator").asText(recommended);
      estimates(d.path("estimators"), domain, rec, rows);
    }
    JsonNode reuse = n.path("gold_reuse");
    List<String> under = new ArrayList<>();
    reuse.path("reviewed_under").forEach(v -> under.add(v.path("version").asText()));
    RunRecord.GoldReuse goldReuse = reuse.path("reused").asInt(0) > 0
        ? new RunRecord.GoldReuse(String.join(",", under), reuse.path("reused").asInt()) : RunRecord.GoldReuse.NONE;
    return new PolicyResult(id, key, recommended, signoff, quality, sizes, rows, goldReuse);
  }

  private static void estimates(JsonNode list, String domain, String recommended, List<EstimateRow> rows) {
    for (JsonNode e : list) {
      String estimator = e.path("estimator").asText();
      String kind = switch (e.path("kind").asText()) {
        case "estimate" -> "estimate";
        case "upper_bound" -> "upper-bound";
        default -> "not-estimable";
      };
      JsonNode i = e.path("interval");
      String note = e.has("reason") ? e.path("reason").asText() : e.path("note").asText("");
      rows.add(new EstimateRow(estimator, domain, kind, num(e.path("estimate")), num(e.path("se")), num(i.path("lower")),
          num(i.path("upper")), num(i.path("confidence")), i.path("method").asText(""),
          e.has("recommended") ? e.path("recommended").asBoolean() : estimator.equals(recommended), note));
    }
  }

  /** The single {@code day} domain value when present in every policy, else the creation day. */
  private static Period inferPeriod(JsonNode policies, Instant created) {
    Set<String> days = new LinkedHashSet<>();
    for (JsonNode p : policies) {
      for (JsonNode d : p.path("domains")) {
        if (d.path("attribute").asText().equals("day")) {
          days.add(d.path("value").asText());
        }
      }
    }
    if (days.size() == 1) {
      try {
        return Period.day(LocalDate.parse(days.iterator().next()));
      } catch (DateTimeParseException e) {
        // not a date: fall back to the creation day
      }
    }
    return Period.day(LocalDate.ofInstant(created, ZoneOffset.UTC));
  }

  private static String text(JsonNode n, String field, String path, String source) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new InputException(Problem.at(source, 0, path + "." + field, "missing"));
    }
    return v.asText();
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return String.join(",", out);
  }
}
