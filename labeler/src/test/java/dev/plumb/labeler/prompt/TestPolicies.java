package dev.plumb.labeler.prompt;

import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyStatus;
import dev.plumb.labeler.policy.Rule;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Small synthetic policies built directly, so prompt tests do not depend on the policy loader. */
final class TestPolicies {
  /** The shipped templates (tests run in the labeler module directory). */
  static final Path PROMPTS = Path.of("../prompts");

  private TestPolicies() {}

  static Policy selfHarm() {
    return selfHarm(1, "sha256:" + "1".repeat(64), "Encourages or instructs self-harm.");
  }

  static Policy selfHarm(int version, String sha, String promotionDefinition) {
    return new Policy(
        "self_harm",
        version,
        "Self-harm and suicide",
        PolicyStatus.ACTIVE,
        LocalDate.of(2026, 11, 1),
        "safety-policy@example.org",
        "Content that promotes, instructs or glorifies self-harm or suicide.",
        List.of(
            new Decision("violating", "Promotes, instructs or glorifies self-harm.", true),
            new Decision("safe", "Anything else, including support and recovery content.", false)),
        List.of(
            new Category("promotion", "Promotion", promotionDefinition,
                List.of("challenges that dare people to hurt themselves"),
                List.of("personal recovery stories")),
            new Category("instructions", "Instructions", "Explains methods of self-harm.",
                List.of("methods, amounts, tools"), List.of())),
        List.of(new Rule("R1", null, "Methods or amounts are violating even when framed as a joke.")),
        List.of(new Rule("A1", "recovery", "Recovery stories and pointers to help lines are allowed.")),
        List.of(
            new Example("sh-1",
                new Unit("ex-sh-1", Map.of(), List.of(
                    new Component("query", "query", "how to feel better after a bad day", null),
                    new Component("pin-1", "pin", "Call a friend or a help line; you are not alone", null))),
                "safe", null, "Support content is allowed (A1).", true),
            new Example("sh-2", Unit.ofText("ex-sh-2", "a 30-day challenge: hurt yourself a little more each day"),
                "violating", "promotion", "A dare to self-harm is promotion.", true, List.of("text")),
            new Example("sh-3", Unit.ofText("ex-sh-3", "not in the prompt"), "safe", null, "Regression only.", false)),
        List.of(),
        sha);
  }

  static Policy harassment() {
    return new Policy(
        "harassment",
        2,
        "Harassment & bullying",
        PolicyStatus.ACTIVE,
        LocalDate.of(2026, 11, 1),
        "safety-policy@example.org",
        "Content that targets a person with abuse.",
        List.of(
            new Decision("violating", "Targets an identifiable person with abuse.", true),
            new Decision("borderline", "Rude but not targeted.", false),
            new Decision("safe", "Anything else.", false)),
        List.of(new Category("insults", "Insults", "Demeaning a person.", List.of(), List.of())),
        List.of(),
        List.of(),
        List.of(),
        List.of("R2 now covers pile-ons"),
        "sha256:" + "2".repeat(64));
  }

  /** A policy without categories: every decision takes a null category. */
  static Policy spam() {
    return new Policy(
        "spam", 1, "Spam", PolicyStatus.ACTIVE, null, null, "Unsolicited bulk content.",
        List.of(new Decision("spam", "Bulk or deceptive promotion.", true), new Decision("ok", "Not spam.", false)),
        List.of(), List.of(), List.of(), List.of(), List.of(),
        "sha256:" + "3".repeat(64));
  }

  static PromptBundle bundle(Policy... policies) {
    return PromptCompiler.compile(List.of(policies), PROMPTS, ModelParams.DEFAULT);
  }

  static Unit searchUnit() {
    return new Unit("u-1", Map.of("surface", "search"), List.of(
        new Component("query", "query", "quotes about hope", null),
        new Component("response", "response", "Here are some pins about hope", null),
        new Component("pin-1", "pin", "You are stronger than you think", null)));
  }
}
