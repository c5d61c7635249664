package dev.plumb.labeler.batch;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Estimates a request's prompt tokens before it is sent: OpenAI's tokenizer (jtokkit) for OpenAI
 * models, otherwise characters / 4. Each message adds 4 tokens of framing, each image
 * {@link #IMAGE_TOKENS}. {@link #learn} folds in what the provider reported ({@code usage}), so
 * estimates for other tokenizers converge on the truth.
 *
 * <p>For rate limiting the estimate is never below characters / 4: OpenAI counts a request
 * against the tokens/minute limit from its character count before tokenizing it.
 *
 * <p>Thread-safe.
 */
final class TokenEstimator {
  /** A detailed 1024×1024 image on OpenAI's tile scheme (170 per 512 px tile + 85). */
  static final int IMAGE_TOKENS = 765;
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private final Encoding encoding;
  private volatile double correction = 1.0;
  /** Long texts repeat (the system message is the same for every unit): count each once. */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> counted = new java.util.concurrent.ConcurrentHashMap<>();

  TokenEstimator(String model) {
    this.encoding = encodingFor(model).orElse(null);
  }

  static Optional<Encoding> encodingFor(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    // the o200k families first: jtokkit's registry matches "gpt-4" as a prefix and would give
    // gpt-4.1-mini cl100k_base, a tokenizer it does not use
    if (m.matches("(gpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|chatgpt-4o|o1|o3|o4|gpt-oss)([-.:].*)?")) {
      return Optional.of(REGISTRY.getEncoding(EncodingType.O200K_BASE));
    }
    Optional<Encoding> known = REGISTRY.getEncodingForModel(m);
    if (known.isPresent()) {
      return known;
    }
    if (m.matches("(gpt-4|gpt-3\\.5).*")) {
      return Optional.of(REGISTRY.getEncoding(EncodingType.CL100K_BASE));
    }
    return Optional.empty();
  }

  /** Whether the model's own tokenizer is used (else the character heuristic). */
  boolean exact() {
    return encoding != null;
  }

  /** Estimated prompt tokens of {@code messages}, with the learned correction applied. */
  long prompt(List<ChatMessage> messages) {
    long chars = 0;
    long tokens = 3;
    int images = 0;
    for (ChatMessage m : messages) {
      tokens += 4;
      for (ContentPart p : m.parts()) {
        if (p instanceof ContentPart.Text t) {
          chars += t.text().length();
          tokens += count(t.text());
        } else {
          images++;
        }
      }
    }
    long corrected = Math.round((tokens + (long) images * IMAGE_TOKENS) * correction);
    return Math.max(corrected, (chars + 3) / 4);
  }

  /**
   * Prompt tokens of {@code messages} as the tokenizer counts them — 3 for the reply's priming,
   * 4 of framing per message, {@link #IMAGE_TOKENS} per image — with no learned correction and no
   * characters/4 floor: what a cost figure needs (the floor is only for rate pacing).
   */
  long exact(List<ChatMessage> messages) {
    long tokens = 3;
    for (ChatMessage m : messages) {
      tokens += message(m);
    }
    return tokens;
  }

  /** One message's tokens: 4 of framing, its text, {@link #IMAGE_TOKENS} per image. */
  long message(ChatMessage m) {
    long tokens = 4;
    for (ContentPart p : m.parts()) {
      tokens += p instanceof ContentPart.Text t ? count(t.text()) : IMAGE_TOKENS;
    }
    return tokens;
  }

  /** Tokens of one text (characters / 4 without the model's tokenizer). */
  int count(String text) {
    if (encoding == null) {
      return (text.length() + 3) / 4;
    }
    if (text.length() < 2000) {
      return encoding.countTokensOrdinary(text);
    }
    Integer n = counted.get(text);
    if (n == null) {
      if (counted.size() > 256) {
        counted.clear();
      }
      n = encoding.countTokensOrdinary(text);
      counted.put(text, n);
    }
    return n;
  }

  /** Adjusts future estimates by what the provider counted for a request we estimated. */
  void learn(long estimated, long actual) {
    if (estimated <= 0 || actual <= 0) {
      return;
    }
    double ratio = Math.max(0.25, Math.min(4.0, (double) actual / estimated * correction));
    correction = 0.9 * correction + 0.1 * ratio; // EWMA: one odd answer does not swing it
  }
}
