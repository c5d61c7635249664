package dev.plumb.labeler.evaluation;

import dev.plumb.core.Numbers;
import dev.plumb.labeler.evaluation.PromptTestReport.Flip;
import dev.plumb.labeler.evaluation.PromptTestReport.Row;
import dev.plumb.labeler.evaluation.PromptTestReport.Score;
import dev.plumb.labeler.policy.Policy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A prompt test report as text (what {@code plumb prompt test} prints without {@code --json}). */
public final class PromptTestText {
  private PromptTestText() {}

  /**
   * The report for people: what was tested, accuracy side by side, confusion matrices, flips and
   * each failing case with the model's rationale, then the regressions (docs/prompt-test.md).
   *
   * @param golden the golden file named in the header, or null
   */
  public static String of(PromptTestReport r, Path golden) {
    StringBuilder sb = new StringBuilder();
    Policy policy = r.policy();
    List<Row> rows = r.rows();
    long examples = rows.stream().filter(x -> x.testCase().kind() == TestCase.Kind.EXAMPLE).count();
    long goldenCases = rows.size() - examples;
    long inPrompt = rows.stream().filter(Row::candidateInPrompt).count();
    boolean heldOut = r.candidate().side().heldOut();
    sb.append(String.format(Locale.ROOT, "prompt test of %s: %d %s%s%s%n", policy.key(), examples,
        examples == 1 ? "example" : "examples", heldOut ? "" : " (" + inPrompt + " shown in the prompt)",
        goldenCases == 0 ? "" : " + " + goldenCases + " golden " + (goldenCases == 1 ? "unit" : "units") + " (" + golden + ")"));
    sb.append(describe("candidate", r.candidate()));
    if (r.baseline() != null) {
      sb.append(describe("baseline ", r.baseline()));
    }
    if (heldOut) {
      sb.append("note: the local backend is trained on the policy's examples; each case is answered by a model\n"
          + "      trained without the examples it repeats (leave-one-out), so these are held-out figures\n");
    } else if (inPrompt > 0) {
      sb.append("note: cases shown in the prompt as few-shot examples are answered with the answer in view;\n"
          + "      \"not in the prompt\" is the figure that measures the policy text\n");
    }
    sb.append('\n');
    Score c = r.candidateScore();
    Score b = r.baselineScore();
    String header = String.format(Locale.ROOT, "%-22s %-36s", "", "candidate " + r.candidate().side().policy().key());
    if (b != null) {
      header += "baseline " + r.baseline().side().policy().key();
    }
    sb.append(header.stripTrailing()).append('\n');
    sb.append(line("accuracy", frac(c.correct(), c.n()), b == null ? null : frac(b.correct(), b.n())));
    if (!heldOut) {
      sb.append(line("  not in the prompt", frac(c.notInPromptCorrect(), c.notInPromptN()),
          b == null ? null : frac(b.notInPromptCorrect(), b.notInPromptN())));
    }
    if (c.goldenN() > 0) {
      sb.append(line("  golden units", frac(c.goldenCorrect(), c.goldenN()), b == null ? null : frac(b.goldenCorrect(), b.goldenN())));
    }
    sb.append(line("  sensitivity", frac(c.tp(), c.positives()), b == null ? null : frac(b.tp(), b.positives())));
    sb.append(line("  specificity", frac(c.tn(), c.negatives()), b == null ? null : frac(b.tn(), b.negatives())));
    sb.append(line("violating vs not", binary(c), b == null ? null : binary(b)));
    sb.append(line("requests", requests(c), b == null ? null : requests(b)));
    sb.append('\n');
    sb.append(confusion("candidate " + r.candidate().side().policy().key(), c));
    if (b != null) {
      sb.append(confusion("baseline " + r.baseline().side().policy().key(), b));
      sb.append(String.format(Locale.ROOT, "flips (baseline → candidate): %d fixed, %d broken, %d changed%n",
          r.flipped(Flip.FIXED).size(), r.flipped(Flip.BROKEN).size(), r.flipped(Flip.CHANGED).size()));
      int w = rows.stream().mapToInt(x -> x.testCase().id().length()).max().orElse(4);
      for (Flip f : List.of(Flip.BROKEN, Flip.FIXED, Flip.CHANGED)) {
        for (Row x : r.flipped(f)) {
          sb.append(String.format(Locale.ROOT, "  %-8s %-" + w + "s  %s → %s, expected %s%s%n", f.id(), x.testCase().id(),
              x.baseline(), x.candidate(), x.testCase().expected(),
              x.baselineExpected() != null ? " (" + r.baseline().side().policy().key() + " expected " + x.baselineExpected() + ")"
                  : x.newExample() ? " (new example)" : ""));
        }
      }
      if (!r.notTested().isEmpty()) {
        sb.append("  not tested (only in ").append(r.baseline().side().policy().key()).append("): ")
            .append(String.join(", ", r.notTested())).append('\n');
      }
      FlipTest t = r.flipTest();
      String verdict = t.alpha() == 1 ? (t.broken() > 0 ? "fails: α 1 fails on any broken case" : "nothing broke")
          : (t.significant() ? "a significant drop" : "no significant drop") + " at α " + Numbers.shortest(t.alpha());
      sb.append(String.format(Locale.ROOT, "flip test: %d broken vs %d fixed, one-sided exact McNemar p = %s; %s%n",
          t.broken(), t.fixed(), Numbers.significant(t.pValue(), 3), verdict));
      sb.append('\n');
    }
    PromptTestReport.Power p = r.power();
    if (p != null) {
      sb.append(String.format(Locale.ROOT,
          "power: to detect a drop of %s points (one-sided exact McNemar, α %s, power %s), this test has %d cases and needs%n",
          Numbers.shortest(Math.round(p.drop() * 1e6) / 1e4), Numbers.shortest(p.alpha()), Numbers.shortest(FlipTest.POWER), p.cases()));
      sb.append(String.format(Locale.ROOT, "  %d cases when every flip is a break (the fewest)%n", p.allBroken()));
      if (p.observed() != null) {
        sb.append(String.format(Locale.ROOT, "  %d cases when %.1f%% of cases flip either way, as here%n", p.observed(),
            100 * p.observedDiscordance()));
      }
      sb.append('\n');
    }
    List<Row> failing = rows.stream().filter(x -> !x.candidateCorrect()).toList();
    sb.append(String.format(Locale.ROOT, "failing in the candidate: %d%n", failing.size()));
    for (Row x : failing) {
      CaseAnswer a = x.candidate();
      sb.append(String.format(Locale.ROOT, "  %s  expected %s, answered %s%s  [%s%s]%n", x.testCase().id(), x.testCase().expected(),
          a, a != null && a.ok() && !Double.isNaN(a.confidence()) ? String.format(Locale.ROOT, " (confidence %.2f)", a.confidence()) : "",
          x.testCase().kind() == TestCase.Kind.GOLDEN ? x.testCase().origin() : "example",
          x.candidateInPrompt() ? ", in the prompt" : ""));
      if (a != null && !a.rationale().isBlank()) {
        sb.append("      ").append(a.ok() ? "rationale: " : "error: ").append(oneLine(a.rationale())).append('\n');
      }
    }
    sb.append('\n');
    r.notices().forEach(n -> sb.append("note: ").append(n).append('\n'));
    if (r.regressions().isEmpty()) {
      sb.append("no regression\n");
    } else {
      r.regressions().forEach(reason -> sb.append("REGRESSION: ").append(reason).append('\n'));
    }
    return sb.toString();
  }

  private static String describe(String label, PromptTest.SideResult s) {
    PromptTest.Side side = s.side();
    String fp = side.bundle().fingerprint();
    return String.format(Locale.ROOT, "%s: %s, prompt %s, %s %s%n", label, side.policy().key(),
        fp.substring(0, Math.min(fp.length(), "sha256:".length() + 12)), side.backend().name(), side.model());
  }

  private static String line(String name, String cand, String base) {
    String s = String.format(Locale.ROOT, "%-22s %-36s", name, cand);
    return (base == null ? s.stripTrailing() : s + base) + "\n";
  }

  /** k/n, the percentage and its 95% Wilson interval. */
  private static String frac(long k, long n) {
    if (n == 0) {
      return "-";
    }
    double[] w = PromptTestReport.wilson(k, n);
    return String.format(Locale.ROOT, "%d/%d  %.1f%% (%.1f–%.1f)", k, n, 100.0 * k / n, 100 * w[0], 100 * w[1]);
  }

  private static String binary(Score s) {
    return String.format(Locale.ROOT, "TP %d FN %d FP %d TN %d", s.tp(), s.fn(), s.fp(), s.tn());
  }

  private static String requests(Score s) {
    return String.format(Locale.ROOT, "%d (%d from cache)", s.requests(), s.cacheHits());
  }

  private static String confusion(String title, Score s) {
    StringBuilder sb = new StringBuilder();
    sb.append("confusion, ").append(title).append(" (rows: expected, columns: answered)\n");
    List<String> labels = s.labels();
    int columns = s.confusion()[0].length;
    int first = Math.max(12, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
    sb.append(" ".repeat(first));
    for (String l : labels.subList(0, columns)) {
      sb.append(String.format(Locale.ROOT, " %" + Math.max(5, l.length()) + "s", l));
    }
    sb.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      long total = 0;
      for (long v : s.confusion()[i]) {
        total += v;
      }
      if (total == 0 && labels.get(i).startsWith("(")) {
        continue; // (no answer) is never expected; (positive)/(negative) rows only for binary golden units
      }
      sb.append(String.format(Locale.ROOT, "  %-" + (first - 2) + "s", labels.get(i)));
      for (int j = 0; j < columns; j++) {
        sb.append(String.format(Locale.ROOT, " %" + Math.max(5, labels.get(j).length()) + "d", s.confusion()[i][j]));
      }
      sb.append('\n');
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() > 300 ? t.substring(0, 297) + "..." : t;
  }
}
