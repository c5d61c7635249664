package dev.plumb.calibration.queue;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a filled-in adjudication file (the {@code gold.adjudication.csv} that import writes, with the
 * {@code decision} column, and the adjudicator's id in {@code rater}, filled in; rows left blank stay
 * undecided).
 */
final class Adjudication {
  private Adjudication() {}

  /** policy key → item → decision. */
  static Map<String, Map<String, String>> read(Path path, Queue q) {
    Map<String, Map<String, String>> out = new HashMap<>();
    AnswerFiles.read(path, withAdjudicator(q), decide(out));
    return out;
  }

  /**
   * As {@link #read}, each row's item found by its {@code unit} among {@code q}'s reviewed items (a
   * merge of rounds, whose item ids repeat from round to round); a unit not there is a one-line error
   * ending "is in no " + {@code queues}.
   */
  static Map<String, Map<String, String>> readByUnit(Path path, Queue q, String queues) {
    Map<String, Map<String, String>> out = new HashMap<>();
    // honeypots are never adjudicated, and their units may repeat from round to round
    Queue reviewed = withAdjudicator(new Queue(q.seed(), q.design(), q.policies(), q.strata(), q.raters(),
        q.overlap(), q.raterBar(), q.items().stream().filter(i -> !i.honeypot()).toList()));
    AnswerFiles.readByUnit(path, reviewed, queues, decide(out));
    return out;
  }

  private static java.util.function.Consumer<QueueAnswer> decide(Map<String, Map<String, String>> out) {
    Map<String, String> where = new HashMap<>();
    return a -> {
      String k = a.item().item() + "\u0000" + a.policy().key();
      String first = where.putIfAbsent(k, a.location());
      if (first != null) {
        Problem w = a.where();
        throw new InputException(new Problem(w.source(), w.line(), 0, "item", "item " + a.item().item()
            + " policy " + a.policy().key() + " is adjudicated twice (first at " + first + ")"));
      }
      out.computeIfAbsent(a.policy().key(), x -> new HashMap<>()).put(a.item().item(), a.decision());
    };
  }

  /** The queue without rater checks: the adjudicator is not one of the raters. */
  private static Queue withAdjudicator(Queue q) {
    return new Queue(q.seed(), q.design(), q.policies(), q.strata(), java.util.List.of(), q.overlap(), q.raterBar(),
        q.items());
  }
}
