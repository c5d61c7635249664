package dev.plumb.labeler.batch;

import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.local.TrainingData;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.profile.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How one labeling session is set up — backend, model, limits, retries, response cache — with the
 * defaults in one place. {@code plumb label}, {@code plumb prompt test}, the run's label stage and
 * {@code plumb backfill} all build their {@link LabelerConfig} through it, so a default changed here
 * changes for all of them.
 *
 * <p>Immutable; {@link #builder()} starts from the defaults. Setters of the builder do not check:
 * {@link #spec()} and {@link LabelerConfig.Builder#build()} throw {@link IllegalArgumentException}
 * naming the bad setting, which each caller words for its own input (an option, a run-file field).
 */
public final class LabelingSession {
  /** The most requests in flight; the adaptive limit stays at or below it. */
  public static final int DEFAULT_CONCURRENCY = 32;

  /** The longest wait for one answer before it counts as a timeout. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;

  /** Calls per label before a timeout, reset or 5xx becomes a failed label. */
  public static final int DEFAULT_MAX_ATTEMPTS = 6;

  /** The backend by default: any OpenAI-compatible server. */
  public static final String DEFAULT_BACKEND = "openai";

  private final Builder b;

  private LabelingSession(Builder b) {
    this.b = b.copy();
  }

  /** A session with every default: openai backend, no model, learned limits, cache in {@link #defaultCacheDir()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The plumb cache directory: {@code -Dplumb.cache.dir}, else {@code .plumb-cache} in the working
   * directory. Holds the response cache, the local classifier's models and embeddings.
   */
  public static Path defaultCacheDir() {
    return LocalClassifier.defaultCacheDir();
  }

  public String backend() {
    return b.backend;
  }

  public String model() {
    return b.model;
  }

  public String baseUrl() {
    return b.baseUrl;
  }

  /**
   * The error for an LLM backend run without {@code --model}, shared by every labeling command: it
   * names the offline way too, since a first run often has neither a model nor a key.
   */
  public static String modelRequired(String backend) {
    return "--model is required with --backend " + backend
        + "; to label offline with no model or key, use --backend " + LocalClassifier.BACKEND;
  }

  /** Whether the backend is the offline classifier ({@code local}). */
  public boolean local() {
    return b.backend.equals(LocalClassifier.BACKEND);
  }

  /** The answer token cap for a prompt of {@code policies} policies: the set one, else the labeler's default. */
  public int maxOutputTokens(int policies) {
    return b.maxOutputTokens != null ? b.maxOutputTokens : LabelerConfig.defaultMaxOutputTokens(policies);
  }

  /**
   * The model parameters of the prompt: {@link ModelParams#DEFAULT}'s temperature (or the set one)
   * and {@link #maxOutputTokens(int)}.
   *
   * @throws IllegalArgumentException when the cap or temperature is out of range
   */
  public ModelParams modelParams(int policies) {
    return new ModelParams(b.temperature != null ? b.temperature : ModelParams.DEFAULT.temperature(),
        maxOutputTokens(policies));
  }

  /** The remote backend's specification (null for {@code local}). */
  public BackendSpec spec() {
    return spec(b.model, b.baseUrl);
  }

  /**
   * The same backend with another model or server (a prompt test's baseline); null for {@code local}.
   *
   * @throws IllegalArgumentException when the backend, provider or URL is not valid
   */
  public BackendSpec spec(String model, String baseUrl) {
    if (local()) {
      return null;
    }
    return new BackendSpec(b.backend, b.provider, model, baseUrl, Duration.ofMillis((long) (b.timeoutSeconds * 1000)),
        b.concurrency, b.serviceTier);
  }

  /**
   * Opens the backend: the model of {@code spec} with its key from {@code credentials}, or for
   * {@code local} a new offline classifier trained on the policies' examples and {@code training}
   * (which the backend closes).
   *
   * @throws dev.plumb.core.InputException when the provider needs a key and none is configured
   */
  public Backend open(BackendSpec spec, List<Policy> policies, TrainingData training, Credentials credentials) {
    if (local()) {
      return Backends.local(
          LocalClassifier.builder().cacheDir(defaultCacheDir()).training(training == null ? TrainingData.none() : training)
              .prevalence(b.prevalence).build(), policies);
    }
    return Backends.create(spec, credentials, b.notices);
  }

  /**
   * A labeler configuration for {@code units} → {@code out} with this session's settings: the prompt
   * (its images resolved against the units' folder), the backend, limits, retries, cache, progress,
   * notices and the cancel flag. Callers may add more (a run-file interval) before {@code build()}.
   */
  public LabelerConfig.Builder config(Path units, Path out, PromptBundle bundle, Backend backend, BackendSpec spec) {
    LabelingPrompt prompt = prompt(bundle, units.toAbsolutePath().getParent());
    return settings(LabelerConfig.builder().units(units).out(out).prompt(prompt).backend(backend), spec)
        .maxOutputTokens(prompt.maxOutputTokens());
  }

  /**
   * The labeling prompt of this session's model profile over {@code bundle} (docs/labeler.md, "Model
   * profiles"): plumb's unified prompt by default; relative image paths resolve against {@code unitsDir}.
   *
   * @throws dev.plumb.core.InputException when the profile cannot label one of the policies
   */
  public LabelingPrompt prompt(PromptBundle bundle, Path unitsDir) {
    return b.profile.prompt(bundle, unitsDir, new Profile.Settings(b.scores, b.maxOutputTokens,
        Profile.Settings.filesUnder(b.policiesDir), b.notices));
  }

  /** The same session with the policy library at {@code dir}, which messages about a policy's file name. */
  public LabelingSession withPoliciesDir(Path dir) {
    Builder c = b.copy();
    c.policiesDir = dir;
    return new LabelingSession(c);
  }

  /** The model profile ({@code plumb} unless set). */
  public Profile.Choice profile() {
    return b.profile;
  }

  /** Whether labels are scored from token log-probabilities ({@code --scores}). */
  public boolean scores() {
    return b.scores;
  }

  /** This session's settings on {@code builder} (for callers that set units, prompt and backend themselves). */
  public LabelerConfig.Builder settings(LabelerConfig.Builder builder, BackendSpec spec) {
    if (b.serviceTier != null) {
      builder.setting("service_tier", b.serviceTier);
    }
    if (!b.profile.equals(Profile.Choice.DEFAULT)) {
      builder.setting("profile", b.profile.toString());
    }
    if (b.scores) {
      builder.setting("scores", true);
    }
    return builder.baseUrl(spec == null ? null : spec.displayBaseUrl())
        .rpm(b.rpm).tpm(b.tpm).maxConcurrency(b.concurrency)
        .images(b.images).budgetUsd(b.budgetUsd)
        .prices(b.prices == null ? PriceTable.builtIn() : PriceTable.builtIn().overriddenBy(b.prices))
        .cacheDir(b.cache ? b.cacheDir : null)
        .promptCache(b.promptCache)
        .maxAttempts(b.maxAttempts)
        .setting("command", b.command).createdBy(b.createdBy)
        .listener(b.listener).notices(b.notices).cancel(b.cancel)
        .batch(b.batch, b.batchWait);
  }

  /** The notices of this session's backends (a response-format fallback, a learned limit). */
  public Notices notices() {
    return b.notices;
  }

  /** Settings, each with its default. */
  public static final class Builder {
    private String backend = DEFAULT_BACKEND;
    private String model;
    private String provider;
    private String baseUrl;
    private Double temperature;
    private double rpm;
    private double tpm;
    private int concurrency = DEFAULT_CONCURRENCY;
    private Integer maxOutputTokens;
    private boolean images = true;
    private Double budgetUsd;
    private Path prices;
    private double timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private boolean cache = true;
    private boolean promptCache = true;
    private Path cacheDir = defaultCacheDir();
    private String command = "plumb";
    private String createdBy = "plumb";
    private ProgressListener listener = ProgressListener.NONE;
    private Notices notices = new Notices();
    private AtomicBoolean cancel = new AtomicBoolean();
    private Map<String, Double> prevalence = Map.of();
    private boolean batch;
    private boolean batchWait = true;
    private String serviceTier;
    private Profile.Choice profile = Profile.Choice.DEFAULT;
    private boolean scores;
    private Path policiesDir = Path.of("policies");

    private Builder() {}

    private Builder copy() {
      Builder c = new Builder();
      c.backend = backend;
      c.model = model;
      c.provider = provider;
      c.baseUrl = baseUrl;
      c.temperature = temperature;
      c.rpm = rpm;
      c.tpm = tpm;
      c.concurrency = concurrency;
      c.maxOutputTokens = maxOutputTokens;
      c.images = images;
      c.budgetUsd = budgetUsd;
      c.prices = prices;
      c.timeoutSeconds = timeoutSeconds;
      c.maxAttempts = maxAttempts;
      c.cache = cache;
      c.promptCache = promptCache;
      c.cacheDir = cacheDir;
      c.command = command;
      c.createdBy = createdBy;
      c.listener = listener;
      c.notices = notices;
      c.cancel = cancel;
      c.prevalence = prevalence;
      c.batch = batch;
      c.batchWait = batchWait;
      c.serviceTier = serviceTier;
      c.profile = profile;
      c.scores = scores;
      c.policiesDir = policiesDir;
      return c;
    }

    /** openai (default), langchain4j or local. */
    public Builder backend(String backend) { this.backend = backend; return this; }

    public Builder model(String model) { this.model = model; return this; }

    /** With langchain4j: anthropic or gemini. */
    public Builder provider(String provider) { this.provider = provider; return this; }

    public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

    /** Sampling temperature (default {@link ModelParams#DEFAULT}'s, 0); part of the prompt fingerprint. */
    public Builder temperature(Double temperature) { this.temperature = temperature; return this; }

    /** Requests/minute; 0 (default) learns the limit from response headers. */
    public Builder rpm(double rpm) { this.rpm = rpm; return this; }

    /** Tokens/minute; 0 (default) learns the limit from response headers. */
    public Builder tpm(double tpm) { this.tpm = tpm; return this; }

    /** Default {@link #DEFAULT_CONCURRENCY}. */
    public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }

    /** The answer's token cap; null (default) is {@link LabelerConfig#defaultMaxOutputTokens}. */
    public Builder maxOutputTokens(Integer maxOutputTokens) { this.maxOutputTokens = maxOutputTokens; return this; }

    /** Images as image parts (default true). */
    public Builder images(boolean images) { this.images = images; return this; }

    public Builder budgetUsd(Double budgetUsd) { this.budgetUsd = budgetUsd; return this; }

    /** A price table overriding the built-in one, or null (default). */
    public Builder prices(Path prices) { this.prices = prices; return this; }

    /** Default {@link #DEFAULT_TIMEOUT_SECONDS}. */
    public Builder timeoutSeconds(double seconds) { this.timeoutSeconds = seconds; return this; }

    /** Default {@link #DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }

    /** Whether answers come from, and go to, the response cache (default true). */
    public Builder cache(boolean cache) { this.cache = cache; return this; }

    /** Whether requests ask for the provider's prompt caching (default true; {@code --no-prompt-cache}). */
    public Builder promptCache(boolean promptCache) { this.promptCache = promptCache; return this; }

    /** The plumb cache directory (default {@link #defaultCacheDir()}). */
    public Builder cacheDir(Path cacheDir) { this.cacheDir = cacheDir; return this; }

    /** The command recorded in the run record ({@code labels.run.json}). */
    public Builder command(String command) { this.command = command; return this; }

    /** The plumb version and commit recorded with every label. */
    public Builder createdBy(String createdBy) { this.createdBy = createdBy; return this; }

    public Builder listener(ProgressListener listener) { this.listener = listener; return this; }

    public Builder notices(Notices notices) { this.notices = notices; return this; }

    /** Raised to stop the run cleanly (Ctrl-C). */
    public Builder cancel(AtomicBoolean cancel) { this.cancel = cancel; return this; }

    /**
     * The local backend only: policy id → the population's declared prevalence, at which its decisions
     * count without bias (docs/local-backend.md); empty (the default) decides at 0.5 as trained.
     */
    public Builder prevalence(Map<String, Double> prevalence) { this.prevalence = Map.copyOf(prevalence); return this; }

    /**
     * Label through the provider's batch endpoint (docs/labeler.md, "Batch mode"); with {@code wait}
     * false the run returns once its batches are submitted or collected instead of polling to the end.
     */
    public Builder batch(boolean batch, boolean wait) { this.batch = batch; this.batchWait = wait; return this; }

    /** With openai: the service_tier to ask for ({@code flex} where the model offers it), or null (default). */
    public Builder serviceTier(String serviceTier) { this.serviceTier = serviceTier; return this; }

    /** The model profile: how policies are rendered and answers read (default {@link Profile.Choice#DEFAULT}, plumb's prompt). */
    public Builder profile(Profile.Choice profile) { this.profile = profile == null ? Profile.Choice.DEFAULT : profile; return this; }

    /** Ask for token log-probabilities and score every ok label from them (default false). */
    public Builder scores(boolean scores) { this.scores = scores; return this; }

    /** The policy library the policies came from, for messages naming a policy's file (default {@code policies}). */
    public Builder policiesDir(Path policiesDir) { this.policiesDir = policiesDir; return this; }

    public LabelingSession build() {
      return new LabelingSession(this);
    }
  }
}
