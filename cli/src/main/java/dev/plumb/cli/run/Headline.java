package dev.plumb.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The run's closing lines: per policy, the corrected prevalence, its interval, the verdict, and the truth when known. */
public final class Headline {
  record Row(String policy, double estimate, double low, double high, String verdict, Double truth) {}

  private final List<Row> rows;

  private Headline(List<Row> rows) {
    this.rows = rows;
  }

  /** Reads the headline of {@code report.json}; {@code truth} ({@code truth.json}) may be null. */
  public static Headline read(Path report, Path truth) {
    List<Row> rows = new ArrayList<>();
    try {
      JsonNode r = Json.mapper().readTree(Files.readString(report));
      JsonNode t = truth != null && Files.isRegularFile(truth) ? Json.mapper().readTree(Files.readString(truth)) : null;
      for (JsonNode p : r.path("policies")) {
        String id = p.path("policy").asText();
        JsonNode h = p.path("headline");
        String bare = id.contains("@") ? id.substring(0, id.indexOf('@')) : id;
        JsonNode tp = t == null ? null : t.path("policies").path(bare).path("prevalence");
        rows.add(new Row(id, h.path("estimate").asDouble(Double.NaN), h.path("ci").path(0).asDouble(Double.NaN),
            h.path("ci").path(1).asDouble(Double.NaN), p.path("signoff").path("verdict").asText(""),
            tp == null || tp.isMissingNode() ? null : tp.asDouble()));
      }
    } catch (IOException | RuntimeException e) {
      // the report is there; the summary only lacks its numbers
    }
    return new Headline(rows);
  }

  public boolean anyFail() {
    return rows.stream().anyMatch(r -> r.verdict().equalsIgnoreCase("FAIL"));
  }

  public void print(PrintWriter out) {
    if (rows.isEmpty()) {
      return;
    }
    boolean truth = rows.stream().anyMatch(r -> r.truth() != null);
    int w = Math.max(6, rows.stream().mapToInt(r -> r.policy().length()).max().orElse(6));
    out.printf(Locale.ROOT, "%-" + w + "s %10s %21s %8s%s%n", "policy", "prevalence", "95% interval", "verdict",
        truth ? "      truth" : "");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%-" + w + "s %9.3f%% [%7.3f%%, %7.3f%%] %8s%s%n", r.policy(), 100 * r.estimate(),
          100 * r.low(), 100 * r.high(), r.verdict(),
          r.truth() == null ? "" : String.format(Locale.ROOT, " %9.3f%% %s", 100 * r.truth(),
              r.truth() >= r.low() && r.truth() <= r.high() ? "inside" : "OUTSIDE"));
    }
  }
}
