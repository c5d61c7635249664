package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.agreement.Agreement;
import dev.plumb.calibration.agreement.AgreementSummary;
import dev.plumb.calibration.agreement.HoneypotScore;
import dev.plumb.calibration.agreement.Honeypots;
import dev.plumb.calibration.agreement.RaterPair;
import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.calibration.review.DawidSkene;
import dev.plumb.calibration.review.DawidSkeneFit;
import dev.plumb.calibration.review.UnitConsensus;
import dev.plumb.calibration.gold.RaterErrorFit;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code plumb queue import}: raters' answers + the queue manifest → gold records with their
 * phase-2 inclusion probabilities (docs/review.md, docs/formats.md "Gold").
 *
 * <p>Checks, each a one-line error: unknown item or unit, unknown policy, decision or category, a
 * rater outside the queue or not assigned the item, a rater answering an item × policy twice, and
 * missing answers (every assigned rater must answer every policy of every item; without a rater
 * list, every item × policy needs an answer). Consensus per item × policy by majority or
 * Dawid–Skene (fitted on every item, honeypots included). A tie goes to the adjudication file
 * beside the gold; until it is decided (pass the filled-in file back with {@code adjudicated}) the
 * tied unit is left out and its stratum's π2 becomes (reviewed − tied)/N_g for that policy, i.e.
 * the tied units are treated as missing at random within their stratum.
 */
public final class QueueImport {
  private QueueImport() {}

  /**
   * @param answers vendor CSV files and/or Label Studio JSON exports
   * @param queueDir the queue directory (queue.json)
   * @param out gold.jsonl; the adjudication, raters and answers files go beside it
   * @param method consensus method
   * @param adjudicated a filled-in adjudication file, or null
   * @param level confidence level of the Wilson and Cohen intervals
   * @param keepFlagged count the answers of raters the honeypots flag (default: they are excluded
   *     from the consensus and the agreement statistics, and kept in the answers file marked
   *     {@code excluded})
   */
  public record Request(List<Path> answers, Path queueDir, Path out, ConsensusMethod method, Path adjudicated,
      double level, boolean keepFlagged, DecisionMap decisionMap) {
    public Request {
      answers = List.copyOf(answers);
      decisionMap = decisionMap == null ? DecisionMap.NONE : decisionMap;
    }

    /** Decisions read as written. */
    public Request(List<Path> answers, Path queueDir, Path out, ConsensusMethod method, Path adjudicated,
        double level, boolean keepFlagged) {
      this(answers, queueDir, out, method, adjudicated, level, keepFlagged, DecisionMap.NONE);
    }

    /** Flagged raters excluded (the default). */
    public Request(List<Path> answers, Path queueDir, Path out, ConsensusMethod method, Path adjudicated, double level) {
      this(answers, queueDir, out, method, adjudicated, level, false);
    }
  }

  /**
   * One policy's outcome.
   *
   * @param unanswered reviewed units left out because only excluded (flagged) raters answered them
   * @param agreement agreement among the raters whose answers count (flagged raters excluded)
   * @param agreementAll agreement among all raters, flagged ones included; null when none is excluded
   */
  public record PolicyResult(String policy, int gold, int positives, int ties, int adjudicated, int unanswered,
      AgreementSummary agreement, AgreementSummary agreementAll) {}

  /**
   * What was written.
   *
   * @param excluded the raters whose answers did not count (flagged by the honeypots), sorted
   */
  public record Result(int answers, int items, int honeypots, List<PolicyResult> policies, List<HoneypotScore> raters,
      List<String> excluded, Path gold, Path adjudication, Path ratersFile, Path answersFile) {}

  public static Result run(Request r) {
    if (r.answers().isEmpty()) {
      throw new InputException("no answer files; pass --answers FILE");
    }
    Queue q = Queue.read(r.queueDir());
    r.decisionMap().check(q);
    return run(r, q, AnswerFiles.readAll(r.answers(), q, r.decisionMap()), null);
  }

  /**
   * What a merge of a sequential review's rounds ({@link RoundErrorModel}) adds to an import of their
   * union queue, whose item ids are {@code rK-ITEM} because ids repeat from round to round.
   *
   * @param round union item id → its round K
   * @param item union item id → its id in round K's queue, which the gold, answers and adjudication
   *     files carry (with {@code round}) so that they name what the user saw in that round's files
   * @param decided policy key → union item id → an adjudicator's decision (a round's or the merge's
   *     own adjudication file): it decides the item whether or not the union's consensus ties it, as
   *     the adjudicator has seen the item and the union's model only moves the posterior
   */
  record Rounds(Map<String, Integer> round, Map<String, String> item, Map<String, Map<String, String>> decided) {
    Rounds {
      round = Map.copyOf(round);
      item = Map.copyOf(item);
      decided = Map.copyOf(decided);
    }
  }

  /**
   * The import of answers already read against queue {@code q} ({@code r.queueDir()} only names the
   * sample for the error model's prior and the raters file): {@link RoundGold} imports a sequential
   * review's rounds as one queue with it.
   */
  static Result run(Request r, Queue q, List<QueueAnswer> answers, Rounds rounds) {
    Map<String, QueueAnswer> seen = checkTwice(answers);
    Map<String, List<QueueAnswer>> byPair = new HashMap<>();
    for (QueueAnswer a : answers) {
      byPair.computeIfAbsent(pair(a.item().item(), a.policy().key()), k -> new ArrayList<>()).add(a);
    }
    checkMissing(q, seen, byPair, r.answers().get(0).toString());
    Map<String, Map<String, String>> adjudicated = rounds != null ? rounds.decided()
        : r.adjudicated() == null ? Map.of() : Adjudication.read(r.adjudicated(), q);
    Outputs out = new Outputs(r.out(), rounds);

    List<HoneypotScore> scores = scoreHoneypots(q, answers, r.level());
    // Raters the honeypots flag do not count: their answers stay in the answers file (marked
    // excluded) and in the all-raters agreement, but not in the consensus or the agreement the
    // sign-off reads.
    Set<String> excluded = new TreeSet<>();
    if (!r.keepFlagged()) {
      scores.stream().filter(HoneypotScore::flagged).forEach(s -> excluded.add(s.rater()));
    }
    Set<String> reviewing = new TreeSet<>();
    answers.stream().filter(a -> !a.item().honeypot()).forEach(a -> reviewing.add(a.rater()));
    if (!reviewing.isEmpty() && excluded.containsAll(reviewing)) {
      // nothing would count: every unit would go to adjudication (or, with the error model, there
      // would be nothing to fit); when the whole panel fails the honeypots the key is the suspect
      throw new InputException(Problem.of(r.answers().get(0) + ": every rater who answered a reviewed item was flagged"
          + " on the honeypots (" + String.join(", ", reviewing) + "; bar " + q.raterBar() + "), so no answer counts;"
          + " check the honeypots' known answers (a wrong key flags everyone), or import with --keep-flagged"));
    }
    List<PolicyResult> results = new ArrayList<>();
    for (ReviewPolicy p : q.policies()) {
      results.add(policy(r, q, p, answers, excluded, byPair, adjudicated.getOrDefault(p.key(), Map.of()), out));
    }

    AtomicOutput.write(out.adjudicationFile, out.ties.toString());
    AtomicOutput.write(out.ratersFile, Json.pretty(ratersJson(r, q, answers, scores, excluded, out)));
    AtomicOutput.write(out.answersFile, answersLines(answers, excluded, out));
    if (out.problem != null) {
      throw new InputException(Problem.of(out.problem));
    }
    AtomicOutput.write(r.out(), out.gold.toString());
    int realItems = (int) q.items().stream().filter(i -> !i.honeypot()).count();
    int pots = q.items().size() - realItems;
    return new Result(answers.size(), realItems, pots, results, scores, List.copyOf(excluded), r.out(),
        out.adjudicationFile, out.ratersFile, out.answersFile);
  }

  /** What the steps write, gathered until the end so that nothing is half-written on an error. */
  /**
   * Every file an import writes for the gold file {@code gold}: itself, then beside it {@code
   * STEM.adjudication.csv}, {@code STEM.raters.json} and {@code STEM.answers.jsonl} (STEM is its name
   * without {@code .jsonl}). Commands check these against their inputs before running.
   */
  public static List<Path> files(Path gold) {
    List<Path> all = new ArrayList<>(List.of(gold));
    all.addAll(besideGold(gold));
    return List.copyOf(all);
  }

  private static List<Path> besideGold(Path gold) {
    return List.of(beside(gold, ".adjudication.csv"), beside(gold, ".raters.json"), beside(gold, ".answers.jsonl"));
  }

  /** The file import writes beside {@code gold} with {@code suffix}: {@code STEM.raters.json} for {@code STEM.jsonl}. */
  static Path beside(Path gold, String suffix) {
    return gold.resolveSibling(gold.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.jsonl$", "")
        + suffix);
  }

  private static final class Outputs {
    final Path adjudicationFile;
    final Path ratersFile;
    final Path answersFile;
    /** A merge of rounds: items written by their round's id; null for one queue. */
    final Rounds rounds;
    final StringBuilder gold = new StringBuilder();
    final StringBuilder ties = new StringBuilder();
    final ObjectNode agreement = Json.object();
    final ObjectNode agreementAll = Json.object();
    final ObjectNode dawidSkene = Json.object();
    final ObjectNode errorModel = Json.object();
    /** Per rater: answers compared with the gold, and agreeing. */
    final Map<String, int[]> raterAgreement = new TreeMap<>();
    /** The first policy with a phase-2 stratum left without consensus: gold is not written. */
    String problem;

    Outputs(Path gold, Rounds rounds) {
      List<Path> beside = besideGold(gold);
      adjudicationFile = beside.get(0);
      ratersFile = beside.get(1);
      answersFile = beside.get(2);
      this.rounds = rounds;
      List<String> header = new ArrayList<>(List.of("item", "unit", "policy", "candidates", "votes", "rater",
          "decision", "category"));
      if (rounds != null) {
        header.add("round");
      }
      Csv.row(ties, header);
    }

    /** The item's id as the user saw it: the queue's, or in a merge of rounds its round's queue's. */
    String item(Queue.Item i) {
      return rounds == null ? i.item() : rounds.item().get(i.item());
    }

    /** Writes {@code item} (and, in a merge of rounds, {@code round}) last in a record. */
    void name(ObjectNode o, Queue.Item i) {
      o.put("item", item(i));
      if (rounds != null) {
        o.put("round", rounds.round().get(i.item()));
      }
    }
  }

  /** A reviewed item's gold decision, by consensus or adjudication. */
  private record Resolved(Queue.Item item, String decision, int raters, double agreement, Double probability,
      boolean adjudicated) {}

  /** Per rater, the first answer of each item × policy; a second one is an error. */
  private static Map<String, QueueAnswer> checkTwice(List<QueueAnswer> answers) {
    Map<String, QueueAnswer> seen = new HashMap<>();
    for (QueueAnswer a : answers) {
      QueueAnswer first = seen.putIfAbsent(key(a.item().item(), a.policy().key(), a.rater()), a);
      if (first != null) {
        Problem w = a.where();
        throw new InputException(new Problem(w.source(), w.line(), w.column(), w.field(), "rater \"" + a.rater()
            + "\" answered item " + a.item().item() + " for policy " + a.policy().key() + " twice (first at "
            + first.location() + ")"));
      }
    }
    return seen;
  }

  /** Honeypots: one rating per (item, policy), scored against the known answer. */
  private static List<HoneypotScore> scoreHoneypots(Queue q, List<QueueAnswer> answers, double level) {
    Map<String, String> truth = new HashMap<>();
    for (Queue.Item item : q.items()) {
      if (item.honeypot()) {
        item.known().forEach((policy, k) -> truth.put(pair(item.item(), policy), k.decision()));
      }
    }
    List<Rating> potRatings = new ArrayList<>();
    for (QueueAnswer a : answers) {
      if (a.item().honeypot()) {
        potRatings.add(new Rating(pair(a.item().item(), a.policy().key()), a.rater(), a.decision()));
      }
    }
    return Honeypots.score(potRatings, truth, q.raterBar(), level);
  }

  /** One policy: consensus, adjudication, π2, its gold lines and agreement. */
  private static PolicyResult policy(Request r, Queue q, ReviewPolicy p, List<QueueAnswer> answers,
      Set<String> excluded, Map<String, List<QueueAnswer>> byPair, Map<String, String> decided, Outputs out) {
    List<Rating> all = new ArrayList<>();
    List<Rating> real = new ArrayList<>();
    List<Rating> realAll = new ArrayList<>();
    for (QueueAnswer a : answers) {
      if (a.policy() == p) {
        Rating rating = new Rating(a.item().item(), a.rater(), a.decision());
        boolean counts = !excluded.contains(a.rater());
        if (counts) {
          all.add(rating);
        }
        if (!a.item().honeypot()) {
          realAll.add(rating);
          if (counts) {
            real.add(rating);
          }
        }
      }
    }
    Ratings ratings = Ratings.of(all, p.decisions().keySet());
    List<UnitConsensus> consensus;
    RaterErrorFit errorFit = null;
    if (r.method() == ConsensusMethod.ERROR_MODEL) {
      List<QueueAnswer> counted = excluded.isEmpty() ? answers
          : answers.stream().filter(a -> !excluded.contains(a.rater())).toList();
      errorFit = ErrorModelConsensus.fit(q, ErrorModelConsensus.Weights.read(r.queueDir()), p, counted,
          r.answers().get(0).toString());
      consensus = ErrorModelConsensus.consensus(p, errorFit, counted);
      out.errorModel.set(p.key(), ErrorModelConsensus.json(errorFit));
    } else if (r.method() == ConsensusMethod.DAWID_SKENE) {
      DawidSkeneFit fit = DawidSkene.fit(ratings, DawidSkene.Options.defaults());
      consensus = fit.consensus();
      out.dawidSkene.set(p.key(), dawidSkene(fit, ratings));
    } else {
      consensus = r.method().consensus(ratings);
    }
    Map<String, UnitConsensus> byItem = new HashMap<>();
    consensus.forEach(c -> byItem.put(c.unit(), c));

    // Resolve each reviewed item; count resolved units per stratum for π2.
    Map<String, Integer> resolved = new HashMap<>();
    List<Resolved> records = new ArrayList<>();
    int tieCount = 0;
    int adjCount = 0;
    int unanswered = 0;
    for (Queue.Item item : q.items()) {
      if (item.honeypot()) {
        continue;
      }
      UnitConsensus c = byItem.get(item.item());
      if (c == null) {
        // every rater of this item was excluded: no gold; missing at random within its stratum, like a tie
        unanswered++;
        continue;
      }
      Resolved done = resolve(r, p, item, c, decided, out);
      if (done == null) {
        tieCount++;
        continue;
      }
      adjCount += done.adjudicated() ? 1 : 0;
      resolved.merge(item.stratum(), 1, Integer::sum);
      records.add(done);
    }
    Map<String, Double> pi2 = new HashMap<>();
    for (Queue.Stratum st : q.strata()) {
      int got = resolved.getOrDefault(st.id(), 0);
      if (st.units() > 0 && got == 0 && out.problem == null) {
        out.problem = p.key() + ": no reviewed unit of phase-2 stratum " + st.id() + " has a consensus (" + tieCount
            + " ties" + (unanswered > 0 ? ", " + unanswered + " answered only by flagged raters" : "")
            + "); decide them in " + out.adjudicationFile + " and import again with --adjudicated";
      }
      pi2.put(st.id(), GoldDesign.ACTIVE.equals(st.id()) ? (got == st.n() ? 1 : got / (double) st.n())
          : got == st.n() ? st.pi() : got / (double) st.units());
    }
    int positives = 0;
    for (Resolved rec : records) {
      positives += goldLine(r, p, rec, pi2, byPair, excluded, errorFit, out) ? 1 : 0;
    }
    AgreementSummary summary = real.isEmpty() ? null
        : Agreement.summarize(Ratings.of(real, p.decisions().keySet()), r.level());
    AgreementSummary summaryAll = excluded.isEmpty() || realAll.isEmpty() ? null
        : Agreement.summarize(Ratings.of(realAll, p.decisions().keySet()), r.level());
    if (summary != null) {
      out.agreement.set(p.key(), agreement(summary));
    }
    if (summaryAll != null) {
      out.agreementAll.set(p.key(), agreement(summaryAll));
    }
    return new PolicyResult(p.key(), records.size(), positives, tieCount, adjCount, unanswered, summary, summaryAll);
  }

  /** The item's gold decision, or null for a tie not yet adjudicated (then a row of the adjudication file). */
  private static Resolved resolve(Request r, ReviewPolicy p, Queue.Item item, UnitConsensus c,
      Map<String, String> decided, Outputs out) {
    if (c instanceof UnitConsensus.Decided d) {
      String adj = decided.get(item.item());
      if (adj != null && out.rounds != null) {
        // a round's adjudication stands in the merge though the union's consensus no longer ties the item
        return new Resolved(item, adj, c.raters(), c.votes().getOrDefault(adj, 0) / (double) c.raters(), null, true);
      }
      if (adj != null) {
        throw new InputException(Problem.of(r.adjudicated() + ": item " + item.item() + " policy " + p.key()
            + " is not tied (consensus: " + d.decision() + "); only ties are adjudicated"));
      }
      return new Resolved(item, d.decision(), c.raters(), d.agreement(),
          r.method() != ConsensusMethod.MAJORITY ? d.probability() : null, false);
    }
    UnitConsensus.Tied t = (UnitConsensus.Tied) c;
    String adj = decided.get(item.item());
    if (adj == null) {
      List<String> row = new ArrayList<>(List.of(out.item(item), item.unit(), p.key(),
          String.join("|", t.candidates()), votes(t.votes()), "", "", ""));
      if (out.rounds != null) {
        row.add(String.valueOf(out.rounds.round().get(item.item())));
      }
      Csv.row(out.ties, row);
      return null;
    }
    return new Resolved(item, adj, c.raters(), t.votes().getOrDefault(adj, 0) / (double) t.raters(), null, true);
  }

  /**
   * Appends the item's gold record (with the error model's probabilities when there is one) and every
   * rater's agreement with it; whether it is positive.
   */
  private static boolean goldLine(Request r, ReviewPolicy p, Resolved rec, Map<String, Double> pi2,
      Map<String, List<QueueAnswer>> byPair, Set<String> excluded, RaterErrorFit errorFit, Outputs out) {
    Queue.Item item = rec.item();
    String decision = rec.decision();
    boolean positive = p.decisions().get(decision);
    ObjectNode g = Json.object();
    g.put("unit", item.unit());
    g.put("policy", p.key());
    g.put("decision", decision);
    g.put("positive", positive);
    List<QueueAnswer> answered = byPair.getOrDefault(pair(item.item(), p.key()), List.of());
    String category = positive
        ? category(answered.stream().filter(a -> !excluded.contains(a.rater())).toList(), p, decision) : null;
    if (category != null) {
      g.put("category", category);
    }
    g.put("method", r.method().label());
    g.put("raters", rec.raters());
    g.put("agreement", round(rec.agreement()));
    if (rec.probability() != null) {
      g.put("probability", round(rec.probability()));
    }
    if (rec.adjudicated()) {
      g.put("adjudicated", true);
    }
    // an active (Poisson) review keeps each unit's own π2, scaled by the stratum's share answered
    double pi = GoldDesign.ACTIVE.equals(item.stratum()) ? item.pi() * pi2.get(item.stratum()) : pi2.get(item.stratum());
    g.putObject("phase2").put("stratum", item.stratum()).put("pi", pi);
    if (errorFit != null) {
      ErrorModelConsensus.annotate(g, item.item(), errorFit);
    }
    out.name(g, item);
    out.gold.append(Json.line(g)).append('\n');
    // every rater's agreement with the gold, the excluded ones' too (that is how they look)
    for (QueueAnswer a : answered) {
      int[] t = out.raterAgreement.computeIfAbsent(a.rater(), k -> new int[2]);
      t[0]++;
      t[1] += a.decision().equals(decision) ? 1 : 0;
    }
    return positive;
  }

  /** The answers file: every answer, the excluded raters' marked. */
  private static String answersLines(List<QueueAnswer> answers, Set<String> excluded, Outputs out) {
    StringBuilder answersOut = new StringBuilder();
    for (QueueAnswer a : answers) {
      ObjectNode o = Json.object();
      o.put("unit", a.item().unit());
      o.put("policy", a.policy().key());
      o.put("rater", a.rater());
      o.put("decision", a.decision());
      o.put("category", a.category());
      o.put("at", a.at());
      o.put("honeypot", a.item().honeypot());
      if (excluded.contains(a.rater())) {
        o.put("excluded", true);
      }
      out.name(o, a.item());
      answersOut.append(Json.line(o)).append('\n');
    }
    return answersOut.toString();
  }

  /** The raters file ({@code plumb.raters/1}): per rater its answers, honeypot score and agreement with the gold. */
  private static ObjectNode ratersJson(Request r, Queue q, List<QueueAnswer> answers, List<HoneypotScore> scores,
      Set<String> excluded, Outputs out) {
    ObjectNode raters = Json.object();
    raters.put("format", "plumb.raters/1");
    raters.put("queue", r.queueDir().toString());
    raters.put("consensus", r.method().label());
    raters.put("bar", q.raterBar());
    raters.put("level", r.level());
    ArrayNode list = raters.putArray("raters");
    Map<String, HoneypotScore> scoreOf = new HashMap<>();
    scores.forEach(s -> scoreOf.put(s.rater(), s));
    Map<String, Integer> answered = new TreeMap<>();
    answers.forEach(a -> answered.merge(a.rater(), 1, Integer::sum));
    for (String rater : answered.keySet()) {
      ObjectNode o = list.addObject();
      o.put("rater", rater);
      o.put("answers", answered.get(rater));
      int[] t = out.raterAgreement.getOrDefault(rater, new int[2]);
      num(o, "agrees_with_gold", t[0] == 0 ? Double.NaN : t[1] / (double) t[0]);
      HoneypotScore s = scoreOf.get(rater);
      if (s != null) {
        ObjectNode h = o.putObject("honeypots");
        h.put("answered", s.answered());
        h.put("correct", s.correct());
        num(h, "accuracy", s.accuracy());
        h.putObject("interval").put("method", s.interval().method())
            .put("lower", round(s.interval().lower())).put("upper", round(s.interval().upper()));
        h.put("flagged", s.flagged());
        if (s.flagged()) {
          h.put("reason", s.reason());
        }
      }
      o.put("flagged", s != null && s.flagged());
      o.put("excluded", excluded.contains(rater));
    }
    ArrayNode ex = raters.putArray("excluded");
    excluded.forEach(ex::add);
    raters.set("agreement", out.agreement);
    if (!excluded.isEmpty()) {
      raters.set("agreement_all", out.agreementAll);
    }
    if (r.method() == ConsensusMethod.DAWID_SKENE) {
      raters.set("dawid_skene", out.dawidSkene);
    }
    if (r.method() == ConsensusMethod.ERROR_MODEL) {
      raters.set("error_model", out.errorModel);
    }
    return raters;
  }

  private static void checkMissing(Queue q, Map<String, QueueAnswer> seen, Map<String, List<QueueAnswer>> byPair,
      String source) {
    int missing = 0;
    String first = null;
    for (Queue.Item item : q.items()) {
      for (ReviewPolicy p : q.policies()) {
        if (item.raters().isEmpty()) {
          if (!byPair.containsKey(pair(item.item(), p.key()))) {
            missing++;
            first = first == null ? "item " + item.item() + ", policy " + p.key() : first;
          }
          continue;
        }
        for (String rater : item.raters()) {
          if (!seen.containsKey(key(item.item(), p.key(), rater))) {
            missing++;
            first = first == null ? "rater " + rater + ", item " + item.item() + ", policy " + p.key() : first;
          }
        }
      }
    }
    if (missing > 0) {
      throw new InputException(Problem.of(source + ": " + missing + " answer" + (missing == 1 ? " is" : "s are")
          + " missing (first: " + first + "); " + (q.raters().isEmpty()
              ? "every item needs at least one answer for every policy"
              : "every assigned rater must answer every policy of every item")));
    }
  }

  /** The most common category among the raters who chose the gold decision; ties go to the policy's order. */
  private static String category(List<QueueAnswer> answers, ReviewPolicy p, String decision) {
    Map<String, Integer> count = new LinkedHashMap<>();
    for (QueueAnswer a : answers) {
      if (a.decision().equals(decision) && a.category() != null) {
        count.merge(a.category(), 1, Integer::sum);
      }
    }
    String best = null;
    int top = 0;
    List<String> order = new ArrayList<>(p.categories());
    count.keySet().stream().filter(c -> !order.contains(c)).sorted().forEach(order::add);
    for (String c : order) {
      int n = count.getOrDefault(c, 0);
      if (n > top) {
        top = n;
        best = c;
      }
    }
    return best;
  }

  private static String votes(Map<String, Integer> votes) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(votes).forEach((d, n) -> parts.add(d + "=" + n));
    return String.join(" ", parts);
  }

  private static ObjectNode agreement(AgreementSummary s) {
    ObjectNode o = Json.object();
    o.put("units", s.units());
    o.put("pairable", s.pairable());
    o.put("raters", s.raters());
    o.put("ratings", s.ratings());
    num(o, "percent", s.percent());
    num(o, "fleiss_kappa", s.fleissKappa());
    num(o, "krippendorff_alpha", s.krippendorffAlpha());
    num(o, "gwet_ac1", s.gwetAc1());
    ArrayNode pairs = o.putArray("pairs");
    for (RaterPair pair : s.pairs()) {
      ObjectNode po = pairs.addObject();
      po.put("a", pair.a());
      po.put("b", pair.b());
      po.put("n", (int) pair.kappa().n());
      num(po, "kappa", pair.kappa().kappa());
      num(po, "se", pair.kappa().se());
      if (pair.kappa().interval() != null) {
        num(po, "lower", pair.kappa().interval().lower());
        num(po, "upper", pair.kappa().interval().upper());
      }
    }
    return o;
  }

  private static ObjectNode dawidSkene(DawidSkeneFit fit, Ratings ratings) {
    ObjectNode o = Json.object();
    o.put("converged", fit.converged());
    o.put("iterations", fit.iterations());
    ObjectNode priors = o.putObject("priors");
    fit.classes().forEach(c -> num(priors, c, fit.prior(c)));
    ObjectNode conf = o.putObject("confusion");
    for (String rater : ratings.raters()) {
      ObjectNode ro = conf.putObject(rater);
      for (String truth : fit.classes()) {
        ObjectNode to = ro.putObject(truth);
        for (String answer : fit.classes()) {
          num(to, answer, fit.confusion(rater, truth, answer));
        }
      }
    }
    return o;
  }

  static void num(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, round(v));
    } else {
      o.putNull(key);
    }
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static String key(String item, String policy, String rater) {
    return pair(item, policy) + "\u0000" + rater;
  }

  private static String pair(String item, String policy) {
    return item + "\u0000" + policy;
  }
}
