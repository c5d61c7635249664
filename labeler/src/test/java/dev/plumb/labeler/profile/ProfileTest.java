package dev.plumb.labeler.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.TokenLogprob;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each profile's rendered prompt against a golden file written from the model's published template
 * (src/test/resources/profiles), and its answer parsing: the model's exact output format, malformed
 * and off-format answers, and scores from log-probabilities.
 */
class ProfileTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path GOLDEN = Path.of("src/test/resources/profiles");
  static final Unit UNIT = new Unit("u-1", Map.of(), List.of(
      new Component("query", "query", "how to stop eating for a week", null),
      new Component("pin-b", "pin", "Day 6 of no food <3", "pin-b.png")));

  static final PolicyLibrary LIBRARY = PolicyLibrary.load(ROOT.resolve("policies"));

  static List<Policy> starters(String... refs) {
    return LIBRARY.select(List.of(refs));
  }

  static LabelingPrompt prompt(String profile, boolean scores, List<String> notices, String... refs) {
    PromptBundle bundle = PromptCompiler.compile(starters(refs), ROOT.resolve("prompts"), ModelParams.DEFAULT);
    return Profile.parse(profile).prompt(bundle, ROOT, new Profile.Settings(scores, null,
        Profile.Settings.filesUnder(Path.of("policies")), notices::add));
  }

  static String rendered(LabelingPrompt p, List<String> group) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : p.render(UNIT, true, group).messages()) {
      sb.append("=== ").append(m.role().name().toLowerCase(java.util.Locale.ROOT)).append(" ===\n").append(m.text()).append('\n');
    }
    return sb.toString();
  }

  /** Compares with the golden file; {@code -Dplumb.golden.write=true} rewrites it (then review the diff). */
  static void golden(String name, String actual) throws IOException {
    Path f = GOLDEN.resolve(name);
    if (Boolean.getBoolean("plumb.golden.write")) {
      Files.writeString(f, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(f, StandardCharsets.UTF_8));
  }

  @Test
  void should_render_self_harm_as_gpt_oss_safeguard_system_message_as_the_cookbook_guide_structures_it() throws IOException {
    LabelingPrompt p = prompt("gpt-oss-safeguard", false, new ArrayList<>(), "self_harm@2");
    assertThat(p.requests()).containsExactly(List.of("self_harm@2"));
    golden("gpt-oss-safeguard.self_harm.txt", rendered(p, List.of("self_harm@2")));
    assertThat(p.render(UNIT, true, List.of("self_harm@2")).imagesOmitted()).containsExactly("pin-b");
    assertThat(p.schema()).isNull();
    assertThat(p.maxOutputTokens()).isEqualTo(4096);
  }

  @Test
  void should_render_all_policies_as_llama_guard_categories_in_one_request_and_one_each_with_scores() throws IOException {
    List<String> notices = new ArrayList<>();
    LabelingPrompt p = prompt("llama-guard", false, notices, "self_harm@2", "harassment@1");
    assertThat(p.requests()).containsExactly(List.of("harassment@1", "self_harm@2"));
    golden("llama-guard.harassment_self_harm.txt", rendered(p, p.requests().get(0)));
    assertThat(notices).contains("policies/self_harm/v2.yaml: categories, rules, allowed, examples: llama-guard cannot"
        + " express them (a category is the policy's summary with its categories' definitions; the answer names the"
        + " policy (S<n>), not a category, and the template has no place for rules, allowed contexts or examples)");
    assertThat(notices).contains("policies/self_harm/v2.yaml: decisions: llama-guard answers violating or not:"
        + " \"violating\" stands for a violation and \"safe\" for none; \"borderline\" never given");

    LabelingPrompt scored = prompt("llama-guard", true, new ArrayList<>(), "self_harm@2", "harassment@1");
    assertThat(scored.requests()).containsExactly(List.of("harassment@1"), List.of("self_harm@2"));
    assertThat(scored.topLogprobs()).isEqualTo(5);
  }

  @Test
  void should_render_self_harm_in_the_shieldgemma_model_card_template() throws IOException {
    LabelingPrompt p = prompt("shieldgemma", false, new ArrayList<>(), "self_harm@2", "harassment@1");
    assertThat(p.requests()).containsExactly(List.of("harassment@1"), List.of("self_harm@2"));
    golden("shieldgemma.self_harm.txt", rendered(p, List.of("self_harm@2")));
    assertThat(p.maxOutputTokens()).isEqualTo(16);
  }

  @Test
  void should_keep_plumbs_prompt_and_fingerprint_byte_identical_with_and_without_scores() {
    PromptBundle bundle = PromptCompiler.compile(starters("self_harm@2"), ROOT.resolve("prompts"), ModelParams.DEFAULT);
    LabelingPrompt plain = LabelingPrompt.of(bundle, ROOT);
    for (boolean scores : new boolean[] {false, true}) {
      LabelingPrompt p = Profile.Choice.DEFAULT.prompt(bundle, ROOT, new Profile.Settings(scores, null,
          Profile.Settings.filesUnder(Path.of("policies")), n -> {}));
      assertThat(p.fingerprint()).isEqualTo(plain.fingerprint());
      assertThat(p.render(UNIT, false, p.policies()).messages()).isEqualTo(plain.render(UNIT, false).messages());
      assertThat(p.requests()).containsExactly(List.of("self_harm@2"));
      assertThat(p.topLogprobs()).isEqualTo(scores ? 5 : 0);
    }
  }

  @Test
  void should_give_each_profile_its_own_fingerprint_that_follows_the_policy_and_the_effort() {
    String low = prompt("gpt-oss-safeguard:low", false, new ArrayList<>(), "self_harm@2").fingerprint();
    String high = prompt("gpt-oss-safeguard:high", false, new ArrayList<>(), "self_harm@2").fingerprint();
    String v1 = prompt("gpt-oss-safeguard:low", false, new ArrayList<>(), "self_harm@1").fingerprint();
    String gemma = prompt("shieldgemma", false, new ArrayList<>(), "self_harm@2").fingerprint();
    assertThat(List.of(low, high, v1, gemma)).doesNotHaveDuplicates();
    assertThat(prompt("gpt-oss-safeguard:low", false, new ArrayList<>(), "self_harm@2").fingerprint()).isEqualTo(low);
  }

  @Test
  void should_refuse_an_unknown_profile_or_effort_naming_the_choices() {
    assertThatThrownBy(() -> Profile.parse("llamaguard")).hasMessage(
        "unknown profile \"llamaguard\"; choose one of plumb, gpt-oss-safeguard, llama-guard, shieldgemma");
    assertThatThrownBy(() -> Profile.parse("gpt-oss-safeguard:max")).hasMessage(
        "gpt-oss-safeguard's reasoning effort must be one of low, medium, high, not \"max\"");
    assertThatThrownBy(() -> Profile.parse("shieldgemma:high")).hasMessage(
        "profile shieldgemma takes no \":high\" (only gpt-oss-safeguard takes a reasoning effort)");
    assertThat(Profile.parse("gpt-oss-safeguard").toString()).isEqualTo("gpt-oss-safeguard:medium");
  }

  // ---- answers ----

  private static AnswerCheck check(LabelingPrompt p, String text, List<String> group) {
    return p.check(new ModelReply(text, null, false, 1, 1, null, "text"), UNIT, group);
  }

  private static PolicyAnswer only(AnswerCheck c, String key) {
    assertThat(c).isInstanceOf(AnswerCheck.Valid.class);
    return ((AnswerCheck.Valid) c).answers().get(key);
  }

  @Test
  void should_read_llama_guard_safe_and_unsafe_with_categories_and_refuse_off_format_answers() {
    LabelingPrompt p = prompt("llama-guard", false, new ArrayList<>(), "self_harm@2", "harassment@1");
    List<String> all = p.requests().get(0);
    AnswerCheck unsafe = check(p, "\n\nunsafe\nS2", all);
    assertThat(only(unsafe, "self_harm@2").decision()).isEqualTo("violating");
    assertThat(only(unsafe, "self_harm@2").positive()).isTrue();
    assertThat(only(unsafe, "self_harm@2").category()).isNull();
    assertThat(only(unsafe, "harassment@1").positive()).isFalse();
    assertThat(only(check(p, "unsafe\nS1, S2", all), "harassment@1").positive()).isTrue();
    assertThat(only(check(p, "safe", all), "self_harm@2").decision()).isEqualTo("safe");
    assertThat(only(check(p, "safe", all), "self_harm@2").score()).isNull();

    assertThat(check(p, "I cannot help with that.", all)).isEqualTo(new AnswerCheck.Invalid(
        List.of("the first line must read 'safe' or 'unsafe', found \"I cannot help with that.\""), "I cannot help with that."));
    assertThat(check(p, "unsafe\nS3", all)).isEqualTo(new AnswerCheck.Invalid(
        List.of("unknown category \"S3\" (the categories are S1..S2)"), "unsafe\nS3"));
    assertThat(check(p, "unsafe", all)).isEqualTo(new AnswerCheck.Invalid(
        List.of("'unsafe' needs a second line listing the violated categories"), "unsafe"));
    assertThat(check(p, "safe\nS1", all)).isEqualTo(new AnswerCheck.Invalid(List.of("expected one line, found 2"), "safe\nS1"));
  }

  @Test
  void should_read_shieldgemma_yes_and_no_with_the_rest_as_rationale_and_refuse_anything_else() {
    LabelingPrompt p = prompt("shieldgemma", false, new ArrayList<>(), "self_harm@2");
    List<String> g = List.of("self_harm@2");
    PolicyAnswer yes = only(check(p, "Yes. The content asks for a fasting plan", g), "self_harm@2");
    assertThat(yes.decision()).isEqualTo("violating");
    assertThat(yes.rationale()).isEqualTo("The content asks for a fasting plan");
    assertThat(Double.isNaN(yes.confidence())).isTrue();
    assertThat(only(check(p, "No", g), "self_harm@2").decision()).isEqualTo("safe");
    assertThat(check(p, "Maybe, it depends", g)).isEqualTo(new AnswerCheck.Invalid(
        List.of("the answer must start with 'Yes' or 'No', found \"Maybe, it depends\""), "Maybe, it depends"));
    assertThat(check(p, "Yesterday I", g)).isInstanceOf(AnswerCheck.Invalid.class);
  }

  @Test
  void should_read_the_safeguard_json_verdict_and_check_its_category() {
    LabelingPrompt p = prompt("gpt-oss-safeguard", false, new ArrayList<>(), "self_harm@2");
    List<String> g = List.of("self_harm@2");
    PolicyAnswer a = only(check(p,
        "{\"violation\": 1, \"policy_category\": \"disordered_eating\", \"rationale\": \"R3: a fasting plan.\"}", g),
        "self_harm@2");
    assertThat(a).isEqualTo(new PolicyAnswer("self_harm@2", "violating", true, "disordered_eating", Double.NaN,
        "R3: a fasting plan.", List.of(), null));
    assertThat(only(check(p, "{\"violation\": 0, \"policy_category\": null, \"rationale\": \"Support.\"}", g),
        "self_harm@2").decision()).isEqualTo("safe");
    assertThat(check(p, "1", g)).isEqualTo(new AnswerCheck.Invalid(List.of("the answer is not one JSON object"), "1"));
    assertThat(check(p, "{\"violation\": 2}", g)).isEqualTo(new AnswerCheck.Invalid(
        List.of("\"violation\" must be 0 or 1, found 2"), "{\"violation\": 2}"));
    assertThat(check(p, "{\"violation\": 1, \"policy_category\": \"spam\"}", g)).isEqualTo(new AnswerCheck.Invalid(
        List.of("\"policy_category\" must be one of promotion, instructions, disordered_eating, graphic_depiction when"
            + " \"violation\" is 1, found \"spam\""), "{\"violation\": 1, \"policy_category\": \"spam\"}"));
  }

  // ---- scores ----

  private static TokenLogprob token(String t, double lp, Object... top) {
    List<TokenLogprob.Alternative> alts = new ArrayList<>();
    for (int i = 0; i < top.length; i += 2) {
      alts.add(new TokenLogprob.Alternative((String) top[i], (Double) top[i + 1]));
    }
    return new TokenLogprob(t, lp, alts);
  }

  private static Double score(LabelingPrompt p, String text, List<String> group, String key, TokenLogprob... tokens) {
    AnswerCheck c = p.check(new ModelReply(text, null, false, 1, 1, null, "text", 0, 0, List.of(tokens)), UNIT, group);
    return only(c, key).score();
  }

  @Test
  void should_score_shieldgemma_as_the_softmax_of_yes_and_no_at_the_first_token() {
    LabelingPrompt p = prompt("shieldgemma", true, new ArrayList<>(), "self_harm@2");
    // python3 -c "import math; a,b=math.exp(-0.4),math.exp(-1.2); print(round(a/(a+b),6))"  -> 0.689974
    // (the ':' alternative starts no answer and is left out)
    Double s = score(p, "No", List.of("self_harm@2"), "self_harm@2",
        token("No", -1.2, "Yes", -0.4, "No", -1.2, ":", -3.0));
    assertThat(s).isCloseTo(0.689974, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void should_score_llama_guard_from_unsafe_against_safe_after_leading_newlines() {
    LabelingPrompt p = prompt("llama-guard", true, new ArrayList<>(), "self_harm@2", "harassment@1");
    // python3 -c "import math; u=math.exp(-2.0)+math.exp(-4.0); s=math.exp(-0.15); print(round(u/(u+s),6))" -> 0.151476
    // ("un" starts only "unsafe"; the two tokens of the newline are skipped)
    Double s = score(p, "\n\nsafe", List.of("self_harm@2"), "self_harm@2",
        token("\n\n", -0.01, "\n\n", -0.01), token("safe", -0.15, "safe", -0.15, "unsafe", -2.0, "un", -4.0));
    assertThat(s).isCloseTo(0.151476, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void should_score_plumbs_json_from_the_decision_value_token_and_leave_borderline_on_the_safe_side() {
    LabelingPrompt p = prompt("plumb", true, new ArrayList<>(), "self_harm@2");
    String text = "{\"self_harm\":{\"rationale\":\"R4.\",\"evidence\":[],\"decision\":\"borderline\","
        + "\"category\":null,\"confidence\":0.6}}";
    int at = text.indexOf("\"borderline") ;
    // the tokens: everything before the decision's opening quote, then '"border' (quote included), then the rest
    TokenLogprob before = token(text.substring(0, at), -0.001);
    TokenLogprob value = token("\"border", -0.5, "\"border", -0.5, "\"viol", -1.5, "\"safe", -2.5, "\"", -5.0);
    TokenLogprob after = token(text.substring(at + 7), -0.001);
    // python3 -c "import math; v=math.exp(-1.5); n=math.exp(-0.5)+math.exp(-2.5); print(round(v/(v+n),6))" -> 0.244728
    // ('"' alone starts every decision: it counts for neither side)
    Double s = score(p, text, List.of("self_harm@2"), "self_harm@2", before, value, after);
    assertThat(s).isCloseTo(0.244728, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void should_score_the_safeguard_verdict_from_the_violation_digit() {
    LabelingPrompt p = prompt("gpt-oss-safeguard", true, new ArrayList<>(), "self_harm@2");
    String text = "{\"violation\": 1, \"policy_category\": \"instructions\", \"rationale\": \"R3.\"}";
    // python3 -c "import math; a,b=math.exp(-0.7),math.exp(-0.9); print(round(a/(a+b),6))" -> 0.549834
    Double s = score(p, text, List.of("self_harm@2"), "self_harm@2", token("{\"violation\":", -0.001),
        token(" 1", -0.7, " 1", -0.7, " 0", -0.9, " true", -4.0), token(text.substring(15), -0.001));
    assertThat(s).isCloseTo(0.549834, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void should_give_no_score_when_the_tokens_do_not_spell_the_answer() {
    LabelingPrompt p = prompt("shieldgemma", true, new ArrayList<>(), "self_harm@2");
    assertThat(score(p, "Yes", List.of("self_harm@2"), "self_harm@2", token("Maybe", -0.1, "Yes", -1.0))).isNull();
  }
}
