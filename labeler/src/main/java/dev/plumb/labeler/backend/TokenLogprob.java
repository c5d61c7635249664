package dev.plumb.labeler.backend;

import java.util.List;
import java.util.Objects;

/**
 * One answer token with its log-probability and the most likely alternatives at its position, as an
 * OpenAI-compatible server returns them with {@code logprobs: true, top_logprobs: n}
 * ({@code choices[0].logprobs.content[i]}).
 *
 * @param token the token's text as the server decoded it (may be part of a word, or whitespace)
 * @param logprob its natural log-probability
 * @param top the alternatives at this position, most likely first as the server sent them (the
 *     token itself is usually among them); empty when the server sent none
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {
  public TokenLogprob {
    Objects.requireNonNull(token, "token");
    top = List.copyOf(top);
  }

  /** One alternative token at a position and its natural log-probability. */
  public record Alternative(String token, double logprob) {
    public Alternative {
      Objects.requireNonNull(token, "token");
    }
  }
}
