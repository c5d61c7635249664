package dev.plumb.calibration.estimate;

import dev.plumb.calibration.files.LabelFile;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
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
 * must agree ({@link LabelFile} checks that, and every other rule of the file).
 *
 * <p>Reading is in two steps so that the labels can be parsed while the sample is read: {@link
 * #parse} reads the file keeping only the fields the estimators need; {@link #align} checks them
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

    PolicyLabels(int n) {
      y = new double[n];
      ok = new boolean[n];
      failed = new boolean[n];
      invalid = new boolean[n];
    }
  }

  private Labels() {}

  /** Reads {@code path} with {@link LabelFile} (its checks), keeping unit, policy, status and positive of every line. */
  static List<Row> parse(Path path) {
    List<Row> rows = new ArrayList<>();
    LabelFile.forEach(path, l -> rows.add(new Row(l.line(), l.unit(), l.policy(),
        switch (l.status()) {
          case OK -> OK;
          case FAILED -> FAILED;
          case INVALID -> INVALID;
        }, l.positive())));
    return rows;
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
          p.ok[k] = true;
          p.y[k] = r.positive() ? 1 : 0;
        }
        case FAILED -> p.failed[k] = true;
        default -> p.invalid[k] = true;
      }
    }
    return out;
  }
}
