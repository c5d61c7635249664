package dev.plumb.calibration.queue;

import java.util.List;

/** RFC 4180 CSV output: a field is quoted when it holds a comma, a quote or a line break. */
public final class Csv {
  private Csv() {}

  public static void row(StringBuilder sb, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(field(fields.get(i)));
    }
    sb.append("\r\n");
  }

  public static String field(String s) {
    if (s == null) {
      return "";
    }
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
