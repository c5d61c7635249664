package dev.plumb.labeler.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import dev.plumb.core.Wilson;
import dev.plumb.labeler.batch.Progress;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The scored outcome of a prompt test: per side the accuracy, the confusion matrix and the binary
 * (violating vs not) counts; per case both answers; with a baseline, the flips; and whether the
 * candidate regressed.
 *
 * <p><b>Regression</b>: significantly more cases the baseline answered correctly and the candidate
 * does not ({@link Flip#BROKEN}) than the reverse ({@link Flip#FIXED}) — the one-sided exact McNemar
 * test of {@link FlipTest} at the author's α —, or a candidate accuracy below the minimum asked for.
 * Broken cases that are not significant are listed as {@link #notices()}, never hidden.
 *
 * @param baseline the baseline's answers, or {@code null} without {@code --against...}
 * @param baselineScore the baseline's score, or {@code null} without a baseline
 * @param notTested examples only the baseline version has (removed in the candidate): not tested
 * @param flipTest the flip test, or {@code null} without a baseline
 * @param power the cases needed for the drop asked with {@code --power}, or {@code null}
 * @param regressions why the candidate regressed, one sentence each; empty when it did not
 * @param notices broken cases that do not make a significant drop, one sentence each (shown, not failed)
 */
public record PromptTestReport(
    Policy policy, PromptTest.SideResult candidate, PromptTest.SideResult baseline, Gate gate, List<Row> rows,
    Score candidateScore, Score baselineScore, List<String> notTested, FlipTest flipTest, Power power,
    List<String> regressions, List<String> notices) {
  /** The report's JSON {@code format}. */
  public static final String FORMAT = "plumb.prompt-test/1";
  /** The confusion matrix column of answers that are not a decision (invalid or failed). */
  public static final String NO_ANSWER = "(no answer)";
  /** The confusion matrix row of golden units that expect any decision counting as a violation. */
  public static final String POSITIVE = "(positive)";
  /** The confusion matrix row of golden units that expect any decision not counting as a violation. */
  public static final String NEGATIVE = "(negative)";

  /**
   * What makes the test fail.
   *
   * @param minAccuracy the candidate's minimum accuracy in [0, 1], or {@code null}
   * @param alpha the level of the flip test in (0, 1]; 1 fails on any broken case
   * @param powerDrop with a value (a proportion, 0.05 for 5 points), the report says how many cases
   *     detect a drop that size; {@code null} otherwise
   */
  public record Gate(Double minAccuracy, double alpha, Double powerDrop) {
    public Gate {
      if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
        throw new IllegalArgumentException("--min-accuracy must be in [0, 1]: " + minAccuracy);
      }
      if (!(alpha > 0 && alpha <= 1)) {
        throw new IllegalArgumentException("--alpha must be in (0, 1]: " + Numbers.shortest(alpha));
      }
      if (powerDrop != null && !(powerDrop > 0 && powerDrop < 1)) {
        throw new IllegalArgumentException("the drop to detect must be in (0, 1): " + powerDrop);
      }
    }

    /** No minimum accuracy, the default α, no power figure. */
    public static Gate defaults() {
      return new Gate(null, FlipTest.DEFAULT_ALPHA, null);
    }
  }

  /**
   * How many cases the flip test needs to detect a drop in accuracy of {@code drop} with 80% power at
   * the gate's α: {@code allBroken} when every flip is a break (the fewest), {@code observed} at the
   * share of cases that flipped in this test ({@code null} without a baseline, or when fewer flipped
   * than the drop itself).
   */
  public record Power(double drop, double alpha, int cases, int allBroken, Double observedDiscordance, Integer observed) {}

  /** The 95% Wilson interval {@code {lower, upper}} of {@code k} of {@code n} (both 0 when n is 0). */
  public static double[] wilson(long k, long n) {
    return n == 0 ? new double[] {0, 0} : Wilson.bounds(k, n, Z95);
  }

  private static final double Z95 = NormalDistribution.of(0, 1).inverseSurvivalProbability(0.025);

  /** How a case's outcome changed from the baseline to the candidate. */
  public enum Flip {
    /** Wrong in the baseline, right in the candidate. */
    FIXED,
    /** Right in the baseline, wrong in the candidate: a regression. */
    BROKEN,
    /** Wrong in both, with different answers (decision or category; never for a binary expectation). */
    CHANGED;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One case with both answers.
   *
   * @param baselineExpected for an example, the baseline version's expectation when it differs from the candidate's
   *     (an intended change); {@code null} otherwise
   * @param newExample an example the baseline version does not have
   * @param flip {@code null} without a baseline, or when the outcome did not change
   */
  public record Row(
      TestCase testCase, CaseAnswer candidate, boolean candidateCorrect, boolean candidateInPrompt,
      CaseAnswer baseline, boolean baselineCorrect, boolean baselineInPrompt, Expected baselineExpected,
      boolean newExample, Flip flip) {}

  /**
   * One side's scores over all cases.
   *
   * @param notInPrompt cases the side's prompt does not show as few-shot examples (the honest figure for an LLM)
   * @param labels confusion matrix rows (expected): the policy's decisions, {@link #NO_ANSWER} (never used as a
   *     row), {@link #POSITIVE} and {@link #NEGATIVE}; its columns (answered) are the same labels up to and
   *     including {@link #NO_ANSWER}
   * @param confusion {@code [expected][answered]} counts
   * @param tp expected positive, answered positive (binary view: does the decision count toward prevalence)
   */
  public record Score(
      int n, int correct, int notInPromptN, int notInPromptCorrect, int goldenN, int goldenCorrect, int noAnswer,
      List<String> labels, long[][] confusion, long tp, long fn, long fp, long tn, long requests, long cacheHits,
      double costUsd) {
    public double accuracy() {
      return n == 0 ? Double.NaN : (double) correct / n;
    }

    /** Of the cases expected to count as a violation, the share answered so (binary view). */
    public long positives() {
      return tp + fn;
    }

    /** Of the cases expected not to count as a violation, the share answered so. */
    public long negatives() {
      return tn + fp;
    }
  }

  public PromptTestReport {
    rows = List.copyOf(rows);
    notTested = List.copyOf(notTested);
    regressions = List.copyOf(regressions);
    notices = List.copyOf(notices);
  }

  /**
   * Scores the candidate (and the baseline, when given) on {@code cases}, every side against the
   * cases' expectations (the candidate's examples and the golden file).
   *
   * @param gate what fails the test
   */
  public static PromptTestReport of(Policy policy, List<TestCase> cases, PromptTest.SideResult candidate,
      PromptTest.SideResult baseline, Gate gate) {
    Map<String, Example> baseExamples = new LinkedHashMap<>();
    boolean otherVersion = baseline != null
        && !baseline.side().policy().sha256().equals(candidate.side().policy().sha256());
    if (otherVersion) {
      baseline.side().policy().examples().forEach(e -> baseExamples.put(e.id(), e));
    }
    List<Row> rs = new ArrayList<>();
    for (TestCase c : cases) {
      CaseAnswer ca = candidate.answers().get(c.id());
      boolean cOk = c.expected().matches(ca);
      // the local backend reads the unit, not the prompt: nothing is "shown" to it
      boolean cIn = !candidate.side().heldOut() && HeldOut.shownInPrompt(c.unit(), candidate.side().policy());
      CaseAnswer ba = null;
      boolean bOk = false;
      boolean bIn = false;
      Expected bExpected = null;
      boolean isNew = false;
      Flip flip = null;
      if (baseline != null) {
        ba = baseline.answers().get(c.id());
        bOk = c.expected().matches(ba);
        bIn = !baseline.side().heldOut() && HeldOut.shownInPrompt(c.unit(), baseline.side().policy());
        if (c.kind() == TestCase.Kind.EXAMPLE && otherVersion) {
          Example be = baseExamples.get(c.id());
          if (be == null) {
            isNew = true;
          } else {
            boolean positive = baseline.side().policy().decision(be.decision()).map(Decision::positive).orElse(false);
            Expected e = new Expected(be.decision(), positive ? be.category() : null, true, positive);
            if (!Objects.equals(e.decision(), c.expected().decision()) || !Objects.equals(e.category(), c.expected().category())) {
              bExpected = e;
            }
          }
        }
        if (bOk && !cOk) {
          flip = Flip.BROKEN;
        } else if (!bOk && cOk) {
          flip = Flip.FIXED;
        } else if (!bOk && !cOk && !c.expected().isBinary() && !Objects.equals(String.valueOf(ba), String.valueOf(ca))) {
          // (for a binary expectation two wrong answers have the same, wrong, flag: nothing that matters changed)
          flip = Flip.CHANGED;
        }
      }
      rs.add(new Row(c, ca, cOk, cIn, ba, bOk, bIn, bExpected, isNew, flip));
    }
    List<Row> rows = List.copyOf(rs);
    Score candidateScore = score(policy, candidate, rows, true);
    Score baselineScore = baseline == null ? null : score(policy, baseline, rows, false);
    List<String> nt = new ArrayList<>();
    if (otherVersion) {
      for (Example e : baseline.side().policy().examples()) {
        if (policy.examples().stream().noneMatch(x -> x.id().equals(e.id()))) {
          nt.add(e.id());
        }
      }
    }
    List<String> reasons = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> broken = rows.stream().filter(r -> r.flip() == Flip.BROKEN).map(r -> r.testCase().id()).toList();
    FlipTest flipTest = baseline == null ? null
        : FlipTest.of(broken.size(), (int) rows.stream().filter(r -> r.flip() == Flip.FIXED).count(), gate.alpha());
    if (!broken.isEmpty()) {
      String what = broken.size() + (broken.size() == 1 ? " case" : " cases") + " the baseline answered correctly "
          + (broken.size() == 1 ? "fails" : "fail") + " now";
      String test = String.format(Locale.ROOT, "%d broken vs %d fixed, one-sided exact McNemar p = %s %s α %s",
          flipTest.broken(), flipTest.fixed(), Numbers.significant(flipTest.pValue(), 3),
          flipTest.significant() ? "≤" : ">", Numbers.shortest(gate.alpha()));
      if (flipTest.significant()) {
        reasons.add(what + " (" + test + "): " + String.join(", ", broken));
      } else {
        notes.add(what + ", not a significant drop (" + test + "): " + String.join(", ", broken));
      }
    }
    if (gate.minAccuracy() != null && !(candidateScore.accuracy() >= gate.minAccuracy())) {
      reasons.add(String.format(Locale.ROOT, "accuracy %.3f is below --min-accuracy %s", candidateScore.accuracy(),
          Numbers.shortest(gate.minAccuracy())));
    }
    Power power = gate.powerDrop() == null ? null : power(gate.powerDrop(), gate, flipTest, rows.size());
    return new PromptTestReport(policy, candidate, baseline, gate, rows, candidateScore, baselineScore, nt, flipTest,
        power, reasons, notes);
  }

  private static Power power(double drop, Gate gate, FlipTest flipTest, int cases) {
    int allBroken = FlipTest.casesNeeded(drop, drop, gate.alpha());
    Double discordance = null;
    Integer observed = null;
    if (flipTest != null && cases > 0) {
      double d = (flipTest.broken() + flipTest.fixed()) / (double) cases;
      if (d > drop) {
        discordance = d;
        observed = FlipTest.casesNeeded(drop, Math.min(1, d), gate.alpha());
      }
    }
    return new Power(drop, gate.alpha(), cases, allBroken, discordance, observed);
  }


  /** {@code side}'s score over {@code rows}: {@code cand} says which of each row's two answers is {@code side}'s. */
  private static Score score(Policy policy, PromptTest.SideResult side, List<Row> rows, boolean cand) {
    List<String> labels = new ArrayList<>(policy.decisions().stream().map(Decision::id).toList());
    for (Decision d : side.side().policy().decisions()) {
      if (!labels.contains(d.id())) {
        labels.add(d.id());
      }
    }
    labels.add(NO_ANSWER);
    // golden units that expect only "a violation" or "not a violation" get rows of their own
    int columns = labels.size();
    labels.add(POSITIVE);
    labels.add(NEGATIVE);
    long[][] m = new long[labels.size()][columns];
    int n = 0, correct = 0, nip = 0, nipOk = 0, g = 0, gOk = 0, none = 0;
    long tp = 0, fn = 0, fp = 0, tn = 0;
    for (Row r : rows) {
      CaseAnswer a = cand ? r.candidate() : r.baseline();
      boolean ok = cand ? r.candidateCorrect() : r.baselineCorrect();
      boolean inPrompt = cand ? r.candidateInPrompt() : r.baselineInPrompt();
      n++;
      correct += ok ? 1 : 0;
      if (!inPrompt) {
        nip++;
        nipOk += ok ? 1 : 0;
      }
      if (r.testCase().kind() == TestCase.Kind.GOLDEN) {
        g++;
        gOk += ok ? 1 : 0;
      }
      String answered = a != null && a.ok() ? a.decision() : NO_ANSWER;
      if (answered.equals(NO_ANSWER)) {
        none++;
      }
      Expected e = r.testCase().expected();
      int row = e.isBinary() ? labels.indexOf(e.positive() ? POSITIVE : NEGATIVE) : labels.indexOf(e.decision());
      int col = labels.indexOf(answered);
      m[row][col < 0 || col >= columns ? columns - 1 : col]++;
      boolean expectedPositive = e.positive();
      boolean answeredPositive = a != null && a.ok()
          && side.side().policy().decision(a.decision()).map(Decision::positive).orElse(false);
      if (expectedPositive) {
        if (answeredPositive) tp++; else fn++;
      } else {
        if (answeredPositive) fp++; else tn++;
      }
    }
    Progress p = side.progress();
    return new Score(n, correct, nip, nipOk, g, gOk, none, List.copyOf(labels), m, tp, fn, fp, tn,
        p.requests(), p.cacheHits(), p.costUsd());
  }

  /** Cases with the given flip, in case order. */
  public List<Row> flipped(Flip flip) {
    return rows.stream().filter(r -> r.flip() == flip).toList();
  }

  /** Cases without an answer from the candidate or the baseline because the call failed (a rerun retries them). */
  public long failedCalls() {
    return rows.stream().filter(r -> isFailed(r.candidate()) || (baseline != null && isFailed(r.baseline()))).count();
  }

  private static boolean isFailed(CaseAnswer a) {
    return a == null || a.status().equals("failed");
  }

  /** The whole report as JSON (docs/prompt-test.md). */
  public ObjectNode toJson() {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    root.put("policy", policy.id());
    root.set("candidate", side(candidate, candidateScore));
    if (baseline != null) {
      root.set("baseline", side(baseline, baselineScore));
    }
    ArrayNode cs = root.putArray("cases");
    for (Row r : rows) {
      ObjectNode o = cs.addObject();
      o.put("id", r.testCase().id());
      o.put("kind", r.testCase().kind().name().toLowerCase(java.util.Locale.ROOT));
      o.put("origin", r.testCase().origin());
      o.set("expected", expected(r.testCase().expected()));
      if (r.baselineExpected() != null) {
        o.set("baseline_expected", expected(r.baselineExpected()));
      }
      if (r.newExample()) {
        o.put("new_example", true);
      }
      o.set("candidate", answer(r.candidate(), r.candidateCorrect(), r.candidateInPrompt()));
      if (baseline != null) {
        o.set("baseline", answer(r.baseline(), r.baselineCorrect(), r.baselineInPrompt()));
        if (r.flip() == null) {
          o.putNull("flip");
        } else {
          o.put("flip", r.flip().id());
        }
      }
    }
    if (baseline != null) {
      ObjectNode flips = root.putObject("flips");
      for (Flip f : Flip.values()) {
        ArrayNode a = flips.putArray(f.id());
        flipped(f).forEach(r -> a.add(r.testCase().id()));
      }
      ArrayNode nt = root.putArray("not_tested");
      notTested.forEach(nt::add);
      root.putObject("flip_test").put("test", "mcnemar-exact-one-sided").put("broken", flipTest.broken())
          .put("fixed", flipTest.fixed()).put("p_value", flipTest.pValue()).put("alpha", flipTest.alpha())
          .put("significant", flipTest.significant());
    }
    if (gate.minAccuracy() != null) {
      root.put("min_accuracy", gate.minAccuracy());
    }
    if (power != null) {
      ObjectNode p = root.putObject("power").put("drop", power.drop()).put("alpha", power.alpha()).put("power", FlipTest.POWER)
          .put("cases", power.cases()).put("cases_needed_all_broken", power.allBroken());
      if (power.observed() != null) {
        p.put("observed_discordance", power.observedDiscordance()).put("cases_needed_observed", power.observed());
      }
    }
    root.put("regression", !regressions.isEmpty());
    ArrayNode why = root.putArray("regressions");
    regressions.forEach(why::add);
    ArrayNode seen = root.putArray("notices");
    notices.forEach(seen::add);
    return root;
  }

  private static ObjectNode proportion(long k, long n) {
    ObjectNode o = Json.object().put("k", k).put("n", n);
    if (n == 0) {
      o.putNull("estimate");
      o.putNull("interval");
    } else {
      double[] w = wilson(k, n);
      o.put("estimate", (double) k / n);
      o.putArray("interval").add(w[0]).add(w[1]);
    }
    return o;
  }

  private static ObjectNode expected(Expected e) {
    ObjectNode o = Json.object();
    if (e.isBinary()) {
      o.put("positive", e.positive());
      return o;
    }
    o.put("decision", e.decision());
    o.put("category", e.category()); // null becomes JSON null
    o.put("category_checked", e.categoryChecked());
    o.put("positive", e.positive());
    return o;
  }

  private static ObjectNode answer(CaseAnswer a, boolean correct, boolean inPrompt) {
    ObjectNode o = Json.object();
    if (a == null) {
      o.put("status", "missing");
    } else {
      o.put("status", a.status());
      if (a.ok()) {
        o.put("decision", a.decision());
        o.put("category", a.category()); // null becomes JSON null
        o.put("positive", a.positive());
        if (!Double.isNaN(a.confidence())) {
          o.put("confidence", a.confidence());
        }
        o.put("rationale", a.rationale());
      } else {
        o.put("error", a.rationale());
      }
      o.put("cached", a.cached());
    }
    o.put("correct", correct);
    o.put("in_prompt", inPrompt);
    return o;
  }

  private ObjectNode side(PromptTest.SideResult s, Score sc) {
    ObjectNode o = Json.object();
    o.put("policy", s.side().policy().key());
    o.put("prompt", s.side().bundle().fingerprint());
    o.put("backend", s.side().backend().name());
    o.put("model", s.side().model());
    o.put("held_out", s.side().heldOut());
    o.put("cases", sc.n());
    o.put("correct", sc.correct());
    if (sc.n() > 0) {
      o.put("accuracy", sc.accuracy());
    } else {
      o.putNull("accuracy");
    }
    // 95% Wilson intervals (docs/prompt-test.md)
    o.set("accuracy_wilson", proportion(sc.correct(), sc.n()));
    o.set("sensitivity", proportion(sc.tp(), sc.positives()));
    o.set("specificity", proportion(sc.tn(), sc.negatives()));
    o.putObject("not_in_prompt").put("cases", sc.notInPromptN()).put("correct", sc.notInPromptCorrect());
    o.putObject("golden").put("cases", sc.goldenN()).put("correct", sc.goldenCorrect());
    o.put("no_answer", sc.noAnswer());
    ObjectNode conf = o.putObject("confusion");
    ArrayNode labels = conf.putArray("labels");
    sc.labels().forEach(labels::add);
    ArrayNode columns = conf.putArray("columns");
    sc.labels().subList(0, sc.confusion()[0].length).forEach(columns::add);
    ArrayNode rowsJson = conf.putArray("counts");
    for (long[] row : sc.confusion()) {
      ArrayNode a = rowsJson.addArray();
      for (long v : row) {
        a.add(v);
      }
    }
    o.putObject("binary").put("tp", sc.tp()).put("fn", sc.fn()).put("fp", sc.fp()).put("tn", sc.tn());
    o.put("requests", sc.requests());
    o.put("cache_hits", sc.cacheHits());
    o.put("cost_usd", sc.costUsd());
    return o;
  }
}
