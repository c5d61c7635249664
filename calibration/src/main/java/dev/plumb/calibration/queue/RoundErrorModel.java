package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Error-model gold of a sequential review's rounds as one import ({@link RoundGold#rounds}): every
 * round's queue ({@code queue} in its raters file) and answers ({@code STEM.answers.jsonl}, as its
 * import read them) joined into one queue whose strata hold every round's units with the cumulative
 * π2, then {@link QueueImport} of that queue with {@code --consensus error-model}. The union's items
 * are {@code rK-ITEM} inside (ids repeat from round to round) and are written as {@code item} ITEM
 * with {@code round} K; every round's adjudications (its gold's {@code adjudicated} records) and the
 * merge's own adjudication files decide their items in the union too.
 */
final class RoundErrorModel {
  private RoundErrorModel() {}

  /**
   * The consensus a round's gold was imported with ({@code consensus} in its raters file), or null
   * when it has no raters file (gold not written by {@code queue import}).
   */
  static String consensus(Path gold) {
    Path raters = QueueImport.beside(gold, ".raters.json");
    return Files.isRegularFile(raters) ? Json.read(raters).path("consensus").asText() : null;
  }

  /**
   * @param adjudicated filled-in adjudication files for the union (a round's, or the merge's own
   *     {@code .adjudication.csv}), rows matched to their round by {@code unit}; a later file's
   *     decision replaces an earlier one's or a round's
   */
  static QueueImport.Result importRounds(List<Path> golds, List<Path> adjudicated, Path out) {
    List<Queue.Item> items = new ArrayList<>();
    List<QueueAnswer> answers = new ArrayList<>();
    List<Path> answerFiles = new ArrayList<>();
    Map<String, Queue.Stratum> strata = new LinkedHashMap<>();
    Set<String> raters = new LinkedHashSet<>();
    Map<String, Integer> roundOf = new LinkedHashMap<>();
    Map<String, String> idOf = new LinkedHashMap<>();
    Map<String, Map<String, String>> decided = new LinkedHashMap<>();
    Queue first = null;
    Path queueDir = null;
    double level = 0;
    boolean keepFlagged = false;
    for (int k = 1; k <= golds.size(); k++) {
      Path gold = golds.get(k - 1);
      Path ratersFile = QueueImport.beside(gold, ".raters.json");
      Path answersFile = QueueImport.beside(gold, ".answers.jsonl");
      if (!Files.isRegularFile(ratersFile) || !Files.isRegularFile(answersFile)) {
        throw new InputException(Problem.of(gold + ": error-model gold of a sequential review is merged from every"
            + " round's answers, but " + (Files.isRegularFile(ratersFile) ? answersFile : ratersFile)
            + " (written by its queue import) is not there"));
      }
      JsonNode r = Json.read(ratersFile);
      queueDir = Path.of(r.path("queue").asText());
      if (!queueDir.isAbsolute() && !Files.isDirectory(queueDir) && gold.toAbsolutePath().getParent() != null) {
        // imported with a relative --queue from elsewhere: the queue beside the gold, as plumb run lays it out
        queueDir = gold.toAbsolutePath().getParent().resolve(queueDir);
      }
      Queue q = Queue.read(queueDir);
      first = first == null ? q : first;
      level = r.path("level").asDouble();
      for (JsonNode rater : r.path("raters")) {
        // flagged and still counted: that round was imported with --keep-flagged
        keepFlagged |= rater.path("flagged").asBoolean() && !rater.path("excluded").asBoolean();
      }
      // item ids repeat from round to round (q-0001 …): rK-ITEM keeps them apart
      String prefix = "r" + k + "-";
      Map<String, Queue.Item> renamed = new LinkedHashMap<>();
      for (Queue.Item i : q.items()) {
        Queue.Item item = new Queue.Item(prefix + i.item(), i.unit(), i.honeypot(), i.stratum(), i.pi(), i.raters(),
            i.known());
        renamed.put(i.item(), item);
        items.add(item);
        roundOf.put(item.item(), k);
        idOf.put(item.item(), i.item());
      }
      raters.addAll(q.raters());
      for (Queue.Stratum s : q.strata()) {
        // N_h is the sample's; n adds up over the rounds; the last round's π2 is the cumulative one
        Queue.Stratum before = strata.get(s.id());
        strata.put(s.id(), new Queue.Stratum(s.id(), s.units(), s.n() + (before == null ? 0 : before.n()), s.pi()));
      }
      // the import matches answers to a policy by identity: every round's answers get round 1's
      Queue round = q;
      Queue one = first;
      Path dir = queueDir;
      Jsonl.forEach(answersFile, line -> answers.add(answer(line, answersFile, dir, round, one, renamed)));
      answerFiles.add(answersFile);
      int kk = k;
      Jsonl.forEach(gold, line -> adjudication(line, gold, kk, dir, round, one, renamed, decided));
    }
    Queue union = new Queue(first.seed(), first.design(), first.policies(), List.copyOf(strata.values()),
        List.copyOf(raters), first.overlap(), first.raterBar(), items);
    String queues = "round's queue (rounds 1-" + golds.size() + ")";
    for (Path file : adjudicated) {
      Adjudication.readByUnit(file, union, queues).forEach((policy, byItem) ->
          decided.computeIfAbsent(policy, x -> new LinkedHashMap<>()).putAll(byItem));
    }
    QueueImport.Request request = new QueueImport.Request(answerFiles, queueDir, out, ConsensusMethod.ERROR_MODEL,
        null, level, keepFlagged);
    return QueueImport.run(request, union, answers, new QueueImport.Rounds(roundOf, idOf, decided));
  }

  /**
   * A round's gold record decided by an adjudicator ({@code adjudicated: true}, written when the round
   * was imported with {@code --adjudicated}): its decision, under the union's item id.
   */
  private static void adjudication(Jsonl.Line line, Path gold, int k, Path dir, Queue q, Queue first,
      Map<String, Queue.Item> renamed, Map<String, Map<String, String>> decided) {
    ObjectNode o = line.node();
    if (!o.path("adjudicated").asBoolean()) {
      return;
    }
    Queue.Item item = renamed.get(o.path("item").asText());
    if (item == null || item.honeypot()) {
      throw new InputException(Problem.at(gold.toString(), line.number(), "item", "adjudicated item \""
          + o.path("item").asText() + "\" is not a reviewed item of round " + k + "'s queue " + dir
          + "; the gold and the queue its raters file names must be the same round's"));
    }
    ReviewPolicy p = q.policy(o.path("policy").asText()) == null ? null : first.policy(o.path("policy").asText());
    String decision = o.path("decision").asText();
    if (p == null || !p.decisions().containsKey(decision)) {
      String field = p == null ? "policy" : "decision";
      throw new InputException(Problem.at(gold.toString(), line.number(), field, field + " \"" + o.path(field).asText()
          + "\" is not " + (p == null ? "a policy" : "a decision of " + p.key()) + " in round " + k + "'s queue " + dir
          + "; the gold and the queue its raters file names must be the same round's"));
    }
    decided.computeIfAbsent(p.key(), x -> new LinkedHashMap<>()).put(item.item(), decision);
  }

  private static QueueAnswer answer(Jsonl.Line line, Path file, Path dir, Queue q, Queue first,
      Map<String, Queue.Item> renamed) {
    ObjectNode o = line.node();
    Queue.Item item = renamed.get(o.path("item").asText());
    ReviewPolicy policy = q.policy(o.path("policy").asText()) == null ? null : first.policy(o.path("policy").asText());
    if (item == null || policy == null) {
      String field = item == null ? "item" : "policy";
      throw new InputException(Problem.at(file.toString(), line.number(), field, field + " \"" + o.path(field).asText()
          + "\" is not in the queue " + dir + " its raters file names; the answers"
          + " and the queue must be the same round's"));
    }
    return new QueueAnswer(item, policy, o.path("rater").asText(), o.path("decision").asText(), text(o, "category"),
        text(o, "at"), Problem.at(file.toString(), line.number(), "item", ""));
  }

  private static String text(ObjectNode o, String field) {
    return o.hasNonNull(field) ? o.get(field).asText() : null;
  }
}
