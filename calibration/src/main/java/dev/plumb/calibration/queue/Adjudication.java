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
    Map<String, String> where = new HashMap<>();
    AnswerFiles.read(path, withAdjudicator(q), a -> {
      String k = a.item().item() + "\u0000" + a.policy().key();
      String first = where.putIfAbsent(k, a.location());
      if (first != null) {
        Problem w = a.where();
        throw new InputException(new Problem(w.source(), w.line(), 0, "item", "item " + a.item().item()
            + " policy " + a.policy().key() + " is adjudicated twice (first at " + first + ")"));
      }
      out.computeIfAbsent(a.policy().key(), x -> new HashMap<>()).put(a.item().item(), a.decision());
    });
    return out;
  }

  /** The queue without rater checks: the adjudicator is not one of the raters. */
  private static Queue withAdjudicator(Queue q) {
    return new Queue(q.seed(), q.design(), q.policies(), q.strata(), java.util.List.of(), q.overlap(), q.raterBar(),
        q.items());
  }
}
