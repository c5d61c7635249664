package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The labels of one file, per policy, aligned with a sample's units (docs/formats.md "Label"). Only
 * {@code status: ok} labels carry a decision; {@code failed} and {@code invalid} rows are counted so
 * that the units they leave unlabeled can be reported. Two ok labels for the same unit and policy
 * must agree.
 */
final class Labels {
  /** Per policy: y (1 positive, 0 not), whether the unit has an ok label, and the other statuses seen. */
  static final class PolicyLabels {
    final double[] y;
    final boolean[] ok;
    final boolean[] failed;
    final boolean[] invalid;
    final int[] line;

    PolicyLabels(int n) {
      y = new double[n];
      ok = new boolean[n];
      failed = new boolean[n];
      invalid = new boolean[n];
      line = new int[n];
    }
  }

  private Labels() {}

  /** Policy (as written in the file) → labels, in policy order. */
  static Map<String, PolicyLabels> read(Path path, DesignSample sample, String sampleName) {
    String source = path.toString();
    Map<String, PolicyLabels> out = new TreeMap<>();
    try (Jsonl in = Jsonl.open(path)) {
      for (Jsonl.Line line : in) {
        int no = line.number();
        String unit = text(source, no, line.node(), "unit");
        String policy = text(source, no, line.node(), "policy");
        String status = text(source, no, line.node(), "status");
        OptionalInt i = sample.indexOf(unit);
        if (i.isEmpty()) {
          throw new InputException(Problem.at(source, no, "unit",
              "unit \"" + unit + "\" is not in the sample " + sampleName
                  + " (labels must come from this sample's units)"));
        }
        PolicyLabels p = out.computeIfAbsent(policy, k -> new PolicyLabels(sample.size()));
        int k = i.getAsInt();
        switch (status) {
          case "ok" -> {
            JsonNode positive = line.node().get("positive");
            if (positive == null || !positive.isBoolean()) {
              throw new InputException(Problem.at(source, no, "positive",
                  "an ok label needs positive: true or false, found " + (positive == null ? "nothing" : positive.toString())));
            }
            double y = positive.asBoolean() ? 1 : 0;
            if (p.ok[k] && p.y[k] != y) {
              throw new InputException(Problem.at(source, no, "positive",
                  "conflicts with the ok label on line " + p.line[k] + " for unit \"" + unit + "\" and policy \""
                      + policy + "\" (keep one label per unit and policy, e.g. one model and prompt per file)"));
            }
            p.ok[k] = true;
            p.y[k] = y;
            p.line[k] = no;
          }
          case "failed" -> p.failed[k] = true;
          case "invalid" -> p.invalid[k] = true;
          default -> throw new InputException(Problem.at(source, no, "status",
              "must be ok, invalid or failed, found \"" + status + "\""));
        }
      }
    }
    if (out.isEmpty()) {
      throw new InputException(Problem.of(source + ": no labels"));
    }
    return out;
  }

  private static String text(String source, int no, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new InputException(Problem.at(source, no, field,
          "missing; a label needs a non-empty string " + field));
    }
    return v.asText();
  }
}
