package dev.plumb.labeler.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped policies and templates compile, and every policy example is an answer the check accepts. */
class StarterLibraryPromptTest {

  @Test
  void should_accept_every_examples_expected_answer() {
    PolicyLibrary library = PolicyLibrary.load(Path.of("../policies"));
    List<String> problems = new ArrayList<>();
    for (Policy policy : library.all()) {
      // compile each version with the active versions of the other policies
      List<Policy> set = new ArrayList<>(library.select(List.of()).stream().filter(p -> !p.id().equals(policy.id())).toList());
      set.add(policy);
      PromptBundle bundle = PromptCompiler.compile(set, TestPolicies.PROMPTS, ModelParams.DEFAULT);
      for (Example e : policy.examples()) {
        ObjectNode answer = Json.object();
        for (Policy p : bundle.policies()) {
          ObjectNode a = answer.putObject(p.id());
          a.put("rationale", p == policy ? e.reason() : "not relevant");
          ArrayNode ev = a.putArray("evidence");
          if (p == policy) {
            e.evidence().forEach(ev::add);
            a.put("decision", e.decision());
            a.put("category", e.category());
          } else {
            a.put("decision", p.decisions().stream().filter(d -> !d.positive()).map(Decision::id).reduce((x, y) -> y).orElseThrow());
            a.putNull("category");
          }
          a.put("confidence", 0.9);
        }
        AnswerCheck check = bundle.check(Json.line(answer), e.unit());
        if (check instanceof AnswerCheck.Invalid invalid) {
          problems.add(policy.key() + " example " + e.id() + ": " + invalid.errors());
        }
      }
    }
    assertThat(problems).isEmpty();
  }
}
