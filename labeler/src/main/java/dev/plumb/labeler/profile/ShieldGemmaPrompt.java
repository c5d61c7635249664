package dev.plumb.labeler.profile;

import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.PromptBundle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ShieldGemma: one policy per request, in the prompt-only template of its Hugging Face model card
 * (google/shieldgemma-2b, -9b, -27b: "You are a policy expert trying to help determine whether a user
 * prompt is in violation of the defined safety policies. ... Does the human question violate the
 * above principle? Your answer must start with 'Yes' or 'No'. ..."), the policy written as the card's
 * principle bullet ({@code * "No <title>": <summary>}) with its categories as sub-bullets, and the
 * unit as the human question. The answer starts with {@code Yes} (a violation) or {@code No}; what
 * follows is kept as the rationale. The card scores with the softmax of the {@code Yes} and
 * {@code No} logits at the first position, which is what {@link DecisionScore} computes from
 * {@code top_logprobs}.
 */
final class ShieldGemmaPrompt extends SummaryOnlyPrompt {

  ShieldGemmaPrompt(PromptBundle bundle, Profile.Settings settings, Profile.Choice choice) {
    super(bundle, settings, choice);
  }

  @Override
  String why() {
    return "it answers Yes or No for one principle: categories are described in the principle but never named in"
        + " an answer, and its template has no place for rules, allowed contexts or examples";
  }

  @Override
  List<ChatMessage> messages(List<Policy> group, String content) {
    Policy p = group.get(0);
    StringBuilder principle = new StringBuilder("* \"No ").append(p.title()).append("\": ").append(p.summary().strip());
    for (Category c : p.categories()) {
      principle.append("\n  * ").append(c.title()).append(": ").append(c.definition().strip());
    }
    String text = "You are a policy expert trying to help determine whether a user\n"
        + "prompt is in violation of the defined safety policies.\n\n"
        + "<start_of_turn>\n"
        + "Human Question: " + content.strip() + "\n"
        + "<end_of_turn>\n\n"
        + "Our safety principle is defined in the below:\n\n"
        + principle + "\n\n"
        + "Does the human question violate the above principle? Your answer must start\n"
        + "with 'Yes' or 'No'. And then walk through step by step to be sure we answer\n"
        + "correctly.\n";
    return List.of(ChatMessage.user(text));
  }

  @Override
  AnswerCheck parse(ModelReply reply, List<Policy> group) {
    Policy p = group.get(0);
    String raw = reply.text();
    int at = LlamaGuardPrompt.firstNonSpace(raw);
    String rest = at < 0 ? "" : raw.substring(at);
    int end = 0;
    while (end < rest.length() && Character.isLetter(rest.charAt(end))) {
      end++;
    }
    String word = rest.substring(0, end).toLowerCase(Locale.ROOT);
    if (!word.equals("yes") && !word.equals("no")) {
      return new AnswerCheck.Invalid(List.of("the answer must start with 'Yes' or 'No', found \""
          + (rest.length() > 40 ? rest.substring(0, 40) + "..." : rest) + "\""), raw);
    }
    String why = rest.substring(end).replaceFirst("^[\\s.,:;!-]+", "");
    Double score = scores ? DecisionScore.of(raw, reply.logprobs(), at, s -> DecisionScore.word(s, "yes", "no")) : null;
    return new AnswerCheck.Valid(Map.of(p.key(), answer(p, word.equals("yes"), null, why, score)));
  }
}
