package dev.plumb.labeler.policy;

import dev.plumb.core.PolicyKey;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable version of a written safety policy (docs/policies.md). Instances come from the
 * policy loader, which reports every problem with its file position; the constructor only
 * re-checks the invariants the rest of plumb relies on.
 *
 * @param id the policy id, e.g. {@code self_harm}
 * @param version 1, 2, ...; matches the file name {@code v<N>.yaml}
 * @param decisions the closed set of answers; at least one is positive
 * @param categories sub-policies a positive answer may name; may be empty
 * @param rules ordered guidance: earlier rules take precedence
 * @param allowed explicit non-violations (education, news, recovery support, ...)
 * @param examples labeled units; each is a regression test, {@code inPrompt} ones are few-shot
 * @param changes what changed from the previous version (empty for version 1)
 * @param sha256 digest of the version's canonical content ({@code sha256:...}), what
 *     {@code policies.lock} records
 */
public record Policy(
    String id,
    int version,
    String title,
    PolicyStatus status,
    LocalDate effective,
    String owner,
    String summary,
    List<Decision> decisions,
    List<Category> categories,
    List<Rule> rules,
    List<Rule> allowed,
    List<Example> examples,
    List<String> changes,
    String sha256) {

  public Policy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(sha256, "sha256");
    if (version < 1) {
      throw new IllegalArgumentException("policy version must be >= 1: " + version);
    }
    decisions = List.copyOf(decisions);
    categories = List.copyOf(categories);
    rules = List.copyOf(rules);
    allowed = List.copyOf(allowed);
    examples = List.copyOf(examples);
    changes = List.copyOf(changes);
    if (decisions.stream().noneMatch(Decision::positive)) {
      throw new IllegalArgumentException(id + "@" + version + ": no positive decision");
    }
    Set<String> ids = new HashSet<>();
    for (Decision d : decisions) {
      if (!ids.add(d.id())) {
        throw new IllegalArgumentException(id + "@" + version + ": duplicate decision " + d.id());
      }
    }
  }

  public PolicyRef ref() {
    return PolicyRef.of(id, version);
  }

  /** {@code id@version}, the form labels carry ({@link PolicyKey}). */
  public String key() {
    return new PolicyKey(id, version).toString();
  }

  public Optional<Decision> decision(String decisionId) {
    return decisions.stream().filter(d -> d.id().equals(decisionId)).findFirst();
  }

  public Optional<Category> category(String categoryId) {
    return categories.stream().filter(c -> c.id().equals(categoryId)).findFirst();
  }
}
