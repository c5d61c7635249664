package dev.plumb.calibration.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.agreement.Agreement;
import dev.plumb.calibration.agreement.AgreementSummary;
import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.agreement.Honeypots;
import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import dev.plumb.calibration.corrected.Calibration;
import dev.plumb.calibration.corrected.CalibrationInput;
import dev.plumb.calibration.corrected.CalibrationOptions;
import dev.plumb.calibration.corrected.CorrectedEstimator;
import dev.plumb.calibration.corrected.CorrectedPrevalence;
import dev.plumb.calibration.corrected.PolicyData;
import dev.plumb.calibration.files.GoldFile;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.quality.DecisionQuality;
import dev.plumb.calibration.quality.DecisionScheme;
import dev.plumb.calibration.quality.Judgement;
import dev.plumb.calibration.quality.QualityReport;
import dev.plumb.calibration.quality.Rate;
import dev.plumb.calibration.queue.Queue;
import dev.plumb.calibration.queue.ReviewPolicy;
import dev.plumb.calibration.review.Answer;
import dev.plumb.calibration.review.Answers;
import dev.plumb.calibration.scores.LabelScores;
import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A calibration of every policy with gold, ready to sign off: corrected prevalence by every
 * estimator and the recommended one, the LLM's decision quality, domain breakdowns, rater
 * agreement, the sign-off verdict, and where it all came from. {@link ReportJson} writes it as
 * {@code report.json} (docs/report.md), {@link ReportHtml} and {@link ReportMarkdown} render it.
 *
 * @param created when the report was built
 * @param plumbVersion the tool's version line, e.g. {@code plumb 0.1.0 (commit abc1234)}
 * @param options the estimators' settings
 * @param rules the sign-off thresholds applied
 * @param policies one per policy with gold, sorted by policy
 * @param raterFiles the rater answers and honeypot scores used
 * @param notes caveats about the whole report (e.g. a policy without gold)
 * @param provenance inputs and their hashes, labels' models and prompts, the sample's seed and
 *     design (the {@code provenance} object of report.json)
 */
public record CalibrationReport(
    Instant created, String plumbVersion, CalibrationOptions options, SignOffRules rules,
    List<PolicyReport> policies, RaterFiles raterFiles, List<String> notes, ObjectNode provenance) {
  public CalibrationReport {
    policies = List.copyOf(policies);
    notes = List.copyOf(notes);
  }

  /** The report format written to {@code report.json}. */
  public static final String FORMAT = "plumb.report/1";

  /** Bins of the reliability table. */
  public static final int RELIABILITY_BINS = 10;

  /** The bar below which a rater's accuracy against the gold consensus is flagged. */
  public static final double RATER_ACCURACY_BAR = 0.8;

  /** The worst verdict over all policies (PASS when there are none). */
  public Verdict verdict() {
    Verdict v = Verdict.PASS;
    for (PolicyReport p : policies) {
      v = v.worst(p.signOff().verdict());
    }
    return v;
  }

  /**
   * One policy's calibration.
   *
   * @param policy the policy key as in the labels, e.g. {@code self_harm@3}
   * @param policyId the id without version, e.g. {@code self_harm}
   * @param units phase-1 sample units
   * @param goldUnits reviewed units
   * @param goldPositives reviewed units judged positive
   * @param phase2Strata the review sample's strata
   * @param corrected every estimator and the recommendation
   * @param quality the LLM's decision quality against gold
   * @param domains per value of each {@code --by} attribute
   * @param gold what the gold records say about their own making
   * @param raters agreement among raters and each rater's accuracy against gold, or {@code null}
   *     when no rater answers were given for this policy
   * @param truth the known prevalence (synthetic data), or NaN
   * @param signOff the verdict and its checks
   * @param goldQuality the rater-error model's account of the gold, or {@code null} when the gold has
   *     none ({@code plumb queue import --consensus error-model} writes it)
   * @param goldReuse gold reviewed under other versions of the policy and reused for this one, or
   *     {@code null} when all of it was reviewed under this version ({@code <gold>.reuse.json})
   * @param labelScores the labels' scores against gold (docs/calibration.md, "Label scores"), or
   *     {@code null} when no ok label of the policy carries a score
   */
  public record PolicyReport(
      String policy, String policyId, int units, int goldUnits, int goldPositives, List<String> phase2Strata,
      CorrectedPrevalence corrected, QualityReport quality, List<DomainReport> domains, GoldSummary gold,
      RaterReport raters, double truth, SignOff signOff, GoldQuality goldQuality, GoldReuse goldReuse,
      LabelScores labelScores) {
    public PolicyReport {
      phase2Strata = List.copyOf(phase2Strata);
      domains = List.copyOf(domains);
    }

    /** Without label scores. */
    public PolicyReport(
        String policy, String policyId, int units, int goldUnits, int goldPositives, List<String> phase2Strata,
        CorrectedPrevalence corrected, QualityReport quality, List<DomainReport> domains, GoldSummary gold,
        RaterReport raters, double truth, SignOff signOff, GoldQuality goldQuality, GoldReuse goldReuse) {
      this(policy, policyId, units, goldUnits, goldPositives, phase2Strata, corrected, quality, domains, gold, raters,
          truth, signOff, goldQuality, goldReuse, null);
    }

    /** Without a rater-error model. */
    public PolicyReport(
        String policy, String policyId, int units, int goldUnits, int goldPositives, List<String> phase2Strata,
        CorrectedPrevalence corrected, QualityReport quality, List<DomainReport> domains, GoldSummary gold,
        RaterReport raters, double truth, SignOff signOff) {
      this(policy, policyId, units, goldUnits, goldPositives, phase2Strata, corrected, quality, domains, gold, raters,
          truth, signOff, null, null, null);
    }
  }

  /**
   * Corrected prevalence within one domain.
   *
   * @param attribute the unit attribute ({@code --by})
   * @param value its value, {@code (none)} for units without it
   * @param units phase-1 units in the domain
   * @param goldUnits reviewed units in the domain
   * @param goldPositives reviewed positives in the domain
   */
  public record DomainReport(
      String attribute, String value, int units, int goldUnits, int goldPositives, CorrectedPrevalence corrected) {}

  /**
   * The gold records' own account of how they were made.
   *
   * @param methods consensus method → records
   * @param withRaters records that say how many raters answered
   * @param meanRaters mean raters per record among those (NaN when none)
   * @param meanAgreement mean share of raters choosing the gold decision (NaN when none say)
   * @param unanimous records whose agreement is 1
   * @param withAgreement records that carry {@code agreement}
   */
  public record GoldSummary(
      Map<String, Integer> methods, int withRaters, double meanRaters, double meanAgreement, int unanimous, int withAgreement) {
    public GoldSummary {
      methods = java.util.Collections.unmodifiableMap(new TreeMap<>(methods));
    }
  }

  /**
   * Raters of one policy, from their answers.
   *
   * @param answers answers of this policy read (honeypots included)
   * @param agreement agreement statistics over the non-honeypot answers that count (answers marked
   *     {@code excluded} — raters flagged on honeypots — left out); the sign-off's κ
   * @param accuracy each rater's agreement with the gold decision on reviewed units, Wilson
   *     interval; flagged below {@link #RATER_ACCURACY_BAR}
   * @param excluded the raters whose answers are marked excluded, sorted
   * @param agreementAll agreement over every non-honeypot answer, excluded ones included; null when
   *     none is excluded
   */
  public record RaterReport(int answers, AgreementSummary agreement, List<HoneypotScore> accuracy,
      List<String> excluded, AgreementSummary agreementAll) {
    public RaterReport {
      accuracy = List.copyOf(accuracy);
      excluded = List.copyOf(excluded);
    }
  }

  /**
   * Where the raters' answers came from and how each rater did on honeypots, from the files
   * {@code plumb queue import} writes beside the gold.
   *
   * @param answers the answers file read, or {@code null}
   * @param detected true when it was found beside the gold rather than given
   * @param honeypots per rater, accuracy on known-answer units (from {@code <gold>.raters.json})
   * @param ratersFile the file they came from, or {@code null}
   */
  public record RaterFiles(Path answers, boolean detected, List<HoneypotScore> honeypots, Path ratersFile) {
    public RaterFiles {
      honeypots = List.copyOf(honeypots);
    }
  }

  /**
   * What to calibrate.
   *
   * @param sample sample.jsonl
   * @param manifest sample.json
   * @param labels labels.jsonl
   * @param gold gold.jsonl
   * @param answers rater answers (JSON Lines, docs/formats.md "Answer"), or {@code null} to use
   *     {@code <gold>.answers.jsonl} beside the gold when it exists
   * @param truth truth.json of a synthetic data set, or {@code null}
   * @param by unit attributes to break estimates down by
   * @param options the estimators' settings
   * @param rules sign-off thresholds
   * @param rulesFile the file they came from, or {@code null} for the defaults
   * @param plumbVersion the tool's version line for provenance
   * @param created the report's timestamp
   * @param decisions policy key → decision id → positive, from the policy files, to check labels
   *     and gold against; empty to learn the decisions from the labels
   * @param expert the expert tier's gold (docs/review.md, "Expert tier"), or {@code null}
   * @param recalibrateScores the map to fit on gold for the labels' scores ({@code score-map.<policy>.json}
   *     beside the report), or {@code null} for none
   */
  public record Request(
      Path sample, Path manifest, Path labels, Path gold, Path answers, Path truth, List<String> by,
      CalibrationOptions options, SignOffRules rules, Path rulesFile, String plumbVersion, Instant created,
      Map<String, Map<String, Boolean>> decisions, Path expert, Recalibration recalibrateScores) {
    /** Without recalibrating label scores. */
    public Request(Path sample, Path manifest, Path labels, Path gold, Path answers, Path truth, List<String> by,
        CalibrationOptions options, SignOffRules rules, Path rulesFile, String plumbVersion, Instant created,
        Map<String, Map<String, Boolean>> decisions, Path expert) {
      this(sample, manifest, labels, gold, answers, truth, by, options, rules, rulesFile, plumbVersion, created,
          decisions, expert, null);
    }

    /** The same request, fitting {@code method}'s map to the labels' scores ({@code null}: none). */
    public Request withScoreRecalibration(Recalibration method) {
      return new Request(sample, manifest, labels, gold, answers, truth, by, options, rules, rulesFile, plumbVersion,
          created, decisions, expert, method);
    }

    /** Without an expert tier. */
    public Request(Path sample, Path manifest, Path labels, Path gold, Path answers, Path truth, List<String> by,
        CalibrationOptions options, SignOffRules rules, Path rulesFile, String plumbVersion, Instant created,
        Map<String, Map<String, Boolean>> decisions) {
      this(sample, manifest, labels, gold, answers, truth, by, options, rules, rulesFile, plumbVersion, created,
          decisions, null);
    }

    /** The same request with the expert tier's gold. */
    public Request withExpert(Path expert) {
      return new Request(sample, manifest, labels, gold, answers, truth, by, options, rules, rulesFile, plumbVersion,
          created, decisions, expert, recalibrateScores);
    }

    public Request {
      decisions = Map.copyOf(decisions);
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(labels, "labels");
      Objects.requireNonNull(gold, "gold");
      by = List.copyOf(by);
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(rules, "rules");
    }
  }

  /**
   * Reads the inputs, calibrates every policy that has gold and signs each off.
   *
   * @throws InputException for the first problem in any input, naming file, line and field
   */
  public static CalibrationReport build(Request r) {
    Map<String, PolicyData> data = CalibrationInput.read(r.sample(), r.manifest(), r.labels(), r.gold(), r.expert(),
        r.decisions());
    if (data.isEmpty()) {
      throw new InputException(Problem.of(r.gold() + ": no gold records; calibration needs reviewed units"));
    }
    DesignSample phase1 = data.values().iterator().next().sample().phase1();
    Map<String, Map<String, boolean[]>> breakdowns = new LinkedHashMap<>();
    for (String attribute : r.by()) {
      Map<String, boolean[]> domains = phase1.breakdown(attribute, r.sample());
      Map<String, boolean[]> named = new LinkedHashMap<>();
      domains.forEach((k, v) -> named.put(k == null ? "(none)" : k, v));
      breakdowns.put(attribute, named);
    }
    Map<String, GoldSummary> goldSummaries = goldSummaries(r.gold());
    RaterFiles raterFiles = raterFiles(r);
    Map<String, Map<String, Boolean>> reviewed = queueDecisions(r.gold());
    Map<String, List<Answer>> answers = raterFiles.answers() == null ? Map.of() : answers(raterFiles.answers(), phase1, data);
    Map<String, Double> truth = r.truth() == null ? Map.of() : truth(r.truth());
    List<String> notes = new ArrayList<>();
    Map<String, GoldReuse> reuse = GoldReuse.read(r.gold());
    Map<String, JsonNode> errorModels = GoldQuality.errorModels(r.gold().resolveSibling(
        r.gold().getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "") + ".raters.json"));
    if (r.expert() != null) {
      notes.add("gold corrected by the expert tier in " + r.expert() + ": each reviewed unit's gold is its expert"
          + " answer or its review stratum x consensus cell's expert rate (docs/calibration.md, \"Expert gold\")");
    }
    if (raterFiles.detected()) {
      notes.add("rater answers read from " + raterFiles.answers() + " beside the gold");
    }
    List<PolicyReport> policies = new ArrayList<>();
    double level = r.options().level();
    Map<String, LabelScores> scores = LabelScores.assess(r.labels(), r.gold(), phase1, data.keySet(), level,
        RELIABILITY_BINS, r.recalibrateScores());
    if (r.recalibrateScores() != null && scores.isEmpty()) {
      throw new InputException(Problem.of(r.labels() + ": no ok label of a calibrated policy carries a score;"
          + " there is nothing to recalibrate"));
    }
    for (PolicyData p : data.values()) {
      String id = PolicyKey.idOf(p.policy());
      CorrectedPrevalence corrected = Calibration.estimate(p.sample(), r.options());
      Map<String, Boolean> ordered = r.decisions().getOrDefault(p.policy(), reviewed.get(p.policy()));
      QualityReport quality = DecisionQuality.assess(p.judgements(),
          ordered == null ? DecisionScheme.learned(p.decisions()) : DecisionScheme.ofPolicy(ordered), level, RELIABILITY_BINS);
      List<DomainReport> domains = new ArrayList<>();
      breakdowns.forEach((attribute, values) -> values.forEach((value, domain) -> {
        int units = 0;
        for (boolean b : domain) {
          units += b ? 1 : 0;
        }
        int gold = 0;
        int positives = 0;
        for (Judgement j : p.judgements()) {
          if (domain[phase1.indexOf(j.unit()).getAsInt()]) {
            gold++;
            positives += j.goldPositive() ? 1 : 0;
          }
        }
        domains.add(new DomainReport(attribute, value, units, gold, positives,
            Calibration.estimate(p.sample(), domain, r.options())));
      }));
      RaterReport raters = raters(answers.get(p.policy()), p, quality.weighted().decisions().decisions(), level);
      double known = Double.NaN;
      if (r.truth() != null) {
        Double t = truth.get(id);
        if (t == null) {
          notes.add(r.truth() + " has no prevalence for policy " + id + ": coverage of " + p.policy() + " is not checked");
        } else {
          known = t;
        }
      }
      double kappa = raters == null || raters.agreement().pairable() == 0 ? Double.NaN : raters.agreement().fleissKappa();
      Rate sensitivity = quality.weighted().overall().sensitivity();
      // with an expert tier the probabilities are the expert phase's: the section shows only a vendor error model's rates
      GoldQuality goldQuality = r.expert() != null && errorModels.get(p.policy()) == null ? null
          : GoldQuality.of(errorModels.get(p.policy()), p.sample(), corrected.get(CorrectedEstimator.HUMAN_ONLY), r.options());
      if (goldQuality != null && r.expert() != null) {
        notes.add(p.policy() + " gold quality: the raters' rates are the vendor panel's; the estimate, what moved it and"
            + " the variance share are the expert tier's");
      }
      if (goldQuality != null) {
        goldQuality.warnings().forEach(w -> notes.add("WARN " + p.policy() + " gold quality: " + w));
      }
      GoldSummary goldSummary = goldSummaries.getOrDefault(p.policy(), new GoldSummary(Map.of(), 0, Double.NaN, Double.NaN, 0, 0));
      SignOff signOff = SignOff.evaluate(r.rules(), new SignOff.Facts(p.sample().goldSize(), p.sample().goldPositives(),
          kappa, sensitivity.estimate(), sensitivity.interval() == null ? Double.NaN : sensitivity.interval().lower(),
          sensitivity.effectiveN(), corrected.headline(), corrected.get(CorrectedEstimator.LLM_ONLY), quality,
          raters == null || raters.agreement().pairable() == 0 ? Double.NaN : raters.agreement().percent(),
          !p.sample().activeReview(), r.options().interval()),
          // an expert tier measures the vendor consensus's errors itself: no "not measured" warning then
          List.of(GoldQualityRule.of(r.rules().maxGoldErrorShift(), goldQuality, r.expert() == null ? goldSummary : null)));
      policies.add(new PolicyReport(p.policy(), id, phase1.size(), p.sample().goldSize(), p.sample().goldPositives(),
          p.sample().phase2Strata(), corrected, quality, domains,
          goldSummary,
          raters, known, signOff, goldQuality, reuse.get(p.policy()), scores.get(p.policy())));
      LabelScores ls = scores.get(p.policy());
      if (ls != null && ls.mapProblem() != null) {
        notes.add("WARN " + p.policy() + " label scores: not recalibrated: " + ls.mapProblem());
      }
      if (reuse.containsKey(p.policy())) {
        notes.add("REUSED " + reuse.get(p.policy()).message());
      }
    }
    for (String policy : answers.keySet()) {
      if (!data.containsKey(policy)) {
        notes.add(raterFiles.answers() + ": answers for policy " + policy + " have no gold and are not used");
      }
    }
    ObjectNode provenance = Provenance.of(r, raterFiles, data);
    return new CalibrationReport(r.created(), r.plumbVersion(), r.options(), r.rules(), policies, raterFiles, notes, provenance);
  }

  /** gold.jsonl → gold.answers.jsonl, gold.raters.json (the names plumb queue import writes). */
  private static RaterFiles raterFiles(Request r) {
    String stem = r.gold().getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    Path answers = r.answers();
    boolean detected = false;
    if (answers == null) {
      Path beside = r.gold().resolveSibling(stem + ".answers.jsonl");
      if (Files.isRegularFile(beside)) {
        answers = beside;
        detected = true;
      }
    }
    Path ratersFile = r.gold().resolveSibling(stem + ".raters.json");
    List<HoneypotScore> honeypots = Files.isRegularFile(ratersFile) ? honeypots(ratersFile) : List.of();
    return new RaterFiles(answers, detected, honeypots, honeypots.isEmpty() ? null : ratersFile);
  }

  /**
   * Policy key → decision → positive, in the policy's order, from the review queue that {@code
   * <gold>.raters.json} names: without {@code --policies} the report still shows the confusion
   * matrix and the decision lists in the order the raters saw (issue 14 item 4), not the
   * alphabetical order learned from the labels. Empty when there is no such file or queue, or the
   * queue cannot be read (it is provenance here, not an input: the gold was checked against it at
   * import).
   */
  private static Map<String, Map<String, Boolean>> queueDecisions(Path gold) {
    String stem = gold.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "");
    Path ratersFile = gold.resolveSibling(stem + ".raters.json");
    if (!Files.isRegularFile(ratersFile)) {
      return Map.of();
    }
    try {
      JsonNode queue = Json.read(ratersFile).get("queue");
      if (queue == null || !queue.isTextual()) {
        return Map.of();
      }
      // as import was given it: relative to where import ran, or (moved together) beside the gold
      Path dir = Path.of(queue.asText());
      if (!Files.isRegularFile(dir.resolve(Queue.MANIFEST)) && !dir.isAbsolute()) {
        dir = ratersFile.toAbsolutePath().getParent().resolve(dir.getFileName());
      }
      if (!Files.isRegularFile(dir.resolve(Queue.MANIFEST))) {
        return Map.of();
      }
      Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
      for (ReviewPolicy p : Queue.read(dir).policies()) {
        out.put(p.key(), p.decisions());
      }
      return out;
    } catch (InputException | java.nio.file.InvalidPathException e) {
      return Map.of();
    }
  }

  /** The honeypot scores of a plumb.raters/1 file: raters[].honeypots {answered, correct, accuracy, interval, flagged, reason}. */
  private static List<HoneypotScore> honeypots(Path file) {
    String source = file.toString();
    JsonNode root = Json.read(file);
    List<HoneypotScore> out = new ArrayList<>();
    int k = 0;
    for (JsonNode rater : root.path("raters")) {
      JsonNode h = rater.get("honeypots");
      String field = "raters[" + k++ + "].honeypots";
      if (h == null || !h.isObject()) {
        continue;
      }
      int answered = h.path("answered").asInt(-1);
      int correct = h.path("correct").asInt(-1);
      JsonNode i = h.path("interval");
      if (answered <= 0 || correct < 0 || correct > answered || !i.path("lower").isNumber() || !i.path("upper").isNumber()) {
        throw new InputException(Problem.of(source + ": " + field + ": expected answered > 0, 0 <= correct <= answered and an "
            + "interval {lower, upper}, found " + h));
      }
      out.add(new HoneypotScore(rater.path("rater").asText(), correct, answered, correct / (double) answered,
          new dev.plumb.calibration.stats.Interval(i.get("lower").asDouble(), i.get("upper").asDouble(),
              root.path("level").asDouble(0.95), i.path("method").asText("wilson"), false),
          h.path("flagged").asBoolean(false), h.path("reason").asText("")));
    }
    return out;
  }

  /** Agreement over the answers; {@code order} the policy's decisions in its order (for ordinal α). */
  private static RaterReport raters(List<Answer> answers, PolicyData p, List<String> order, double level) {
    if (answers == null || answers.isEmpty()) {
      return null;
    }
    List<Rating> ratings = new ArrayList<>();
    List<Rating> counted = new ArrayList<>();
    TreeSet<String> excluded = new TreeSet<>();
    for (Answer a : answers) {
      if (!a.honeypot()) {
        Rating rating = new Rating(a.unit(), a.rater(), a.decision());
        ratings.add(rating);
        if (a.excluded()) {
          excluded.add(a.rater());
        } else {
          counted.add(rating);
        }
      }
    }
    java.util.LinkedHashSet<String> categories = new java.util.LinkedHashSet<>(order);
    categories.addAll(new TreeSet<>(p.decisions().keySet()));
    ratings.forEach(x -> categories.add(x.category()));
    // the agreement the sign-off reads is among the raters whose answers made the gold; with raters
    // excluded (flagged on honeypots), the all-raters figure is kept beside it
    AgreementSummary summary = Agreement.summarize(Ratings.of(counted, categories), level);
    AgreementSummary all = excluded.isEmpty() ? null : Agreement.summarize(Ratings.of(ratings, categories), level);
    Map<String, String> gold = new LinkedHashMap<>();
    p.judgements().forEach(j -> gold.put(j.unit(), j.goldDecision()));
    List<HoneypotScore> accuracy = Honeypots.score(ratings, gold, RATER_ACCURACY_BAR, level);
    return new RaterReport(answers.size(), summary, accuracy, List.copyOf(excluded), all);
  }

  /** Answers by policy; every answer's unit must be in the sample and its decision one of the policy's. */
  private static Map<String, List<Answer>> answers(Path path, DesignSample phase1, Map<String, PolicyData> data) {
    List<Answer> all = Answers.read(path);
    Map<String, List<Answer>> out = new TreeMap<>();
    for (int i = 0; i < all.size(); i++) {
      Answer a = all.get(i);
      OptionalInt unit = phase1.indexOf(a.unit());
      PolicyData p = data.get(a.policy());
      if (unit.isEmpty() && !a.honeypot()) {
        throw new InputException(Problem.at(path.toString(), lineOf(path, i), "unit",
            "unit \"" + a.unit() + "\" is not in the sample"));
      }
      if (p != null && !p.decisions().containsKey(a.decision())) {
        throw new InputException(Problem.at(path.toString(), lineOf(path, i), "decision", "\"" + a.decision()
            + "\" is not a decision of policy " + a.policy() + " (known: " + String.join(", ", p.decisions().keySet()) + ")"));
      }
      out.computeIfAbsent(a.policy(), k -> new ArrayList<>()).add(a);
    }
    return out;
  }

  /** The line of the {@code index}-th record of a JSON Lines file (blank lines skipped). */
  private static int lineOf(Path path, int index) {
    int[] found = {0};
    int[] seen = {0};
    Jsonl.forEach(path, line -> {
      if (seen[0]++ == index) {
        found[0] = line.number();
      }
    });
    return found[0];
  }

  private static Map<String, GoldSummary> goldSummaries(Path gold) {
    Map<String, Map<String, Integer>> methods = new TreeMap<>();
    Map<String, double[]> sums = new TreeMap<>(); // withRaters, sumRaters, withAgreement, sumAgreement, unanimous
    GoldFile.forEach(gold, g -> {
      double[] s = sums.computeIfAbsent(g.policy(), k -> new double[5]);
      Map<String, Integer> m = methods.computeIfAbsent(g.policy(), k -> new TreeMap<>());
      if (g.method() != null) {
        m.merge(g.method(), 1, Integer::sum);
      }
      if (!Double.isNaN(g.raters())) {
        s[0]++;
        s[1] += g.raters();
      }
      if (!Double.isNaN(g.agreement())) {
        s[2]++;
        s[3] += g.agreement();
        if (g.agreement() >= 1 - 1e-9) {
          s[4]++;
        }
      }
    });
    Map<String, GoldSummary> out = new TreeMap<>();
    sums.forEach((policy, s) -> out.put(policy, new GoldSummary(methods.get(policy), (int) s[0],
        s[0] > 0 ? s[1] / s[0] : Double.NaN, s[2] > 0 ? s[3] / s[2] : Double.NaN, (int) s[4], (int) s[2])));
    return out;
  }

  /** truth.json: {"policies":{"self_harm":{"prevalence":0.0123,...}}} → id → prevalence. */
  static Map<String, Double> truth(Path path) {
    String source = path.toString();
    if (path.getFileName().toString().matches(".*\\.jsonl(\\.gz)?")) {
      // the per-unit truth beside it is what plumb queue simulate reads; easy to pass here by mistake
      throw new InputException(Problem.of(source + ": --truth takes the prevalence per policy (truth.json,"
          + " {\"policies\":{\"<id>\":{\"prevalence\":p}}}), not the per-unit truth JSON Lines that plumb queue simulate reads"));
    }
    JsonNode root = Json.read(path, "invalid JSON");
    JsonNode policies = root == null ? null : root.get("policies");
    if (policies == null || !policies.isObject()) {
      throw new InputException(Problem.of(source + ": policies: missing; expected {\"policies\":{\"<id>\":{\"prevalence\":p}}}"));
    }
    Map<String, Double> out = new TreeMap<>();
    policies.fields().forEachRemaining(e -> {
      JsonNode p = e.getValue().get("prevalence");
      if (p == null || !p.isNumber() || !(p.asDouble() >= 0 && p.asDouble() <= 1)) {
        throw new InputException(Problem.of(source + ": policies." + e.getKey() + ".prevalence: expected a number in [0, 1], found "
            + (p == null ? "nothing" : p.toString())));
      }
      out.put(e.getKey(), p.asDouble());
    });
    return out;
  }
}
