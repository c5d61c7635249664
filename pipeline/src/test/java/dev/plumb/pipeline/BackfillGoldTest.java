package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which gold of a period a backfill may use under another version, on the starter library. */
class BackfillGoldTest {
  static final PolicyLibrary LIBRARY = PolicyLibrary.load(Path.of("../policies"));
  @TempDir Path dir;

  private static String gold(String unit, String policy) {
    return "{\"unit\":\"" + unit + "\",\"policy\":\"" + policy + "\",\"decision\":\"safe\",\"positive\":false,\"category\":null,"
        + "\"method\":\"majority\",\"raters\":3,\"agreement\":1,\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}}";
  }

  @Test
  void should_keep_own_decisions_and_list_units_reviewed_under_changed_or_unknown_versions() throws Exception {
    Path file = dir.resolve("gold.jsonl");
    Files.write(file, List.of(gold("u1", "self_harm@2"), gold("u2", "self_harm@1"), gold("u3", "self_harm@9"),
        gold("u4", "harassment@1"), gold("u5", "self_harm@1"), gold("u5", "self_harm@2")));
    BackfillGold reuse = new BackfillGold(LIBRARY.resolve(PolicyRef.parse("self_harm@2")), LIBRARY);

    BackfillGold.Plan plan = reuse.plan(file, dir.resolve("none.jsonl"));

    // u5 has a decision under self_harm@2 itself, which wins over its self_harm@1 one
    assertThat(plan.kept()).extracting(n -> n.path("unit").asText()).containsExactly("u1", "u5");
    assertThat(plan.reused()).isEmpty();
    assertThat(plan.total()).isEqualTo(4);
    assertThat(plan.measurable()).isFalse();
    assertThat(plan.rereview()).containsOnlyKeys("self_harm@1", "self_harm@9");
    Path list = dir.resolve("rereview.jsonl");
    assertThat(reuse.message(plan, list)).isEqualTo("not measured: 2 of 4 gold units need re-review under self_harm@2: "
        + "1 reviewed under self_harm@1, whose decision definitions differ (~ safe.definition, + category disordered_eating, "
        + "+ rule R8 and 7 more; plumb policy diff self_harm@1 self_harm@2); 1 reviewed under self_harm@9 "
        + "(self_harm@9 is not in the policy library); list: " + list);
    reuse.writeRereview(plan, list);
    assertThat(Files.readAllLines(list)).containsExactly(
        "{\"unit\":\"u2\",\"policy\":\"self_harm@2\",\"reviewed_under\":\"self_harm@1\",\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}}",
        "{\"unit\":\"u3\",\"policy\":\"self_harm@2\",\"reviewed_under\":\"self_harm@9\",\"phase2\":{\"stratum\":\"llm_negative\",\"pi\":0.5}}");
  }

  @Test
  void should_reuse_gold_of_the_same_definitions_and_take_re_reviewed_decisions_first() throws Exception {
    Path file = dir.resolve("gold.jsonl");
    Files.write(file, List.of(gold("u1", "self_harm@1"), gold("u2", "self_harm@1")));
    Path again = dir.resolve(BackfillGold.REREVIEWED);
    Files.write(again, List.of(gold("u2", "self_harm@1").replace("\"safe\"", "\"borderline\"")));
    // self_harm@1 measured with gold reviewed under self_harm@1: nothing to reuse, but the re-reviewed file must be for @1
    BackfillGold same = new BackfillGold(LIBRARY.resolve(PolicyRef.parse("self_harm@1")), LIBRARY);
    BackfillGold.Plan plan = same.plan(file, again);
    assertThat(plan.kept()).extracting(n -> n.path("decision").asText()).containsExactly("safe", "borderline");
    assertThat(plan.reused()).isEqualTo(Map.of());

    BackfillGold other = new BackfillGold(LIBRARY.resolve(PolicyRef.parse("self_harm@2")), LIBRARY);
    assertThatThrownBy(() -> other.plan(file, again)).isInstanceOf(InputException.class)
        .hasMessage(again + ":1: policy: expected \"self_harm@2\" (decisions made again under the backfilled version), "
            + "found \"self_harm@1\"");
  }
}
