package dev.plumb.labeler.profile;

import dev.plumb.labeler.backend.TokenLogprob;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The probability of the violating answer, read from the token log-probabilities of the first
 * decision token (docs/labeler.md, "Scores from log-probabilities").
 *
 * <p>Given the answer text, its tokens with their top alternatives, and the character offset where
 * the decision starts (Llama Guard's {@code safe}/{@code unsafe}, ShieldGemma's {@code Yes}/{@code No},
 * gpt-oss-safeguard's {@code 0}/{@code 1}, the decision value in plumb's JSON), the token covering
 * that offset is found. Each alternative at that position that shares the token's text before the
 * offset is read as the start of an answer and classified: violating, not violating, or neither (a
 * token that starts no decision, or starts decisions on both sides). The score is
 *
 * <pre>  score = Σ p(violating alternatives) / (Σ p(violating) + Σ p(not violating)),  p = exp(logprob)</pre>
 *
 * — the normalisation over the decision alternatives present in {@code top_logprobs} that the
 * ShieldGemma model card uses for Yes/No (a softmax over the two tokens' logits) and Llama Guard's
 * paper for "unsafe" (Inan et al. 2023, "Llama Guard", §3: the probability of the first token being
 * "unsafe"). Probability mass outside the alternatives the server returned is left out, so the score
 * is conditional on the answer being one of the decisions. A token listed twice counts once.
 */
final class DecisionScore {
  private DecisionScore() {}

  /**
   * The score, or {@code null} when there is none: no log-probabilities, tokens that do not spell the
   * text, or no alternative at the decision's position that starts a decision.
   *
   * @param text the answer text the tokens spell
   * @param at the offset in {@code text} where the decision's first character is
   * @param side what an answer starting with the given text decides: {@code TRUE} violating,
   *     {@code FALSE} not violating, {@code null} neither or both
   */
  static Double of(String text, List<TokenLogprob> tokens, int at, Function<String, Boolean> side) {
    if (tokens.isEmpty() || at < 0 || at >= text.length()) {
      return null;
    }
    StringBuilder joined = new StringBuilder();
    for (TokenLogprob t : tokens) {
      joined.append(t.token());
    }
    // a server may strip the answer it returns; the tokens still spell it somewhere
    int base = joined.indexOf(text);
    if (base < 0) {
      return null;
    }
    int target = base + at;
    int start = 0;
    for (TokenLogprob t : tokens) {
      int end = start + t.token().length();
      if (target < end) {
        return score(t, target - start, side);
      }
      start = end;
    }
    return null;
  }

  private static Double score(TokenLogprob token, int k, Function<String, Boolean> side) {
    String before = token.token().substring(0, k);
    List<TokenLogprob.Alternative> top =
        token.top().isEmpty() ? List.of(new TokenLogprob.Alternative(token.token(), token.logprob())) : token.top();
    double yes = 0;
    double no = 0;
    Set<String> seen = new HashSet<>();
    for (TokenLogprob.Alternative a : top) {
      if (!seen.add(a.token()) || a.token().length() <= k || !a.token().startsWith(before)) {
        continue;
      }
      Boolean s = side.apply(a.token().substring(k));
      if (s == null) {
        continue;
      }
      double p = Math.exp(a.logprob());
      if (s) {
        yes += p;
      } else {
        no += p;
      }
    }
    if (!(yes + no > 0)) {
      return null;
    }
    return yes / (yes + no);
  }

  /**
   * Classifies the start of a word answer against two words, case-insensitively: a prefix of only
   * {@code violating} (or text starting with it) is {@code TRUE}, of only {@code notViolating}
   * {@code FALSE}; a prefix of both, of neither, or empty text is {@code null}. Leading whitespace
   * is skipped.
   */
  static Boolean word(String start, String violating, String notViolating) {
    String s = start.stripLeading().toLowerCase(java.util.Locale.ROOT);
    String v = violating.toLowerCase(java.util.Locale.ROOT);
    String n = notViolating.toLowerCase(java.util.Locale.ROOT);
    if (s.isEmpty()) {
      return null;
    }
    boolean isV = v.startsWith(s) || (s.startsWith(v) && !startsWord(s, v.length()));
    boolean isN = n.startsWith(s) || (s.startsWith(n) && !startsWord(s, n.length()));
    if (isV == isN) {
      return null;
    }
    return isV;
  }

  /** Whether a letter follows at {@code i} (then the word there is longer than the one matched). */
  private static boolean startsWord(String s, int i) {
    return i < s.length() && Character.isLetter(s.charAt(i));
  }
}
