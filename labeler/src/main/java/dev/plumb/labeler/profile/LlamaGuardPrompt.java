package dev.plumb.labeler.profile;

import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.PromptBundle;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Llama Guard 3 and 4: the policies as custom unsafe-content categories {@code S1..Sn} (in the
 * order of the request's policies) in the model's conversation template, the unit as the one
 * {@code User} turn, and its answer {@code safe} or {@code unsafe} with the violated categories on
 * a second line ({@code unsafe\nS1,S3}). The text is {@code build_custom_prompt(AgentType.USER, ...,
 * with_policy=True)} of Meta's llama-cookbook ({@code src/llama_cookbook/inference/prompt_format_utils.py},
 * {@code PROMPT_TEMPLATE_3} without its special tokens, which the server's chat template adds).
 *
 * <p>One request answers every policy. With scores on, each policy gets a request of its own: the
 * first answer token ({@code safe}/{@code unsafe}) is one number for the whole request, so only a
 * one-category request gives a policy its own score.
 */
final class LlamaGuardPrompt extends SummaryOnlyPrompt {
  private static final Pattern CATEGORY = Pattern.compile("S(\\d+)");

  LlamaGuardPrompt(PromptBundle bundle, Profile.Settings settings, Profile.Choice choice) {
    super(bundle, settings, choice);
  }

  @Override
  String why() {
    return "a category is the policy's summary with its categories' definitions; the answer names the policy (S<n>),"
        + " not a category, and the template has no place for rules, allowed contexts or examples";
  }

  @Override
  public List<List<String>> requests() {
    return scores ? super.requests() : List.of(policies());
  }

  @Override
  List<ChatMessage> messages(List<Policy> group, String content) {
    StringBuilder categories = new StringBuilder();
    for (int i = 0; i < group.size(); i++) {
      Policy p = group.get(i);
      if (i > 0) {
        categories.append('\n');
      }
      categories.append('S').append(i + 1).append(": ").append(p.title()).append(".\n").append(description(p));
    }
    String text = "Task: Check if there is unsafe content in 'User' messages in conversations according our safety"
        + " policy with the below categories.\n"
        + "\n<BEGIN UNSAFE CONTENT CATEGORIES>\n" + categories + "\n<END UNSAFE CONTENT CATEGORIES>\n"
        + "\n<BEGIN CONVERSATION>\n\nUser: " + content + "\n\n<END CONVERSATION>\n"
        + "\nProvide your safety assessment for ONLY THE LAST User message in the above conversation:\n"
        + " - First line must read 'safe' or 'unsafe'.\n"
        + " - If unsafe, a second line must include a comma-separated list of violated categories.";
    return List.of(ChatMessage.user(text));
  }

  /** A policy as a category description: its summary, then what its categories cover. */
  private static String description(Policy p) {
    StringBuilder sb = new StringBuilder(p.summary().strip());
    if (!p.categories().isEmpty()) {
      sb.append(" Unsafe content includes:");
      for (Category c : p.categories()) {
        sb.append("\n - ").append(c.title()).append(": ").append(c.definition().strip());
      }
    }
    return sb.toString();
  }

  @Override
  AnswerCheck parse(ModelReply reply, List<Policy> group) {
    String raw = reply.text();
    List<String> lines = raw.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String first = lines.isEmpty() ? "" : lines.get(0);
    boolean unsafe;
    if (first.equals("safe")) {
      unsafe = false;
    } else if (first.equals("unsafe")) {
      unsafe = true;
    } else {
      return new AnswerCheck.Invalid(List.of("the first line must read 'safe' or 'unsafe', found \"" + first + "\""), raw);
    }
    if (lines.size() > (unsafe ? 2 : 1)) {
      return new AnswerCheck.Invalid(List.of("expected " + (unsafe ? "two lines" : "one line") + ", found " + lines.size()), raw);
    }
    Set<Integer> violated = new LinkedHashSet<>();
    if (unsafe) {
      if (lines.size() < 2) {
        if (group.size() > 1) {
          return new AnswerCheck.Invalid(List.of("'unsafe' needs a second line listing the violated categories"), raw);
        }
        violated.add(1); // one category: 'unsafe' can only mean it
      } else {
        for (String part : lines.get(1).split(",")) {
          Matcher m = CATEGORY.matcher(part.strip());
          int n = m.matches() ? Integer.parseInt(m.group(1)) : -1;
          if (n < 1 || n > group.size()) {
            return new AnswerCheck.Invalid(List.of("unknown category \"" + part.strip() + "\" (the categories are S1"
                + (group.size() > 1 ? "..S" + group.size() : "") + ")"), raw);
          }
          violated.add(n);
        }
      }
    }
    Double score = scores && group.size() == 1
        ? DecisionScore.of(raw, reply.logprobs(), firstNonSpace(raw), s -> DecisionScore.word(s, "unsafe", "safe"))
        : null;
    Map<String, PolicyAnswer> answers = new LinkedHashMap<>();
    for (int i = 0; i < group.size(); i++) {
      Policy p = group.get(i);
      answers.put(p.key(), answer(p, violated.contains(i + 1), null, "", score));
    }
    return new AnswerCheck.Valid(answers);
  }

  static int firstNonSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
