package dev.plumb.cli;

import dev.plumb.labeler.policy.PolicyLibrary;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the policy library is: every {@code plumb policy} subcommand, and through {@link LibraryOptions} the labeling commands. */
final class PoliciesOption {
  @Option(
      names = "--policies",
      paramLabel = "DIR",
      defaultValue = "policies",
      description = "Policy library directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  PolicyLibrary load() {
    return PolicyLibrary.load(dir);
  }
}
