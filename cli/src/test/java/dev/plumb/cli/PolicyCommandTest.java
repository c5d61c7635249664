package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {
  static final String POLICIES = "../policies";
  static final String BROKEN = "../labeler/src/test/resources/broken";

  @TempDir Path tmp;

  static List<String> lines(String text) {
    return text.lines().toList();
  }

  Path copyOfPolicies() throws IOException {
    Path from = Path.of(POLICIES);
    Path to = tmp.resolve("policies");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return to;
  }

  @Test
  void validate_should_exit_0_on_the_starter_library() {
    Cli r = Cli.run("policy", "validate", "--policies", POLICIES);

    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(r.out())).containsExactly("../policies: valid (4 policies, 5 versions, 72 examples)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void validate_should_print_every_problem_and_exit_1() {
    String dir = BROKEN + "/duplicate_ids";
    Cli r = Cli.run("policy", "validate", dir);

    assertThat(r.code()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(lines(r.out())).containsExactly(
        dir + "/demo/v1.yaml:15:9: decisions[2].id: duplicate decision id \"safe\" (first at line 12)",
        dir + "/demo/v1.yaml:21:9: categories[1].id: duplicate category id \"shouting\" (first at line 19)",
        dir + "/demo/v1.yaml:26:9: rules[1].id: duplicate rule id \"R1\" (first at line 24)",
        dir + "/demo/v1.yaml:32:9: allowed[1].id: duplicate allowed id \"A1\" (first at line 29)",
        dir + "/demo/v1.yaml:41:9: examples[1].id: duplicate example id \"d-1\" (first at line 36)",
        dir + ": 5 problems");
  }

  @Test
  void validate_should_exit_2_when_the_directory_does_not_exist() {
    Cli r = Cli.run("policy", "validate", tmp.resolve("nope").toString());

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines(r.err())).containsExactly(tmp.resolve("nope") + ": no such directory");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void list_should_print_a_table_of_versions() {
    PolicyLibrary lib = PolicyLibrary.load(Path.of(POLICIES));
    List<String> hashes = lib.all().stream().map(Policy::sha256).map(h -> h.substring(0, 19)).toList();

    Cli r = Cli.run("policy", "list", "--policies", POLICIES);

    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(r.out())).containsExactly(
        "POLICY          VERSION  STATUS   EFFECTIVE   EXAMPLES  SHA256               LOCK",
        "adult_sexual    1        active*  2026-01-15  13        " + hashes.get(0) + "  locked",
        "harassment      1        active*  2026-01-15  15        " + hashes.get(1) + "  locked",
        "misinformation  1        active*  2026-01-15  14        " + hashes.get(2) + "  locked",
        "self_harm       1        retired  2026-01-15  14        " + hashes.get(3) + "  locked",
        "self_harm       2        active*  2026-03-01  16        " + hashes.get(4) + "  locked",
        "",
        "* the version a bare id resolves to (its highest active version)");
  }

  @Test
  void list_should_exit_2_with_the_problems_of_a_broken_library() {
    String dir = BROKEN + "/policy_does_not_match_folder";
    Cli r = Cli.run("policy", "list", "--policies", dir);

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines(r.err())).containsExactly(dir + "/demo/v1.yaml:1:9: policy: \"dmeo\" does not match its folder \"demo\"");
  }

  @Test
  void check_should_pass_on_the_committed_lock() {
    Cli r = Cli.run("policy", "check", "--policies", POLICIES);

    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(r.out())).containsExactly("../policies/policies.lock: 5 versions locked, all unchanged");
  }

  @Test
  void check_should_fail_naming_the_file_when_a_locked_version_is_edited() throws IOException {
    Path lib = copyOfPolicies();
    Path v1 = lib.resolve("self_harm/v1.yaml");
    Files.writeString(v1, Files.readString(v1).replace("Be brave enough to leave.", "Be brave."));
    String was = PolicyLibrary.load(Path.of(POLICIES)).versions("self_harm").get(0).sha256().substring(0, 19);
    String now = PolicyLibrary.load(lib).versions("self_harm").get(0).sha256().substring(0, 19);

    Cli r = Cli.run("policy", "check", "--policies", lib.toString());

    assertThat(r.code()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(lines(r.out())).containsExactly(
        v1 + ": changed since it was locked (policies.lock:7 has " + was + ", the file now hashes to " + now
            + "); a locked version is immutable: undo the edit and make the change in a new version (v3.yaml)",
        lib.resolve("policies.lock") + ": 1 problem");
  }

  @Test
  void lock_should_add_new_versions_and_refuse_to_change_locked_ones() throws IOException {
    Path lib = copyOfPolicies();
    Path lockFile = lib.resolve("policies.lock");
    Files.delete(lockFile);

    Cli first = Cli.run("policy", "lock", "--policies", lib.toString());
    assertThat(first.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(first.out())).hasSize(6).last().isEqualTo(lockFile + ": 5 versions locked");
    assertThat(lines(first.out()).get(0)).startsWith("locked   adult_sexual@1 sha256:");
    assertThat(Files.readString(lockFile)).isEqualTo(Files.readString(Path.of(POLICIES, "policies.lock")));

    Cli again = Cli.run("policy", "lock", "--policies", lib.toString());
    assertThat(lines(again.out())).containsExactly(lockFile + ": up to date, 5 versions locked");

    Path v1 = lib.resolve("harassment/v1.yaml");
    Files.writeString(v1, Files.readString(v1).replace("Words hurt.", "Words can hurt."));
    String before = Files.readString(lockFile);
    Cli refused = Cli.run("policy", "lock", "--policies", lib.toString());
    assertThat(refused.code()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(lines(refused.out())).hasSize(2);
    assertThat(lines(refused.out()).get(0)).startsWith(v1 + ": changed since it was locked (policies.lock:5 has ")
        .endsWith("; if no label was ever made with it, plumb policy lock --relock harassment@1 accepts the edit");
    assertThat(lines(refused.out()).get(1)).isEqualTo(lockFile + ": not written");
    assertThat(Files.readString(lockFile)).isEqualTo(before);

    Cli relocked = Cli.run("policy", "lock", "--policies", lib.toString(), "--relock", "harassment@1");
    assertThat(relocked.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(relocked.out()).get(0)).matches("relocked harassment@1 sha256:[0-9a-f]{12} -> sha256:[0-9a-f]{12}");
    assertThat(Cli.run("policy", "check", "--policies", lib.toString()).code()).isEqualTo(ExitCode.OK);
  }

  @Test
  void lock_should_reject_a_malformed_relock_reference() {
    Cli r = Cli.run("policy", "lock", "--policies", POLICIES, "--relock", "Self_Harm");

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines(r.err())).containsExactly(
        "--relock: invalid policy reference \"Self_Harm\": expected ID or ID@VERSION, e.g. self_harm@3");
  }

  @Test
  void diff_should_show_the_v1_to_v2_change() {
    Cli r = Cli.run("policy", "diff", "--policies", POLICIES, "self_harm@1", "self_harm@2");

    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(lines(r.out())).startsWith("self_harm@1 -> self_harm@2")
        .contains("  + disordered_eating \"Eating-disorder promotion and instruction\"",
            "  ~ sh-09: expected safe -> violating/disordered_eating");
    assertThat(Cli.run("policy", "diff", "--policies", POLICIES, "self_harm").out()).isEqualTo(r.out());
    assertThat(Cli.run("policy", "diff", "--policies", POLICIES, "self_harm@2").out()).isEqualTo(r.out());
  }

  @Test
  void diff_should_exit_2_with_a_clear_line_for_bad_references() {
    Cli first = Cli.run("policy", "diff", "--policies", POLICIES, "harassment");
    assertThat(first.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines(first.err())).containsExactly("harassment@1 is the first version of harassment; name two versions to compare");

    Cli unknown = Cli.run("policy", "diff", "--policies", POLICIES, "self_harm@1", "self_ham@2");
    assertThat(lines(unknown.err())).containsExactly(
        "unknown policy \"self_ham\" (did you mean \"self_harm\"?); the library at ../policies has: "
            + "adult_sexual, harassment, misinformation, self_harm");

    Cli version = Cli.run("policy", "diff", "--policies", POLICIES, "self_harm@1", "self_harm@9");
    assertThat(lines(version.err())).containsExactly("self_harm@9 does not exist; self_harm has versions 1 (retired), 2 (active)");

    Cli malformed = Cli.run("policy", "diff", "--policies", POLICIES, "self harm");
    assertThat(lines(malformed.err())).containsExactly(
        "FROM: invalid policy reference \"self harm\": expected ID or ID@VERSION, e.g. self_harm@3");
  }

  @Test
  void schema_should_print_the_json_schema() throws IOException {
    Cli r = Cli.run("policy", "schema");

    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo(PolicyLibrary.schema());
    assertThat(Json.mapper().readTree(r.out()).get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void policy_without_a_subcommand_is_a_usage_error() {
    Cli r = Cli.run("policy");

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).startsWith("plumb: missing command: validate, list, lock, check, diff or schema");
  }

  @Test
  void every_subcommand_has_help_with_examples() {
    for (String sub : List.of("validate", "list", "lock", "check", "diff", "schema")) {
      Cli r = Cli.run("policy", sub, "--help");
      assertThat(r.code()).as(sub).isEqualTo(ExitCode.OK);
      assertThat(r.out()).as(sub).contains("Usage: plumb policy " + sub).contains("Examples:");
    }
  }
}
