package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The labels of one file, per policy, aligned with a sample's units (docs/formats.md "Label"). Only
 * {@code status: ok} labels carry a decision; {@code failed} and {@code invalid} rows are counted so
 * that the units they leave unlabeled can be reported. Two ok labels for the same unit and policy
 * must agree.
 *
 * <p>Reading is in two steps so that the labels can be parsed while the sample is read: {@link
 * #parse} streams the file keeping only the fields the estimators need; {@link #align} checks them
 * against the sample.
 */
final class Labels {
  static final byte OK = 0;
  static final byte FAILED = 1;
  static final byte INVALID = 2;

  /** The fields of one label line that matter here; {@code positive} is null unless given as a boolean. */
  record Row(int line, String unit, String policy, byte status, Boolean positive) {}

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

  /** Streams {@code path}, keeping unit, policy, status and positive of every line. */
  static List<Row> parse(Path path) {
    String source = path.toString();
    List<Row> rows = new ArrayList<>();
    try (Jsonl in = Jsonl.open(path)) {
      for (Jsonl.Text t : in.texts()) {
        rows.add(row(source, t));
      }
    }
    if (rows.isEmpty()) {
      throw new InputException(Problem.of(source + ": no labels"));
    }
    return rows;
  }

  private static Row row(String source, Jsonl.Text t) {
    String unit = null;
    String policy = null;
    String status = null;
    Boolean positive = null;
    try (JsonParser p = Json.mapper().getFactory().createParser(t.text())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InputException(Problem.at(source, t.number(), "", "expected a JSON object"));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "unit" -> unit = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "policy" -> policy = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "status" -> status = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "positive" -> positive = v == JsonToken.VALUE_TRUE ? Boolean.TRUE : v == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new InputException(Problem.at(source, t.number(), "", "invalid JSON: trailing content after the object"));
      }
    } catch (JsonProcessingException e) {
      throw new InputException(Problem.at(source, t.number(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "", "invalid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    require(source, t.number(), "unit", unit);
    require(source, t.number(), "policy", policy);
    require(source, t.number(), "status", status);
    byte code = switch (status) {
      case "ok" -> OK;
      case "failed" -> FAILED;
      case "invalid" -> INVALID;
      default -> throw new InputException(Problem.at(source, t.number(), "status",
          "must be ok, invalid or failed, found \"" + status + "\""));
    };
    if (code == OK && positive == null) {
      throw new InputException(Problem.at(source, t.number(), "positive", "an ok label needs positive: true or false"));
    }
    return new Row(t.number(), unit, policy, code, positive);
  }

  private static void require(String source, int line, String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InputException(Problem.at(source, line, field, "missing; a label needs a non-empty string " + field));
    }
  }

  /** Policy (as written in the file) → labels aligned with the sample, in policy order. */
  static Map<String, PolicyLabels> align(List<Row> rows, Path path, DesignSample sample, String sampleName) {
    String source = path.toString();
    Map<String, PolicyLabels> out = new TreeMap<>();
    for (Row r : rows) {
      OptionalInt i = sample.indexOf(r.unit());
      if (i.isEmpty()) {
        throw new InputException(Problem.at(source, r.line(), "unit",
            "unit \"" + r.unit() + "\" is not in the sample " + sampleName
                + " (labels must come from this sample's units)"));
      }
      PolicyLabels p = out.computeIfAbsent(r.policy(), k -> new PolicyLabels(sample.size()));
      int k = i.getAsInt();
      switch (r.status()) {
        case OK -> {
          double y = r.positive() ? 1 : 0;
          if (p.ok[k] && p.y[k] != y) {
            throw new InputException(Problem.at(source, r.line(), "positive",
                "conflicts with the ok label on line " + p.line[k] + " for unit \"" + r.unit() + "\" and policy \""
                    + r.policy() + "\" (keep one label per unit and policy, e.g. one model and prompt per file)"));
          }
          p.ok[k] = true;
          p.y[k] = y;
          p.line[k] = r.line();
        }
        case FAILED -> p.failed[k] = true;
        default -> p.invalid[k] = true;
      }
    }
    return out;
  }
}
