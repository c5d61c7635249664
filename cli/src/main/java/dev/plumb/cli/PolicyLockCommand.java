package dev.plumb.cli;

import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyLock;
import dev.plumb.labeler.policy.PolicyRef;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb policy lock}: fixes the content of every version (docs/policies.md). */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = {
      "Record the fingerprint of every active and retired version in policies.lock.",
      "Adds new versions; refuses (exit 1, nothing written) when a locked version changed or",
      "its file is gone, unless that version is named with --relock."
    },
    footer = {
      "",
      "A locked version is immutable: change a policy by adding a version. --relock is for the",
      "rare edit to a version no label was ever made with; the change shows in the lock's diff.",
      "",
      "Examples:",
      "  plumb policy lock",
      "  plumb policy lock --relock self_harm@3"
    })
final class PolicyLockCommand extends ActionCommand {
  @Mixin PoliciesOption library;

  @Option(names = "--relock", paramLabel = "ID@V", description = "Accept the current content of this locked version (repeatable).")
  List<String> relock = new ArrayList<>();

  @Override
  public Integer call() {
    List<PolicyRef> refs = new ArrayList<>();
    for (String r : relock) {
      refs.add(PolicyCommand.ref(r, "--relock"));
    }
    PolicyLibrary lib = library.load();
    PolicyLock lock = PolicyLock.read(PolicyLock.fileOf(lib));
    PolicyLock.Update update = lock.update(lib, refs);
    PrintWriter out = out();
    if (!update.refused().isEmpty()) {
      update.refused().forEach(out::println);
      out.println(lock.file() + ": not written");
      return ExitCode.CHECK_FAILED;
    }
    PolicyLock next = update.lock();
    for (String key : update.added()) {
      out.println("locked   " + key + " " + PolicyLock.shortHash(next.entries().get(key).sha256()));
    }
    for (String key : update.relocked()) {
      out.println("relocked " + key + " " + PolicyLock.shortHash(lock.entries().get(key).sha256()) + " -> "
          + PolicyLock.shortHash(next.entries().get(key).sha256()));
    }
    for (String key : update.dropped()) {
      out.println("dropped  " + key);
    }
    int n = next.entries().size();
    if (update.changed() || !lock.exists()) {
      next.write();
      out.println(next.file() + ": " + Format.plural(n, "version", "versions") + " locked");
    } else {
      out.println(next.file() + ": up to date, " + Format.plural(n, "version", "versions") + " locked");
    }
    return ExitCode.OK;
  }
}
