package dev.plumb.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's closing lines, from {@code report.json}: per policy, the headline corrected prevalence,
 * its interval, the estimator, the sign-off verdict and, on synthetic data, the true prevalence and
 * whether the interval covers it.
 */
public final class Headline {
  record Row(String policy, String kind, double estimate, double low, double high, String estimator, String verdict,
      Double truth, Double llmOnly) {}

  private final List<Row> rows;
  private final String verdict;
  /** The intervals' confidence level (a sequential review's stopping round reports at its own, e.g. 0.98125). */
  private final double level;

  private Headline(List<Row> rows, String verdict, double level) {
    this.rows = rows;
    this.verdict = verdict;
    this.level = level;
  }

  /** Reads the headline of {@code report.json}; empty when the file cannot be read. */
  public static Headline read(Path report) {
    List<Row> rows = new ArrayList<>();
    String verdict = "";
    double level = 0.95;
    try {
      JsonNode r = Json.mapper().readTree(Files.readString(report));
      verdict = r.path("verdict").asText("");
      level = r.path("settings").path("confidence").asDouble(level);
      for (JsonNode p : r.path("policies")) {
        JsonNode h = p.path("headline");
        Double llm = null;
        for (JsonNode e : p.path("estimators")) {
          if (e.path("estimator").asText().startsWith("llm") && e.has("estimate")) {
            llm = e.path("estimate").asDouble();
          }
        }
        rows.add(new Row(p.path("policy").asText(), h.path("kind").asText(), num(h.path("estimate")),
            num(h.path("interval").path("lower")), num(h.path("interval").path("upper")), h.path("estimator").asText(),
            p.path("verdict").asText(""), p.hasNonNull("truth") ? p.path("truth").asDouble() : null, llm));
      }
    } catch (IOException | RuntimeException e) {
      // the report is there; the summary only lacks its numbers
    }
    return new Headline(rows, verdict, level);
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  public boolean anyFail() {
    return rows.stream().anyMatch(r -> r.verdict().equalsIgnoreCase("FAIL"));
  }

  /** The table: policy, corrected prevalence, interval, estimator, LLM-only, verdict, truth. */
  public void print(PrintWriter out) {
    if (rows.isEmpty()) {
      return;
    }
    boolean truth = rows.stream().anyMatch(r -> r.truth() != null);
    int w = Math.max(6, rows.stream().mapToInt(r -> r.policy().length()).max().orElse(6));
    int ew = Math.max(9, rows.stream().mapToInt(r -> r.estimator().length()).max().orElse(9));
    // two decimals, as calibrate --round-queue states a look's level (97.22%, not 97.2222222222%)
    String interval = Numbers.plain(Math.round(level * 10000) / 100.0) + "% interval";
    out.printf(Locale.ROOT, "%-" + w + "s  %-9s %-20s %-" + ew + "s %9s  %-7s%s%n", "policy", "corrected", interval,
        "estimator", "llm-only", "verdict", truth ? "  truth     covered" : "");
    for (Row r : rows) {
      String est = r.kind().equals("upper_bound") ? "<= " + pct(r.high()) : pct(r.estimate());
      String ci = r.kind().equals("not_estimable") ? "-" : "[" + pct(r.low()) + ", " + pct(r.high()) + "]";
      String cov = r.truth() == null ? "" : String.format(Locale.ROOT, "  %-9s %s", pct(r.truth()),
          Double.isNaN(r.low()) ? "-" : r.truth() >= r.low() && r.truth() <= r.high() ? "yes" : "NO");
      out.printf(Locale.ROOT, "%-" + w + "s  %-9s %-20s %-" + ew + "s %9s  %-7s%s%n", r.policy(), est, ci, r.estimator(),
          r.llmOnly() == null ? "-" : pct(r.llmOnly()), r.verdict(), cov);
    }
    if (!verdict.isEmpty()) {
      out.println("sign-off: " + verdict);
    }
  }

  /** Three decimals; not estimable (NaN) is "-", as in every cli table. */
  static String pct(double x) {
    return Numbers.percentFixed(x, 3, "-");
  }
}
