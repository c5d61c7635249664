package dev.plumb.calibration.queue;

import dev.plumb.core.InputException;
import dev.plumb.core.Spelling;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a vendor's answer values become the policy's decision ids, for answers given as {@code 0}/{@code
 * 1} or {@code true}/{@code false} ({@code plumb queue import --decision-map 1=violating}). An answer
 * value is looked up ignoring case and surrounding spaces; a value not in the map is read as written.
 *
 * @param values answer value (lower case) → decision id
 */
public record DecisionMap(Map<String, String> values) {
  /** No mapping: decisions are read as written. */
  public static final DecisionMap NONE = new DecisionMap(Map.of());

  public DecisionMap {
    values = Map.copyOf(values);
  }

  /**
   * Parses {@code VALUE=DECISION} entries, e.g. {@code ["1=violating", "0=safe"]}.
   *
   * @throws InputException naming the entry when it has no '=', an empty side, or a value given twice
   */
  public static DecisionMap parse(List<String> entries) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String e : entries) {
      int eq = e.indexOf('=');
      String value = eq < 0 ? "" : e.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String decision = eq < 0 ? "" : e.substring(eq + 1).strip();
      if (value.isEmpty() || decision.isEmpty()) {
        throw new InputException("--decision-map: expected VALUE=DECISION (e.g. 1=violating), found \"" + e + "\"");
      }
      if (m.put(value, decision) != null) {
        throw new InputException("--decision-map: value \"" + value + "\" is mapped twice");
      }
    }
    return new DecisionMap(m);
  }

  /** The decision id an answer value stands for: its mapping, or the value itself; null stays null. */
  public String apply(String answer) {
    if (answer == null || values.isEmpty()) {
      return answer;
    }
    return values.getOrDefault(answer.strip().toLowerCase(Locale.ROOT), answer);
  }

  /**
   * Checks that every mapped decision is a decision of one of the queue's policies.
   *
   * @throws InputException naming the first that is not, with a "did you mean"
   */
  void check(Queue q) {
    Set<String> known = new LinkedHashSet<>();
    q.policies().forEach(p -> known.addAll(p.decisions().keySet()));
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!known.contains(e.getValue())) {
        throw new InputException("--decision-map: " + e.getKey() + "=" + e.getValue() + ": \"" + e.getValue()
            + "\" is not a decision of the queue's policies (decisions: " + String.join(", ", known) + ")"
            + Spelling.hint(e.getValue(), known));
      }
    }
  }
}
