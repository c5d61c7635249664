package dev.plumb.labeler.profile;

import dev.plumb.core.InputException;
import dev.plumb.labeler.batch.AnswerLength;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PromptBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The format a model was trained on (docs/labeler.md, "Model profiles"): how the policy library is
 * rendered into requests and how the model's answer becomes plumb's label records. {@link #PLUMB}
 * is the unified prompt of the prompt compiler, byte for byte; the others render the same policies
 * into an open safety model's own template and parse its own output format.
 */
public enum Profile {
  /** plumb's unified prompt (docs/prompts.md): one request per unit for every policy, a JSON answer. */
  PLUMB("plumb", 0),
  /**
   * gpt-oss-safeguard (OpenAI/ROOST, "User guide for gpt-oss-safeguard", OpenAI Cookbook, 2025): one
   * policy per request as the system message, the unit as the user message, a JSON verdict.
   */
  GPT_OSS_SAFEGUARD("gpt-oss-safeguard", 4096),
  /**
   * Llama Guard 3 and 4 (Meta, llama-cookbook {@code prompt_format_utils.py}, model cards): the
   * policies as custom categories S1..Sn of its conversation template; one request answers all.
   */
  LLAMA_GUARD("llama-guard", 20),
  /** ShieldGemma (Google, Hugging Face model card): one policy per request in its Yes/No template. */
  SHIELDGEMMA("shieldgemma", 16);

  /** The reasoning efforts gpt-oss-safeguard's harmony format takes ({@code Reasoning: medium} by default). */
  public static final List<String> EFFORTS = List.of("low", "medium", "high");

  /** How many alternatives per answer token are asked for when scores are on. */
  static final int TOP_LOGPROBS = 5;

  private final String id;
  private final int defaultMaxOutputTokens;

  Profile(String id, int defaultMaxOutputTokens) {
    this.id = id;
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
  }

  /** {@code plumb}, {@code gpt-oss-safeguard}, {@code llama-guard} or {@code shieldgemma}. */
  public String id() {
    return id;
  }

  /**
   * The profile named {@code name}: an id, for gpt-oss-safeguard optionally with its reasoning
   * effort ({@code gpt-oss-safeguard:high}).
   *
   * @throws IllegalArgumentException naming the choices when {@code name} is none of them
   */
  public static Choice parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    String effort = null;
    int colon = n.indexOf(':');
    if (colon >= 0) {
      effort = n.substring(colon + 1);
      n = n.substring(0, colon);
    }
    for (Profile p : values()) {
      if (p.id.equals(n)) {
        if (effort != null && p != GPT_OSS_SAFEGUARD) {
          throw new IllegalArgumentException("profile " + p.id + " takes no \":" + effort
              + "\" (only gpt-oss-safeguard takes a reasoning effort)");
        }
        if (effort != null && !EFFORTS.contains(effort)) {
          throw new IllegalArgumentException("gpt-oss-safeguard's reasoning effort must be one of "
              + String.join(", ", EFFORTS) + ", not \"" + effort + "\"");
        }
        return new Choice(p, p == GPT_OSS_SAFEGUARD ? (effort == null ? "medium" : effort) : null);
      }
    }
    throw new IllegalArgumentException("unknown profile \"" + name + "\"; choose one of "
        + String.join(", ", Arrays.stream(values()).map(Profile::id).toList()));
  }

  /**
   * A profile with its settings.
   *
   * @param effort gpt-oss-safeguard's reasoning effort ({@code low}, {@code medium}, {@code high});
   *     null for the other profiles
   */
  public record Choice(Profile profile, String effort) {
    public Choice {
      Objects.requireNonNull(profile, "profile");
    }

    /** plumb's unified prompt. */
    public static final Choice DEFAULT = new Choice(PLUMB, null);

    /** How the choice is written: {@code llama-guard}, {@code gpt-oss-safeguard:high}. */
    @Override
    public String toString() {
      return effort == null ? profile.id : profile.id + ":" + effort;
    }

    /**
     * The labeling prompt of this profile over the bundle's policies.
     *
     * @param unitsDir the folder relative image paths resolve against (plumb's prompt only: the
     *     safety models' profiles are text-only)
     * @param settings scores, the output cap, where each policy's file is and who hears notices
     * @throws InputException when a policy cannot be labeled by this profile at all (naming its file
     *     and field); what a profile only leaves out is a notice
     */
    public LabelingPrompt prompt(PromptBundle bundle, Path unitsDir, Settings settings) {
      return switch (profile) {
        case PLUMB -> settings.scores()
            ? new PlumbScores(LabelingPrompt.of(bundle, unitsDir), bundle.policies())
            : LabelingPrompt.of(bundle, unitsDir);
        case GPT_OSS_SAFEGUARD -> new SafeguardPrompt(bundle, settings, this);
        case LLAMA_GUARD -> new LlamaGuardPrompt(bundle, settings, this);
        case SHIELDGEMMA -> new ShieldGemmaPrompt(bundle, settings, this);
      };
    }

    /**
     * The expected answer length without a previous run (the dry run's expected cost), in o200k tokens
     * like the prompt (docs/labeler.md, "Cost, budget and dry run"):
     *
     * <ul>
     *   <li>plumb: {@link AnswerLength#UNIFIED}, 5 + 55 per policy;
     *   <li>llama-guard: 2 a request — {@code safe} (1 token) and the end of turn; its answer format
     *       (model card, llama-cookbook {@code prompt_format_utils.py}) is {@code safe} or {@code
     *       unsafe} plus a line of categories ({@code unsafe
S1}, 4 tokens), and violations are rare;
     *   <li>shieldgemma: 16 a request, its default cap — its template asks for Yes or No "and then walk
     *       through step by step" (Hugging Face model card), so the answer runs on to the cap;
     *   <li>gpt-oss-safeguard: 46 a request for the JSON verdict of its output format (41–46 o200k
     *       tokens with a 120–135-character rationale) and the end of turn, plus the reasoning the
     *       harmony format bills as output: an <em>assumption</em> of 150 / 400 / 1,000 tokens at low /
     *       medium / high effort, since neither the user guide nor the model card states a length for
     *       classification; a previous run's measured figure replaces it.
     * </ul>
     */
    public AnswerLength expectedAnswer() {
      return switch (profile) {
        case PLUMB -> AnswerLength.UNIFIED;
        case LLAMA_GUARD -> new AnswerLength(2, 0, "2 per request for llama-guard: \"safe\" and the end of turn;"
            + " \"unsafe\\nS1\" is 4, violations are rare");
        case SHIELDGEMMA -> new AnswerLength(16, 0, "16 per request for shieldgemma: Yes/No and the step-by-step"
            + " explanation its template asks for, to the default cap");
        case GPT_OSS_SAFEGUARD -> {
          int reasoning = switch (effort) {
            case "low" -> 150;
            case "high" -> 1000;
            default -> 400;
          };
          yield new AnswerLength(46 + reasoning, 0, (46 + reasoning) + " per request for " + this + ": a 46-token JSON"
              + " verdict + " + reasoning + " reasoning tokens (assumed; measure with a small run)");
        }
      };
    }

    /** The answer's token cap: the one given, else the profile's own default (for plumb the bundle's). */
    int maxOutputTokens(Settings settings, PromptBundle bundle) {
      if (settings.maxOutputTokens() != null) {
        return settings.maxOutputTokens();
      }
      return profile == PLUMB ? bundle.modelParams().maxOutputTokens() : profile.defaultMaxOutputTokens;
    }
  }

  /**
   * What a profile needs besides the policies.
   *
   * @param scores whether to ask for token log-probabilities and score every {@code ok} label
   * @param maxOutputTokens the answer's token cap given by the user, or null for the profile's default
   *     (gpt-oss-safeguard 4096, room to reason; Llama Guard 20; ShieldGemma 16: only the first word is read)
   * @param files where a policy version was read from, for messages ({@code policies/self_harm/v2.yaml})
   * @param notices hears what a profile leaves out of a policy
   */
  public record Settings(boolean scores, Integer maxOutputTokens, Function<Policy, String> files, Consumer<String> notices) {
    public Settings {
      Objects.requireNonNull(files, "files");
      Objects.requireNonNull(notices, "notices");
    }

    /** The policy library's layout under {@code dir} ({@code <dir>/<id>/v<N>.yaml}). */
    public static Function<Policy, String> filesUnder(Path dir) {
      return p -> dir.resolve(p.id()).resolve("v" + p.version() + ".yaml").toString();
    }
  }
}
