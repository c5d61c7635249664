package dev.plumb.labeler.batch;

import dev.plumb.core.Jsonl;
import dev.plumb.labeler.backend.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a batch run needs. Build with {@link #builder}; {@link Builder#build} checks the
 * values and names the option that is wrong.
 */
public final class LabelerConfig {
  final Path units;
  final Path out;
  final Path runFile;
  final LabelingPrompt prompt;
  final Backend backend;
  final String baseUrl;
  final double rpm;
  final double tpm;
  final int maxConcurrency;
  final int maxOutputTokens;
  final boolean images;
  final Double budgetUsd;
  final PriceTable prices;
  final Path cacheDir;
  final boolean promptCache;
  final int maxAttempts;
  final int maxRateLimited;
  final Duration backoffBase;
  final Duration backoffCap;
  final int breakerWindow;
  final int breakerMinimum;
  final double breakerThreshold;
  final Duration progressInterval;
  final Duration runFileInterval;
  final Map<String, Object> settings;
  final String createdBy;
  final ProgressListener listener;
  final AtomicBoolean cancel;
  final Notices notices;
  // batch mode (docs/labeler.md, "Batch mode")
  final boolean batchMode;
  final boolean batchWait;
  final Duration pollInterval;
  final Duration pollCap;
  final int batchMaxRequests;

  private LabelerConfig(Builder b) {
    units = Objects.requireNonNull(b.units, "units");
    out = Objects.requireNonNull(b.out, "out");
    prompt = Objects.requireNonNull(b.prompt, "prompt");
    backend = Objects.requireNonNull(b.backend, "backend");
    runFile = b.runFile != null ? b.runFile : defaultRunFile(out);
    baseUrl = b.baseUrl;
    rpm = b.rpm;
    tpm = b.tpm;
    maxConcurrency = b.maxConcurrency;
    maxOutputTokens = b.maxOutputTokens > 0 ? b.maxOutputTokens
        : prompt.maxOutputTokens() > 0 ? prompt.maxOutputTokens() : defaultMaxOutputTokens(prompt.policies().size());
    images = b.images;
    budgetUsd = b.budgetUsd;
    prices = b.prices != null ? b.prices : PriceTable.builtIn();
    cacheDir = b.cacheDir;
    promptCache = b.promptCache;
    maxAttempts = b.maxAttempts;
    maxRateLimited = b.maxRateLimited;
    backoffBase = b.backoffBase;
    backoffCap = b.backoffCap;
    breakerWindow = b.breakerWindow;
    breakerMinimum = b.breakerMinimum;
    breakerThreshold = b.breakerThreshold;
    progressInterval = b.progressInterval;
    runFileInterval = b.runFileInterval;
    settings = Map.copyOf(b.settings);
    createdBy = b.createdBy;
    listener = b.listener;
    cancel = b.cancel;
    notices = b.notices;
    batchMode = b.batchMode;
    batchWait = b.batchWait;
    pollInterval = b.pollInterval;
    pollCap = b.pollCap;
    batchMaxRequests = b.batchMaxRequests;
    check(!pollInterval.isNegative() && !pollInterval.isZero() && pollCap.compareTo(pollInterval) >= 0,
        "the batch poll interval must be positive and at most its cap");
    check(batchMaxRequests >= 1, "batchMaxRequests must be >= 1");
    check(rpm >= 0, "--rpm must be >= 0: " + rpm);
    check(tpm >= 0, "--tpm must be >= 0: " + tpm);
    check(maxConcurrency >= 1 && maxConcurrency <= 1024, "--concurrency must be in 1..1024: " + maxConcurrency);
    check(maxOutputTokens >= 16, "--max-output-tokens must be >= 16: " + maxOutputTokens);
    check(budgetUsd == null || budgetUsd > 0, "--budget-usd must be > 0: " + budgetUsd);
    check(maxAttempts >= 1, "maxAttempts must be >= 1");
    check(maxRateLimited >= 1, "maxRateLimited must be >= 1");
    check(breakerThreshold > 0 && breakerThreshold < 1, "breakerThreshold must be in (0,1)");
    check(breakerWindow >= 1 && breakerMinimum >= 1, "breaker window and minimum must be >= 1");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code labels.jsonl} → {@code labels.run.json} beside it. */
  public static Path defaultRunFile(Path out) {
    return Jsonl.sibling(out, ".run.json");
  }

  /** Room for a short rationale per policy: 200 + 250 per policy. */
  public static int defaultMaxOutputTokens(int policies) {
    return 200 + 250 * Math.max(1, policies);
  }

  public Path runFile() {
    return runFile;
  }

  public int maxOutputTokens() {
    return maxOutputTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings with defaults suited to hosted providers. */
  public static final class Builder {
    private Path units;
    private Path out;
    private Path runFile;
    private LabelingPrompt prompt;
    private Backend backend;
    private String baseUrl;
    private double rpm;
    private double tpm;
    private int maxConcurrency = LabelingSession.DEFAULT_CONCURRENCY;
    private int maxOutputTokens;
    private boolean images = true;
    private Double budgetUsd;
    private PriceTable prices;
    private Path cacheDir;
    private boolean promptCache = true;
    private int maxAttempts = LabelingSession.DEFAULT_MAX_ATTEMPTS;
    private int maxRateLimited = 50;
    private Duration backoffBase = Duration.ofSeconds(1);
    private Duration backoffCap = Duration.ofSeconds(60);
    private int breakerWindow = 50;
    private int breakerMinimum = 20;
    private double breakerThreshold = 0.5;
    private Duration progressInterval = Duration.ofMillis(250);
    private Duration runFileInterval = Duration.ofSeconds(10);
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private String createdBy = "plumb";
    private ProgressListener listener = ProgressListener.NONE;
    private AtomicBoolean cancel = new AtomicBoolean();
    private Notices notices = new Notices();
    private boolean batchMode;
    private boolean batchWait = true;
    private Duration pollInterval = Duration.ofSeconds(10);
    private Duration pollCap = Duration.ofMinutes(2);
    private int batchMaxRequests = 50_000;

    /** The units to label (JSON Lines, gzip allowed). */
    public Builder units(Path units) { this.units = units; return this; }

    /** The label file: appended to, resumed, compacted at the end. */
    public Builder out(Path out) { this.out = out; return this; }

    /** Where run.json goes (default: {@link #defaultRunFile}). */
    public Builder runFile(Path runFile) { this.runFile = runFile; return this; }

    public Builder prompt(LabelingPrompt prompt) { this.prompt = prompt; return this; }

    public Builder backend(Backend backend) { this.backend = backend; return this; }

    /** The backend's base URL as shown in run.json and used in cache keys (no credentials). */
    public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

    /** Requests/minute; 0 (default) learns the limit from response headers. */
    public Builder rpm(double rpm) { this.rpm = rpm; return this; }

    /** Tokens/minute; 0 (default) learns the limit from response headers. */
    public Builder tpm(double tpm) { this.tpm = tpm; return this; }

    /** The most calls in flight (default {@link LabelingSession#DEFAULT_CONCURRENCY}); the adaptive limit stays at or below it. */
    public Builder maxConcurrency(int n) { this.maxConcurrency = n; return this; }

    /** The answer's token cap (default: the prompt's, else {@link #defaultMaxOutputTokens}). */
    public Builder maxOutputTokens(int n) { this.maxOutputTokens = n; return this; }

    /** Whether images go to the model as image parts (default true, when the backend supports them). */
    public Builder images(boolean images) { this.images = images; return this; }

    /** Stop before spending more than this (dollars); needs a price for the model. */
    public Builder budgetUsd(Double usd) { this.budgetUsd = usd; return this; }

    public Builder prices(PriceTable prices) { this.prices = prices; return this; }

    /** The plumb cache directory (responses go under {@code responses/}); {@code null} disables the cache. */
    public Builder cacheDir(Path dir) { this.cacheDir = dir; return this; }

    /**
     * Whether requests ask for the provider's prompt caching (default true): OpenAI
     * {@code prompt_cache_key} (and extended retention where the model takes it), Anthropic
     * {@code cache_control} on the system block. Changes the price, never the answer.
     */
    public Builder promptCache(boolean on) { this.promptCache = on; return this; }

    /** Calls per label before a transient error (5xx, timeout, reset) becomes a failed record (default {@link LabelingSession#DEFAULT_MAX_ATTEMPTS}). */
    public Builder maxAttempts(int n) { this.maxAttempts = n; return this; }

    /** 429s per label before it becomes a failed record (default 50). */
    public Builder maxRateLimited(int n) { this.maxRateLimited = n; return this; }

    /** Full-jitter backoff after transient errors: uniform in [0, min(cap, base·2^(attempt-1))]. */
    public Builder backoff(Duration base, Duration cap) { this.backoffBase = base; this.backoffCap = cap; return this; }

    /** Opens when more than {@code threshold} of the last {@code window} calls (at least {@code minimum}) failed. */
    public Builder breaker(int window, int minimum, double threshold) {
      this.breakerWindow = window; this.breakerMinimum = minimum; this.breakerThreshold = threshold; return this;
    }

    public Builder progressInterval(Duration d) { this.progressInterval = d; return this; }

    /** How often run.json is rewritten while the run goes on (default 10 s). */
    public Builder runFileInterval(Duration d) { this.runFileInterval = d; return this; }

    /** Extra configuration recorded in run.json (the command's options). Never put a secret here. */
    public Builder setting(String name, Object value) { this.settings.put(name, value); return this; }

    /** What run.json names as its producer ("plumb 0.1.0 (commit abc1234)"). */
    public Builder createdBy(String createdBy) { this.createdBy = createdBy; return this; }

    public Builder listener(ProgressListener listener) { this.listener = listener; return this; }

    /** Set to true from anywhere (a shutdown hook) to stop the run cleanly. */
    public Builder cancel(AtomicBoolean cancel) { this.cancel = cancel; return this; }

    /** Where the backend posts its notices (pass the same object to {@code Backends.create}). */
    public Builder notices(Notices notices) { this.notices = notices; return this; }

    /**
     * Labels through the provider's batch endpoint instead of one call per unit (docs/labeler.md,
     * "Batch mode"); {@code wait} false returns once the batches are submitted (or collected) with
     * {@link RunSummary.Outcome#SUBMITTED} instead of polling until they finish.
     */
    public Builder batch(boolean batch, boolean wait) { this.batchMode = batch; this.batchWait = wait; return this; }

    /** How often a batch is polled: from {@code first}, doubling to {@code cap} (default 10 s to 2 min). */
    public Builder poll(Duration first, Duration cap) { this.pollInterval = first; this.pollCap = cap; return this; }

    /** The most requests in one submitted batch (default 50,000, OpenAI's limit). */
    public Builder batchMaxRequests(int n) { this.batchMaxRequests = n; return this; }

    public LabelerConfig build() {
      return new LabelerConfig(this);
    }
  }
}
