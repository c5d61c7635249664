package dev.plumb.cli;

import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that needs policies or templates shares: where the library and the
 * templates are, and which policies to use (all active ones when none is named).
 */
public final class PolicyOptions {
  @Mixin LibraryOptions files;

  @Option(
      names = "--policy",
      paramLabel = "ID[@V]",
      description = "A policy to use, e.g. self_harm or self_harm@3 (repeatable; default: every active policy).")
  List<String> policy = new ArrayList<>();

  public Path policiesDir() {
    return files.policiesDir();
  }

  public Path promptsDir() {
    return files.promptsDir();
  }

  /** The policies to use, from the library: those named, or every active one when none is. */
  List<Policy> selected() {
    return PolicyLibrary.load(policiesDir()).select(policyRefs());
  }

  /** The policy references as given, unparsed; empty means every active policy. */
  public List<String> policyRefs() {
    return List.copyOf(policy);
  }
}
