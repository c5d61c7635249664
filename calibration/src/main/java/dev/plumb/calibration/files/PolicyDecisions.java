package dev.plumb.calibration.files;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The decisions each policy's labels and gold records may carry, and whether each counts toward
 * prevalence: given (by the policy library) or learned from the ok labels. The one decision check
 * of every reader of labels and gold (calibration and the review-queue export), so that a file the
 * one accepts the other does not refuse.
 *
 * <p>A given policy: the decision must be one of its decisions, with its positivity. A learned
 * policy: the first ok label of a decision fixes its positivity; a later record that disagrees is
 * an error, and a gold record may not bring a decision no label had. Not thread-safe.
 */
public final class PolicyDecisions {
  private final Function<String, Optional<Map<String, Boolean>>> lookup;
  private final Set<String> closed;
  private final Map<String, Optional<Map<String, Boolean>>> given = new HashMap<>();
  private final Map<String, Map<String, Boolean>> learned = new HashMap<>();

  private PolicyDecisions(Function<String, Optional<Map<String, Boolean>>> lookup, Set<String> closed) {
    this.lookup = lookup;
    this.closed = closed;
  }

  /**
   * The decisions of exactly these policies (policy → decision → positive): a record of another
   * policy is an error. An empty map learns every policy's decisions from the labels.
   */
  public static PolicyDecisions of(Map<String, Map<String, Boolean>> decisions) {
    Map<String, Map<String, Boolean>> copy = new HashMap<>();
    decisions.forEach((p, d) -> copy.put(p, new LinkedHashMap<>(d)));
    return new PolicyDecisions(p -> Optional.ofNullable(copy.get(p)), copy.isEmpty() ? Set.of() : new TreeSet<>(copy.keySet()));
  }

  /** Looks each policy up (e.g. in the policy library); a policy the lookup does not know is learned. */
  public static PolicyDecisions lookup(Function<String, Optional<Map<String, Boolean>>> library) {
    return new PolicyDecisions(library, Set.of());
  }

  /**
   * Checks one record's decision and positivity.
   *
   * @param learn whether an unknown decision of a learned policy is learned (labels) or an error (gold)
   * @throws InputException {@code source:line: field: message}
   */
  public void check(String source, int line, String policy, String decision, boolean positive, boolean learn) {
    Optional<Map<String, Boolean>> allowed = given.computeIfAbsent(policy, lookup);
    if (allowed.isEmpty() && !closed.isEmpty()) {
      throw new InputException(Problem.at(source, line, "policy", "policy " + policy + " is not among the given policies ("
          + String.join(", ", closed) + ")"));
    }
    if (allowed.isPresent()) {
      Boolean pos = allowed.get().get(decision);
      if (pos == null) {
        throw new InputException(Problem.at(source, line, "decision", "\"" + decision + "\" is not a decision of policy "
            + policy + " (known: " + String.join(", ", new TreeSet<>(allowed.get().keySet())) + ")"));
      }
      if (pos != positive) {
        throw new InputException(Problem.at(source, line, "positive", "decision \"" + decision + "\" of policy " + policy
            + " is " + (pos ? "positive" : "not positive") + ", but positive is " + positive));
      }
      return;
    }
    Map<String, Boolean> seen = learned.computeIfAbsent(policy, k -> new LinkedHashMap<>());
    Boolean pos = seen.get(decision);
    if (pos == null) {
      if (!learn) {
        throw new InputException(Problem.at(source, line, "decision", "\"" + decision + "\" is not a decision of policy "
            + policy + " (known from the labels: " + String.join(", ", new TreeSet<>(seen.keySet())) + ")"));
      }
      seen.put(decision, positive);
    } else if (pos != positive) {
      throw new InputException(Problem.at(source, line, "positive", "decision \"" + decision + "\" of policy " + policy
          + " is " + (pos ? "positive" : "not positive") + " in earlier records, but positive is " + positive));
    }
  }

  /** Whether the policy's decisions are given rather than learned. */
  public boolean given(String policy) {
    return given.computeIfAbsent(policy, lookup).isPresent();
  }

  /** The policy's decisions → positive: given, or learned so far in the order first seen; empty when none. */
  public Map<String, Boolean> decisions(String policy) {
    Optional<Map<String, Boolean>> g = given.computeIfAbsent(policy, lookup);
    return g.isPresent() ? g.get() : learned.getOrDefault(policy, Map.of());
  }
}
