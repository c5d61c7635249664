package dev.plumb.cli;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyLock;
import dev.plumb.labeler.policy.PolicyRef;
import dev.plumb.labeler.policy.PolicyStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plumb policy ...}: the policy library as code (docs/policies.md). */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Validate, list, lock, check and diff the policy library (policies/<id>/v<N>.yaml).",
    subcommands = {
      PolicyCommand.Validate.class,
      PolicyCommand.ListVersions.class,
      PolicyLockCommand.class,
      PolicyCommand.Check.class,
      PolicyDiffCommand.class,
      PolicyCommand.Schema.class
    },
    footer = {
      "",
      "Examples:",
      "  plumb policy validate",
      "  plumb policy list",
      "  plumb policy diff self_harm@1 self_harm@2",
      "  plumb policy lock && plumb policy check"
    })
final class PolicyCommand extends GroupCommand {
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Check every policy version file and print every problem, one per line:",
        "FILE:LINE:COLUMN: FIELD: MESSAGE. Exit 0 when the library is valid, 1 when not."
      },
      footer = {
        "",
        "Examples:",
        "  plumb policy validate",
        "  plumb policy validate path/to/policies"
      })
  static final class Validate extends ActionCommand {
    @Mixin PoliciesOption library;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Policy library directory (overrides --policies).")
    Path dirArgument;

    @Override
    public Integer call() {
      Path dir = dirArgument != null ? dirArgument : library.dir;
      if (!Files.isDirectory(dir)) {
        throw new InputException(Problem.at(dir.toString(), 0, "", "no such directory"));
      }
      PrintWriter out = out();
      PolicyLibrary lib;
      try {
        lib = PolicyLibrary.load(dir);
      } catch (InputException e) {
        e.problems().forEach(out::println);
        int n = e.problems().size();
        out.println(dir + ": " + n + (n == 1 ? " problem" : " problems"));
        return ExitCode.CHECK_FAILED;
      }
      List<Policy> all = lib.all();
      int examples = all.stream().mapToInt(p -> p.examples().size()).sum();
      out.println(dir + ": valid (" + Format.plural(lib.ids().size(), "policy", "policies") + ", "
          + Format.plural(all.size(), "version", "versions") + ", " + Format.plural(examples, "example", "examples") + ")");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every policy version: status, effective date, examples, fingerprint and lock state.",
      footer = {
        "",
        "LOCK is 'locked', 'CHANGED' (the file no longer matches policies.lock), 'not locked', or",
        "'draft' (drafts need not be locked). See 'plumb policy check'.",
        "",
        "Examples:",
        "  plumb policy list",
        "  plumb policy list --full-hash"
      })
  static final class ListVersions extends ActionCommand {
    @Mixin PoliciesOption library;

    @Option(names = "--full-hash", description = "Print whole sha256 fingerprints.")
    boolean fullHash;

    @Override
    public Integer call() {
      PolicyLibrary lib = library.load();
      PolicyLock lock = PolicyLock.read(PolicyLock.fileOf(lib));
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"POLICY", "VERSION", "STATUS", "EFFECTIVE", "EXAMPLES", "SHA256", "LOCK"});
      for (Policy p : lib.all()) {
        boolean isDefault = lib.latestActive(p.id()).map(d -> d.version() == p.version()).orElse(false);
        String locked = lock.sha256(p);
        String lockState = locked == null
            ? (p.status() == PolicyStatus.DRAFT ? "draft" : "not locked")
            : locked.equals(p.sha256()) ? "locked" : "CHANGED";
        rows.add(new String[] {
          p.id(),
          String.valueOf(p.version()),
          p.status().yamlName() + (isDefault ? "*" : ""),
          p.effective() == null ? "-" : p.effective().toString(),
          String.valueOf(p.examples().size()),
          fullHash ? p.sha256() : PolicyLock.shortHash(p.sha256()),
          lockState
        });
      }
      PrintWriter out = out();
      TextTable.print(rows, out, c -> true);
      out.println();
      out.println("* the version a bare id resolves to (its highest active version)");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Check the library against policies.lock: exit 1, naming the file, when a locked version",
        "changed or is missing, or an active or retired version is not locked. Run it in CI."
      },
      footer = {"", "Examples:", "  plumb policy check", "  plumb policy check --policies path/to/policies"})
  static final class Check extends ActionCommand {
    @Mixin PoliciesOption library;

    @Override
    public Integer call() {
      PolicyLibrary lib = library.load();
      PolicyLock lock = PolicyLock.read(PolicyLock.fileOf(lib));
      List<Problem> problems = lock.check(lib);
      PrintWriter out = out();
      problems.forEach(out::println);
      if (!problems.isEmpty()) {
        out.println(lock.file() + ": " + Format.plural(problems.size(), "problem", "problems"));
        return ExitCode.CHECK_FAILED;
      }
      long drafts = lib.all().stream().filter(p -> p.status() == PolicyStatus.DRAFT && lock.sha256(p) == null).count();
      out.println(lock.file() + ": " + Format.plural(lock.entries().size(), "version", "versions") + " locked, all unchanged"
          + (drafts == 0 ? "" : " (" + Format.plural((int) drafts, "draft", "drafts") + " not locked)"));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "schema",
      mixinStandardHelpOptions = true,
      description = "Print the JSON Schema of a policy version file (for editors that validate YAML as you type).",
      footer = {"", "Examples:", "  plumb policy schema > policy.schema.json"})
  static final class Schema extends ActionCommand {
    @Override
    public Integer call() {
      out().print(PolicyLibrary.schema());
      out().flush();
      return ExitCode.OK;
    }
  }

  static PolicyRef ref(String text, String what) {
    try {
      return PolicyRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(what + ": " + e.getMessage());
    }
  }

}
