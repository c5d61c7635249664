package dev.plumb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** The commands' plain-text tables: columns two spaces apart, text left- and numbers right-aligned. */
final class TextTable {
  private TextTable() {}

  /** The rows' lines, without trailing spaces; {@code left} says which columns are left-aligned. */
  static List<String> lines(List<String[]> rows, IntPredicate left) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] row : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        String pad = " ".repeat(width[c] - row[c].length());
        line.append(left.test(c) ? row[c] + pad : pad + row[c]);
        if (c < cols - 1) {
          line.append("  ");
        }
      }
      out.add(line.toString().stripTrailing());
    }
    return out;
  }

  static void print(List<String[]> rows, PrintWriter out, IntPredicate left) {
    lines(rows, left).forEach(out::println);
  }

  /** Every column left-aligned (the history listings). */
  static void printLeft(List<String[]> rows, PrintWriter out) {
    print(rows, out, c -> true);
  }
}
