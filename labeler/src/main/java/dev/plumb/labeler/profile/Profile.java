package dev.plumb.labeler.profile;

import dev.plumb.core.InputException;
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
