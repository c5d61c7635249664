package dev.plumb.calibration.queue;

import dev.plumb.core.Problem;

/**
 * One rater's answer to one item and policy, read from a vendor file, with where it was read (for
 * messages).
 */
record QueueAnswer(Queue.Item item, ReviewPolicy policy, String rater, String decision, String category, String at,
    Problem where) {

  /** "answers.csv:7" or "export.json:40:9": the location part of {@link #where}. */
  String location() {
    Problem p = where;
    return p.source() + (p.line() > 0 ? ":" + p.line() + (p.column() > 0 ? ":" + p.column() : "") : "");
  }
}
