package dev.plumb.units;

import dev.plumb.core.Numbers;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a units build prints, the same from both engines ({@code plumb units build} on DuckDB and
 * {@code SparkJob units build} on Spark; docs/units.md): the rows read, the data problems (to the
 * error stream when {@code --strict} stopped the build), and what was built.
 */
public final class BuildReport {
  private BuildReport() {}

  /**
   * Prints {@code s}, the build of {@code config} into {@code out}.
   *
   * @return whether the units were written ({@code false}: {@code --strict} found data problems)
   */
  public static boolean print(UnitBuilder.Summary s, UnitsConfig cfg, Object config, Object out, PrintWriter w,
      PrintWriter e) {
    StringBuilder rows = new StringBuilder();
    s.rows().forEach((t, n) -> rows.append(rows.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", t, n)));
    w.printf(Locale.ROOT, "read %s%n", rows);
    long total = s.problemCount();
    PrintWriter pw = s.written() ? w : e;
    if (total == 0) {
      pw.println("data problems: none");
    } else {
      pw.printf(Locale.ROOT, "data problems: %,d%n", total);
      s.problems().forEach((name, n) -> {
        if (n > 0) {
          pw.printf(Locale.ROOT, "  %-36s %,12d%n", name, n);
        }
      });
      s.imputed().forEach((policy, n) -> {
        if (n > 0) {
          pw.printf(Locale.ROOT, "  imputed %s = %s for %,d units (rule: %s)%n", policy,
              BuiltUnit.number(s.imputedValue().get(policy)), n, cfg.missing());
        }
      });
    }
    if (!s.written()) {
      e.printf(Locale.ROOT, "%s: --strict: %,d data problems; nothing written%n", config, total);
      return false;
    }
    w.printf(Locale.ROOT, "built %,d units (%,d components, weight %s, scores: %s) in %.1f s -> %s%n",
        s.units(), s.components(),
        s.weight() == Math.rint(s.weight()) ? Numbers.count(s.weight()) : BuiltUnit.number(s.weight()),
        s.policies().isEmpty() ? "none" : String.join(", ", s.policies()), s.seconds(), out);
    w.printf(Locale.ROOT, "manifest %s%n", s.manifest());
    return true;
  }
}
