package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyDiff;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code plumb policy diff}: what changed between two versions (docs/policies.md). */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show what changed between two policy versions, by section and id: metadata, decisions,",
      "categories, rules (added, removed, reworded, reordered), allowed contexts and examples.",
      "With one version, compare it with the version before it."
    },
    footer = {
      "",
      "Examples:",
      "  plumb policy diff self_harm@1 self_harm@2",
      "  plumb policy diff self_harm@2          (against self_harm@1)",
      "  plumb policy diff self_harm            (highest active version against its predecessor)"
    })
final class PolicyDiffCommand extends ActionCommand {
  @Mixin PoliciesOption library;

  @Parameters(arity = "1..2", paramLabel = "ID[@V]", description = "The version to compare from, then the one to compare to.")
  List<String> refs;

  @Override
  public Integer call() {
    PolicyRef first = PolicyCommand.ref(refs.get(0), "FROM");
    PolicyRef second = refs.size() > 1 ? PolicyCommand.ref(refs.get(1), "TO") : null;
    PolicyLibrary lib = library.load();
    Policy from;
    Policy to;
    if (second == null) {
      to = lib.resolve(first);
      Optional<Policy> previous = lib.versions(to.id()).stream().filter(p -> p.version() < to.version()).reduce((a, b) -> b);
      from = previous.orElseThrow(() -> new InputException(
          to.key() + " is the first version of " + to.id() + "; name two versions to compare"));
    } else {
      from = lib.resolve(first);
      to = lib.resolve(second);
    }
    PrintWriter out = out();
    PolicyDiff.between(from, to).lines().forEach(out::println);
    return ExitCode.OK;
  }
}
