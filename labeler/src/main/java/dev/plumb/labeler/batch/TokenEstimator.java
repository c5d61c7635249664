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
 * models; for Anthropic and Gemini models, which publish no offline tokenizer, {@code o200k_base}
 * scaled by a ratio measured for the family ({@link Scaled}); otherwise characters / 4. Each message adds 4 tokens of framing, each image
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

  /**
   * A family whose tokenizer plumb does not have, counted as {@code o200k_base} × {@code ratio}: an
   * estimate, within {@code error} (relative) of the provider's count on prompts like plumb's
   * (English instructions, delimited JSON data, a JSON schema).
   *
   * <ul>
   *   <li>Gemini: 1.06 ± 3%. Gemma 3 uses Gemini 2.0's tokenizer (Gemma Team, "Gemma 3 Technical
   *       Report", 2025, §2.1); on the starter library's unified prompt and 40 units of
   *       {@code fixtures/logs}, Gemma 3's tokenizer counts 1.049× o200k on the system message,
   *       1.001× on the schema and 1.056–1.088× (median 1.070×) on the unit messages, where
   *       characters / 4 is off by −3% to +15% (docs/labeler.md, "Dry run").
   *   <li>Claude: 1.20 ± 10%. Anthropic publishes no tokenizer for Claude 3 and later; L. Gupta
   *       ("Hidden costs in AI deployment", VentureBeat, 2025) measured Claude 3.5 Sonnet's
   *       {@code count_tokens} against GPT-4o's o200k at +16% on English articles, +21% on math and
   *       +30% on Python code. Not checked against an exact count here.
   * </ul>
   */
  record Scaled(String family, double ratio, double error) {
    String label() {
      return String.format(Locale.ROOT, "o200k_base x %.2f (%s estimate, +/-%.0f%%)", ratio, family, error * 100);
    }
  }

  static final Scaled GEMINI = new Scaled("Gemini", 1.06, 0.03);
  static final Scaled CLAUDE = new Scaled("Claude", 1.20, 0.10);

  private final Encoding encoding;
  private final Scaled scaled;
  private volatile double correction = 1.0;
  /** Long texts repeat (the system message is the same for every unit): count each once. */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> counted = new java.util.concurrent.ConcurrentHashMap<>();

  TokenEstimator(String model) {
    Encoding exact = encodingFor(model).orElse(null);
    this.scaled = exact == null ? scaledFor(model).orElse(null) : null;
    this.encoding = exact != null ? exact : scaled != null ? REGISTRY.getEncoding(EncodingType.O200K_BASE) : null;
  }

  /** The scaled count for a Claude or Gemini model (also behind a {@code provider/} prefix). */
  static Optional<Scaled> scaledFor(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    return m.startsWith("claude") ? Optional.of(CLAUDE) : m.startsWith("gemini") ? Optional.of(GEMINI) : Optional.empty();
  }

  /** How this estimator counts: a tokenizer name, a scaled count's label, or {@code chars/4}. */
  String method() {
    return scaled != null ? scaled.label() : encoding != null ? encoding.getName() : "chars/4";
  }

  /** The relative error of a count: 0 with the model's own tokenizer, the family's with a scaled one, 0.25 for characters / 4. */
  double error() {
    return scaled != null ? scaled.error() : encoding != null ? 0 : 0.25;
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

  /** Whether the model's own tokenizer is used (else a scaled count or the character heuristic). */
  boolean exact() {
    return encoding != null && scaled == null;
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

  /** Tokens of one text (o200k scaled for Claude and Gemini, characters / 4 without any tokenizer). */
  int count(String text) {
    if (encoding == null) {
      return (text.length() + 3) / 4;
    }
    return scaled == null ? ordinary(text) : (int) Math.round(ordinary(text) * scaled.ratio());
  }

  private int ordinary(String text) {
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
