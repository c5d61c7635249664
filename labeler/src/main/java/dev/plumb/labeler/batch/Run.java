package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendException;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution of a batch: the feeder thread, the worker threads, and what each call goes through
 * (cache, spending cap, concurrency, rate pacing, retries with backoff, answer checks). The counters
 * are kept by {@link Tally}, the cap by {@link Budget}, {@code run.json} and the start and end of
 * the run by {@link RunRecord} (shared with {@link BatchApiRun}); the labels by {@link LabelStore}.
 */
final class Run {
  private static final long MS = 1_000_000L;

  /** Why the run stopped early. */
  private record Stop(RunSummary.Outcome outcome, String message) {}

  private final LabelerConfig cfg;
  private final LabelingPrompt prompt;
  private final Backend backend;
  private final List<String> policies;
  /** The policy groups one unit's requests answer ({@link LabelingPrompt#requests()}). */
  private final List<List<String>> requests;
  private final JsonNode schema;
  private final String fingerprint;
  private final boolean images;
  private final boolean countOutput;
  private final TokenEstimator estimator;
  private final PriceTable.Price price;
  private final ResponseCache cache;
  private final RateGovernor governor;
  private final AdaptiveConcurrency concurrency;
  private final CircuitBreaker breaker;

  private final Tally tally = new Tally();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  /** A bug or an Error in a worker or the feeder: rethrown by {@link #run} once the run has stopped. */
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();
  private final DelayQueue<Job> retryQueue = new DelayQueue<>();
  private final BlockingQueue<Job> mainQueue;
  private final Budget budget;
  private RunRecord record;
  private volatile double latencySeconds = 1.0;
  private volatile boolean feederDone;

  private LabelStore store;
  private final LongLongMap runPairs = new LongLongMap();
  /** The pre-pass's counts: what the progress lines and run.json report as done and to do. */
  private Prepass input;
  private long startNanos;

  Run(LabelerConfig cfg) {
    this.cfg = cfg;
    this.prompt = cfg.prompt;
    this.backend = cfg.backend;
    this.policies = List.copyOf(prompt.policies());
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("the prompt labels no policy");
    }
    this.requests = List.copyOf(prompt.requests());
    this.schema = prompt.schema();
    this.fingerprint = prompt.fingerprint();
    this.images = cfg.images && backend.supportsImages();
    this.countOutput = countsOutput(backend);
    this.estimator = new TokenEstimator(backend.model());
    this.price = cfg.prices.price(backend.model()).orElse(null);
    if (cfg.budgetUsd != null && price == null && backend.remote()) {
      throw new InputException(
          "--budget-usd needs the price of model \"" + backend.model()
              + "\", which the price table does not know: add it with --prices FILE");
    }
    this.cache = cfg.cacheDir == null ? null : new ResponseCache(cfg.cacheDir);
    this.governor = new RateGovernor(
        cfg.rpm, cfg.tpm, cfg.backoffBase.dividedBy(2), cfg.backoffCap.compareTo(Duration.ofSeconds(30)) < 0
            ? cfg.backoffCap : Duration.ofSeconds(30), System::nanoTime);
    boolean known = cfg.rpm > 0 || cfg.tpm > 0;
    this.concurrency = new AdaptiveConcurrency(known ? 8 : 4, cfg.maxConcurrency, this::littleFloor);
    this.breaker = new CircuitBreaker(cfg.breakerWindow, cfg.breakerMinimum, cfg.breakerThreshold);
    this.mainQueue = new ArrayBlockingQueue<>(Math.max(16, cfg.maxConcurrency * 2));
    this.budget = new Budget(cfg.budgetUsd);
  }

  /**
   * Whether prompt tokens read from the cache count against the tokens/minute limit: for OpenAI
   * they do; Anthropic counts only uncached input (and cache writes) against its input limit.
   */
  static boolean countsCacheReads(Backend backend) {
    return !backend.provider().equals("anthropic");
  }

  /** OpenAI counts the output cap against tokens/minute when a request starts; Anthropic counts input only. */
  static boolean countsOutput(Backend backend) {
    return !backend.provider().equals("anthropic");
  }

  /**
   * Requests a minute sent so far this session; 0 in its first minute (a start-up burst or a slow
   * first call says little about the rate, and one key serves the first minute's requests well).
   */
  private double requestsPerMinute() {
    double minutes = (System.nanoTime() - startNanos) / 60e9;
    return minutes < 1 ? 0 : tally.requests() / minutes;
  }

  /** Concurrency the pacing needs to reach its target: rate × latency × 1.2 (Little's law). */
  private int littleFloor() {
    double rps = governor.targetRpm() / 60.0;
    if (rps <= 0) {
      return 1;
    }
    return (int) Math.ceil(rps * latencySeconds * 1.2);
  }

  RunSummary execute() {
    try (LabelStore s = LabelStore.open(cfg.out, fingerprint, backend.model())) {
      store = s;
      if (s.repair() != null) {
        notices.add(cfg.out + ": " + s.repair());
      }
      if (s.tookOver()) {
        RunFileWriter.markInterrupted(cfg.runFile);
      }
      prepass();
      record = new RunRecord(cfg, new RunFileWriter(new RunFileWriter.Setup(cfg, backend, fingerprint, policies, images,
          cache != null)), input, store, this::snapshot, governor::limits);
      startNanos = System.nanoTime();
      record.start();
      drainNotices();
      Thread feeder = new Thread(this::feed, "plumb-label-feeder");
      feeder.setDaemon(true);
      feeder.start();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < cfg.maxConcurrency; i++) {
        Thread t = new Thread(this::work, "plumb-label-worker-" + i);
        t.setDaemon(true);
        t.start();
        workers.add(t);
      }
      long lastRunFile = System.nanoTime();
      while (!(feederDone && pending.get() == 0) && stop.get() == null) {
        sleep(cfg.progressInterval.toMillis());
        if (cfg.cancel.get()) {
          halt(RunSummary.Outcome.INTERRUPTED, "interrupted; the labels received so far are kept in " + cfg.out);
        }
        drainNotices();
        cfg.listener.progress(snapshot());
        if (System.nanoTime() - lastRunFile > cfg.runFileInterval.toNanos()) {
          record.running();
          lastRunFile = System.nanoTime();
        }
      }
      // Workers finish the call in hand; a stopped run does not wait for slow ones (their answers
      // are dropped, and a rerun asks again).
      long grace = stop.get() == null ? Long.MAX_VALUE : System.nanoTime() + 2_000 * MS;
      for (Thread t : workers) {
        long left = grace - System.nanoTime();
        if (left > 0) {
          joinQuietly(t, Math.max(1, left / MS));
        }
      }
      Throwable bug = failure.get();
      if (bug != null) {
        store.closeAppends();
        if (bug instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) bug;
      }
      RunSummary.Counts counts = store.compact(runPairs).summary();
      drainNotices();
      Stop st = stop.get();
      return record.finish(st == null ? RunSummary.Outcome.COMPLETE : st.outcome(), st == null ? null : st.message(), counts);
    }
  }

  private void prepass() {
    input = Prepass.read(cfg.units, policies, store, runPairs);
    input.resumeNotice(cfg.out).ifPresent(notices::add);
  }

  private void feed() {
    try (Jsonl jsonl = Jsonl.open(cfg.units)) {
      for (Jsonl.Line line : jsonl) {
        if (stopped()) {
          return;
        }
        Unit unit = Units.parse(line.node(), cfg.units.toString(), line.number());
        for (List<String> group : requests) {
          List<String> left = new ArrayList<>(group.size());
          for (String p : group) {
            if (!store.done(unit.id(), p)) {
              left.add(p);
            }
          }
          if (left.isEmpty()) {
            continue;
          }
          Job job = new Job(unit, group, left);
          pending.incrementAndGet();
          while (!mainQueue.offer(job, 100, TimeUnit.MILLISECONDS)) {
            if (stopped()) {
              return;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
      halt(RunSummary.Outcome.STOPPED, "cannot read " + cfg.units + ": " + e.getMessage());
    } finally {
      feederDone = true;
    }
  }

  private void work() {
    while (true) {
      Job job;
      try {
        job = next();
      } catch (InterruptedException e) {
        return;
      }
      if (job == null) {
        return;
      }
      try {
        process(job);
      } catch (InterruptedException e) {
        pending.decrementAndGet();
        return;
      } catch (RuntimeException | Error e) {
        // an Error too (out of memory, a native library's failure): a worker that died without
        // giving its job back would leave the run waiting forever for a pending job
        failure.compareAndSet(null, e);
        halt(RunSummary.Outcome.STOPPED, "internal error: " + e);
        pending.decrementAndGet();
        return;
      }
    }
  }

  private Job next() throws InterruptedException {
    while (true) {
      if (stopped()) {
        return null;
      }
      Job j = retryQueue.poll();
      if (j == null) {
        j = mainQueue.poll();
      }
      if (j == null) {
        j = retryQueue.poll(20, TimeUnit.MILLISECONDS);
      }
      if (j != null) {
        return j;
      }
      if (feederDone && pending.get() == 0 && mainQueue.isEmpty()) {
        return null;
      }
    }
  }

  private boolean stopped() {
    return stop.get() != null;
  }

  private void halt(RunSummary.Outcome outcome, String message) {
    stop.compareAndSet(null, new Stop(outcome, message));
  }

  private void process(Job job) throws InterruptedException {
    if (job.request == null) {
      RenderedPrompt rendered;
      try {
        rendered = prompt.render(job.unit, images, job.group);
      } catch (RuntimeException e) {
        finishFailed(job, "cannot build the prompt: " + e.getMessage());
        return;
      }
      job.imagesOmitted = rendered.imagesOmitted();
      // requests of different policies share no prefix: each group gets keys of its own
      String prefix = requests.size() == 1 ? fingerprint : fingerprint + " " + String.join(",", job.group);
      String cacheKey = cfg.promptCache
          ? PromptCacheKeys.key(prefix, job.unit.id(), PromptCacheKeys.shards(requestsPerMinute())) : null;
      job.request = new ModelRequest(
          rendered.messages(), schema, cfg.maxOutputTokens, prompt.temperature(), job.unit, cacheKey, prompt.topLogprobs());
    }
    String cacheKey = null;
    if (cache != null) {
      cacheKey = ResponseCache.key(backend.name(), backend.provider(), cfg.baseUrl, backend.model(), job.request);
      ResponseCache.Entry hit = cache.get(cacheKey);
      if (hit != null && prompt.check(hit.reply(), job.unit, job.group) instanceof AnswerCheck.Valid v) {
        tally.cacheHit();
        finishOk(job, v, true);
        return;
      }
    }
    long estimate = estimator.prompt(job.request.messages());
    long tokens = estimate + (countOutput ? cfg.maxOutputTokens : 0);
    double worst = price == null ? 0 : price.cost(estimate, cfg.maxOutputTokens);
    if (!budget.reserve(worst)) {
      halt(RunSummary.Outcome.BUDGET_REACHED, budget.stopMessage(price.cost(0, cfg.maxOutputTokens)));
      pending.decrementAndGet();
      return;
    }
    boolean slot = false;
    try {
      if (!concurrency.acquire(this::stopped)) {
        pending.decrementAndGet();
        return;
      }
      slot = true;
      if (!pace(tokens)) {
        pending.decrementAndGet();
        return;
      }
      tally.callStarted(job.calls > 0, tokens);
      job.calls++;
      long t0 = System.nanoTime();
      ModelReply reply;
      try {
        reply = backend.call(job.request);
      } catch (BackendException e) {
        tally.callEnded(tokens);
        onFailure(job, e);
        return;
      }
      tally.callEnded(tokens);
      long elapsed = System.nanoTime() - t0;
      latencySeconds = 0.9 * latencySeconds + 0.1 * (elapsed / 1e9);
      job.latencyMs = elapsed / MS;
      governor.observe(reply.limits(), tally.inFlight(), tally.inFlightTokens());
      governor.onSuccess();
      concurrency.onSuccess();
      breaker.success();
      if (reply.inputTokens() > 0) {
        // the estimate paces against tokens/minute, which for Anthropic leaves cache reads out
        estimator.learn(estimate, reply.inputTokens() - (countsCacheReads(backend) ? 0 : reply.cachedInputTokens()));
      }
      long in = Math.max(0, reply.inputTokens() < 0 ? estimate : reply.inputTokens());
      long out = Math.max(0, reply.outputTokens());
      long cachedIn = Math.min(in, reply.cachedInputTokens());
      long writeIn = Math.min(in - cachedIn, reply.cacheWriteInputTokens());
      double c = price == null ? 0 : price.cost(in, cachedIn, writeIn, out);
      tally.used(in, cachedIn, writeIn, out, c);
      budget.spend(c);
      job.inputTokens += in;
      job.outputTokens += out;
      job.cachedInputTokens += cachedIn;
      job.cacheWriteInputTokens += writeIn;
      job.cost += c;
      AnswerCheck check = check(job, reply);
      if (check instanceof AnswerCheck.Valid v) {
        if (cache != null) {
          cache.put(cacheKey, new ResponseCache.Entry(reply.text(), in, out, reply.logprobs()));
        }
        finishOk(job, v, false);
      } else if (check instanceof AnswerCheck.Invalid bad) {
        if (!job.validationRetried) {
          job.validationRetried = true;
          job.request = ReplyCheck.corrected(job.request, bad);
          job.readyAt = System.nanoTime();
          retryQueue.add(job);
        } else {
          finishInvalid(job, bad);
        }
      }
    } finally {
      budget.release(worst);
      if (slot) {
        concurrency.release();
      }
    }
  }

  private AnswerCheck check(Job job, ModelReply reply) {
    return ReplyCheck.check(prompt, reply, job.unit, job.group, cfg.maxOutputTokens);
  }

  /** Waits for the rate limiter; false when the run stopped meanwhile. */
  private boolean pace(long tokens) throws InterruptedException {
    while (true) {
      if (stopped()) {
        return false;
      }
      long start = governor.reserve(tokens);
      long now = System.nanoTime();
      while (now < start) {
        if (stopped()) {
          return false;
        }
        long nanos = Math.min(start - now, 100 * MS);
        Thread.sleep(nanos / MS, (int) (nanos % MS));
        now = System.nanoTime();
      }
      if (governor.pausedUntil() <= now) {
        return true;
      }
    }
  }

  private void onFailure(Job job, BackendException e) {
    long now = System.nanoTime();
    switch (e.kind()) {
      case RATE_LIMITED -> {
        tally.rateLimited();
        governor.onRateLimited(e.limits());
        concurrency.onRateLimited(now);
        job.rateLimited++;
        if (job.rateLimited >= cfg.maxRateLimited) {
          finishFailed(job, "rate limited (HTTP 429) " + job.rateLimited + " times: " + e.getMessage());
        } else {
          job.readyAt = governor.pausedUntil();
          retryQueue.add(job);
        }
      }
      case QUOTA_EXHAUSTED, AUTHENTICATION, NOT_FOUND -> {
        halt(RunSummary.Outcome.STOPPED, e.getMessage());
        pending.decrementAndGet();
      }
      case TRANSIENT, BAD_REQUEST -> {
        tally.error();
        boolean open = breaker.failure();
        job.transientFailures++;
        if (e.kind() == BackendException.Kind.BAD_REQUEST) {
          finishFailed(job, e.getMessage());
        } else if (job.transientFailures >= cfg.maxAttempts) {
          finishFailed(job, e.getMessage() + " (gave up after " + job.transientFailures + " attempts)");
        } else {
          long delay = backoff(job.transientFailures);
          if (e.retryAfter() != null) {
            delay = Math.max(delay, e.retryAfter().toNanos());
          }
          job.readyAt = now + delay;
          retryQueue.add(job);
        }
        if (open) {
          halt(RunSummary.Outcome.CIRCUIT_OPEN,
              "stopped: " + breaker.describe() + " (last: " + e.getMessage() + ")");
        }
      }
    }
  }

  /** Full jitter (Brooker, "Exponential Backoff And Jitter", AWS 2015): uniform in [0, min(cap, base·2^(n-1))]. */
  private long backoff(int attempt) {
    long base = cfg.backoffBase.toNanos();
    long cap = cfg.backoffCap.toNanos();
    long ceiling = attempt >= 40 ? cap : Math.min(cap, base << Math.min(30, attempt - 1));
    return (long) (ThreadLocalRandom.current().nextDouble() * ceiling);
  }

  private LabelRecords.Meta meta(Job job, boolean cached, int index) {
    return new LabelRecords.Meta(
        backend.model(), backend.name(), backend.provider(), fingerprint, job.calls, job.latencyMs,
        cached ? 0 : job.inputTokens, cached ? 0 : job.outputTokens, cached ? 0 : job.cost, cached,
        job.imagesOmitted, job.policies.size(), index, cached ? 0 : job.cachedInputTokens,
        cached ? 0 : job.cacheWriteInputTokens);
  }

  private void finishOk(Job job, AnswerCheck.Valid valid, boolean cached) {
    List<ObjectNode> records = new ArrayList<>(job.policies.size());
    for (int i = 0; i < job.policies.size(); i++) {
      String p = job.policies.get(i);
      PolicyAnswer a = valid.answers().get(p);
      if (a == null) {
        finishInvalid(job, new AnswerCheck.Invalid(List.of("no answer for policy " + p), ""));
        return;
      }
      records.add(LabelRecords.ok(job.unit.id(), a, meta(job, cached, i)));
    }
    if (store.append(records)) {
      tally.ok(records.size());
    }
    pending.decrementAndGet();
  }

  private void finishInvalid(Job job, AnswerCheck.Invalid bad) {
    List<ObjectNode> records = new ArrayList<>(job.policies.size());
    for (int i = 0; i < job.policies.size(); i++) {
      records.add(
          LabelRecords.invalid(job.unit.id(), job.policies.get(i), bad.raw(), String.join("; ", bad.errors()), meta(job, false, i)));
    }
    if (store.append(records)) {
      tally.invalid(records.size());
    }
    pending.decrementAndGet();
  }

  private void finishFailed(Job job, String reason) {
    List<ObjectNode> records = new ArrayList<>(job.policies.size());
    for (int i = 0; i < job.policies.size(); i++) {
      records.add(LabelRecords.failed(job.unit.id(), job.policies.get(i), reason, meta(job, false, i)));
    }
    if (store.append(records)) {
      tally.failed(records.size());
    }
    pending.decrementAndGet();
  }

  private void drainNotices() {
    for (String n; (n = notices.poll()) != null; ) {
      cfg.listener.notice(n);
    }
    for (String n; (n = cfg.notices.poll()) != null; ) {
      cfg.listener.notice(n);
    }
  }

  private Progress snapshot() {
    long elapsed = startNanos == 0 ? 0 : System.nanoTime() - startNanos;
    return tally.progress(input.todo(), input.resumed(), Duration.ofNanos(elapsed), concurrency.currentLimit(), governor.targetRpm(),
        governor.targetTpm());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(Math.max(1, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumbException("interrupted");
    }
  }

  private static void joinQuietly(Thread t, long ms) {
    try {
      t.join(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
