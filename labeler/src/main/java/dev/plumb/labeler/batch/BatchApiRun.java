package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendException;
import dev.plumb.labeler.backend.BatchApi;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Batch mode (docs/labeler.md, "Batch mode"): the same labels as {@link Run}, through the
 * provider's batch endpoint. Each round collects finished batches, then submits every unit that
 * still needs an answer and is in no open batch, then (when waiting) sleeps and polls again.
 *
 * <p><b>Exactly once.</b> A submission is written to run.json before its file is uploaded, its
 * file id after the upload, its batch id after the batch is created (tagged with the submission
 * id). A rerun finds a submission without a batch id by that tag; one it cannot find is dropped
 * and its units submitted again (nothing of it can be running). A unit is in at most one open
 * submission; a finished batch's answers are recorded before the batch is marked done, and
 * recording skips units that already have their records, so a crash between the two is harmless.
 *
 * <p><b>Answers.</b> Every line goes through the synchronous path's checks
 * ({@link Run#check}); an invalid answer is asked again once, in the next batch, with its errors
 * appended ({@link ReplyCheck#corrected}); a line that failed in a way asking again may help (5xx, an
 * expired or cancelled batch, a line missing from both files) is submitted again, up to
 * {@code maxAttempts} submissions, then recorded {@code failed}.
 */
final class BatchApiRun {
  /**
   * OpenAI bills Batch API tokens at half the list price (openai.com/api/pricing, "Batch API: save
   * 50%"): the rate for a model whose price has no {@code batch} rates of its own.
   */
  static final double BATCH_PRICE_FACTOR = 0.5;

  /**
   * A batch answer's cost: the model's batch rates where the price table has them, else half the
   * list price. {@code in} counts every prompt token; {@code cached} and {@code written} are those
   * read from and written to the provider's prompt cache (Anthropic and Gemini cache inside a batch too).
   */
  static double batchCost(PriceTable.Price price, long in, long cached, long written, long out) {
    if (price == null) {
      return 0;
    }
    return price.batch() != null ? price.batch().cost(in, cached, written, out)
        : price.cost(in, cached, written, out) * BATCH_PRICE_FACTOR;
  }

  private final LabelerConfig cfg;
  private final LabelingPrompt prompt;
  private final Backend backend;
  private final BatchApi api;
  private final List<String> policies;
  private final String fingerprint;
  private final boolean images;
  private final PriceTable.Price price;
  private final ResponseCache cache;
  private final Tally tally = new Tally();
  /** The worst case of the requests this invocation submitted (what --budget-usd caps in batch mode). */
  private double committedUsd;
  private final LongLongMap runPairs = new LongLongMap();
  /** Units given their final records in this invocation (the store's index is of the file as opened). */
  private final Set<String> finished = new HashSet<>();
  private final Map<String, String> lastStatus = new HashMap<>();

  private LabelStore store;
  private BatchState state;
  private RunRecord record;
  /** The pre-pass's counts: what the progress lines and run.json report as done and to do. */
  private Prepass input;
  private long startNanos;
  private int endpointFailures;
  private RunSummary.Outcome stopOutcome;
  private String stopMessage;

  BatchApiRun(LabelerConfig cfg) {
    this.cfg = cfg;
    this.prompt = cfg.prompt;
    this.backend = cfg.backend;
    this.api = backend.batchApi().orElseThrow(() -> new InputException(unsupported(backend)));
    if (prompt.requests().size() > 1) {
      // a batch line is keyed by unit id: one request per unit
      throw new InputException("--batch needs one request per unit, and this model profile sends "
          + prompt.requests().size() + " (one per policy); label without --batch");
    }
    this.policies = List.copyOf(prompt.policies());
    this.fingerprint = prompt.fingerprint();
    this.images = cfg.images && backend.supportsImages();
    this.price = cfg.prices.price(backend.model()).orElse(null);
    if (cfg.budgetUsd != null && price == null) {
      throw new InputException(
          "--budget-usd needs the price of model \"" + backend.model()
              + "\", which the price table does not know: add it with --prices FILE");
    }
    this.cache = cfg.cacheDir == null ? null : new ResponseCache(cfg.cacheDir);
  }

  /** The one-line refusal for a backend without a batch endpoint in plumb. */
  static String unsupported(Backend backend) {
    return BatchLabeler.batchRefusal(backend.name(), backend.provider())
        .orElse("--batch is not supported with --backend " + backend.name() + ": it has no batch endpoint; label without --batch");
  }

  RunSummary execute() {
    try (LabelStore s = LabelStore.open(cfg.out, fingerprint, backend.model())) {
      store = s;
      if (s.repair() != null) {
        cfg.listener.notice(cfg.out + ": " + s.repair());
      }
      state = BatchState.read(cfg.runFile, fingerprint, backend.model());
      prepass();
      RunFileWriter writer = new RunFileWriter(new RunFileWriter.Setup(cfg, backend, fingerprint, policies, images,
          cache != null));
      writer.batch(state::toJson);
      // the batch endpoint is not paced here: no rate limits in force
      record = new RunRecord(cfg, writer, input, store, this::snapshot, () -> new double[] {0, 0});
      startNanos = System.nanoTime();
      record.start();
      drainNotices();
      loop();
      RunSummary.Counts counts = store.compact(runPairs).summary();
      drainNotices();
      return record.finish(stopOutcome == null ? RunSummary.Outcome.COMPLETE : stopOutcome, stopMessage, counts);
    }
  }

  private void prepass() {
    input = Prepass.read(cfg.units, policies, store, runPairs);
    input.resumeNotice(cfg.out).ifPresent(cfg.listener::notice);
    int open = state.open().size();
    if (open > 0) {
      cfg.listener.notice("resuming " + open + " open batch" + (open == 1 ? "" : "es") + " recorded in " + cfg.runFile);
    }
  }

  private void loop() {
    long interval = cfg.pollInterval.toMillis();
    while (true) {
      try {
        recover();
        boolean collected = collect();
        if (stopOutcome == null || stopOutcome == RunSummary.Outcome.BUDGET_REACHED) {
          if (stopOutcome == null) {
            submit();
          }
        }
        record.running();
        drainNotices();
        cfg.listener.progress(snapshot());
        if (state.open().isEmpty() || (stopOutcome != null && stopOutcome != RunSummary.Outcome.BUDGET_REACHED)) {
          return;
        }
        if (!cfg.batchWait) {
          stop(RunSummary.Outcome.SUBMITTED, state.open().size() + " batches are still running at the provider (ids in "
              + cfg.runFile + "); run again to collect them");
          return;
        }
        endpointFailures = 0;
        if (collected) {
          interval = cfg.pollInterval.toMillis();
        }
      } catch (BackendException e) {
        if (e.kind().stopsRun() || e.kind() == BackendException.Kind.BAD_REQUEST) {
          stop(RunSummary.Outcome.STOPPED, e.getMessage());
          return;
        }
        endpointFailures++;
        cfg.listener.notice("the batch endpoint failed (" + e.getMessage() + "); trying again at the next poll");
        if (endpointFailures >= cfg.maxAttempts) {
          stop(RunSummary.Outcome.STOPPED, "the batch endpoint kept failing (last: " + e.getMessage() + ")");
          return;
        }
      }
      if (!sleep(interval)) {
        stop(RunSummary.Outcome.INTERRUPTED, "interrupted; the batches keep running at the provider (ids in "
            + cfg.runFile + ")");
        return;
      }
      interval = Math.min(cfg.pollCap.toMillis(), interval * 2);
    }
  }

  private void stop(RunSummary.Outcome outcome, String message) {
    if (stopOutcome == null || stopOutcome == RunSummary.Outcome.BUDGET_REACHED) {
      stopOutcome = outcome;
      stopMessage = message;
    }
  }

  /** Submissions without a batch id (a crash between writing run.json and creating the batch). */
  private void recover() {
    for (BatchState.Submission sub : state.open()) {
      if (sub.batch != null) {
        continue;
      }
      String found = sub.inputFile == null ? null : api.find(sub.id).orElse(null);
      if (found != null) {
        sub.batch = found;
        cfg.listener.notice("found batch " + found + " of submission " + sub.id + " (created before the last run stopped)");
      } else {
        // never created: nothing of it runs, so its units go back to the pending pool
        state.submissions.remove(sub);
        for (String u : sub.units) {
          state.attempts.computeIfPresent(u, (k, n) -> n <= 1 ? null : n - 1);
        }
      }
      record.running();
    }
  }

  /** Polls the open batches and records the answers of finished ones; true when one finished. */
  private boolean collect() {
    boolean any = false;
    for (BatchState.Submission sub : state.open()) {
      BatchApi.Status st = api.status(sub.batch);
      String line = String.format(Locale.ROOT, "batch %s: %s, %d/%d done, %d failed", st.id(), st.state(),
          st.completed(), st.total(), st.failed());
      if (!line.equals(lastStatus.put(sub.batch, line))) {
        cfg.listener.notice(line);
      }
      if (!st.terminal()) {
        continue;
      }
      record(sub, st);
      any = true;
    }
    return any;
  }

  private void record(BatchState.Submission sub, BatchApi.Status st) {
    Map<String, BatchApi.Result> results = new HashMap<>();
    if (st.outputFileId() != null) {
      results.putAll(api.results(st.outputFileId(), sub.units));
    }
    if (st.errorFileId() != null) {
      results.putAll(api.results(st.errorFileId(), sub.units));
    }
    Set<String> held = new HashSet<>(sub.units);
    long latency = Math.max(0, Duration.between(Instant.parse(sub.created), Instant.now()).toMillis());
    forUnits(held, unit -> {
      if (finished.contains(unit.id()) || left(unit).isEmpty()) {
        return; // recorded before a crash that came before the batch was marked done
      }
      BatchApi.Result r = results.get(unit.id());
      if (r == null) {
        String why = "no answer: batch " + st.id() + " ended " + st.state()
            + (st.errors().isEmpty() ? "" : " (" + String.join("; ", st.errors()) + ")");
        r = new BatchApi.Result.Failed(true, why); // never ran: asking again may help
      }
      tally.callStarted(state.attempts(unit.id()) > 1 || sub.corrected.contains(unit.id()), 0);
      tally.callEnded(0);
      answer(sub, unit, r, latency);
    });
    sub.state = st.state();
    sub.units.clear();
    sub.corrected.clear();
    record.running();
  }

  private void answer(BatchState.Submission sub, Unit unit, BatchApi.Result r, long latency) {
    String id = unit.id();
    int attempts = state.attempts(id);
    BatchState.Correction carried = state.corrections.get(id);
    Usage usage = carried == null ? Usage.NONE : new Usage(carried.inputTokens(), 0, 0, carried.outputTokens(), carried.costUsd());
    if (r instanceof BatchApi.Result.Failed f) {
      tally.error();
      if (!f.retryable() || attempts >= cfg.maxAttempts) {
        finishFailed(unit, sub, attempts, latency, usage,
            f.message() + (f.retryable() ? " (gave up after " + attempts + " attempts)" : ""));
      }
      return; // else: pending again, the next round submits it
    }
    ModelReply reply = ((BatchApi.Result.Answered) r).reply();
    long in = Math.max(0, reply.inputTokens());
    long out = Math.max(0, reply.outputTokens());
    long cached = reply.cachedInputTokens();
    long written = reply.cacheWriteInputTokens();
    double c = batchCost(price, in, cached, written, out);
    tally.used(in, cached, written, out, c);
    usage = new Usage(usage.in() + in, usage.cached() + cached, usage.written() + written, usage.out() + out, usage.cost() + c);
    AnswerCheck check = ReplyCheck.check(prompt, reply, unit, cfg.maxOutputTokens);
    if (check instanceof AnswerCheck.Valid v) {
      if (cache != null) {
        cache.put(cacheKey(request(unit).request()), new ResponseCache.Entry(reply.text(), in, out, reply.logprobs()));
      }
      finishOk(unit, v, sub, attempts, latency, usage, false);
    } else if (check instanceof AnswerCheck.Invalid bad) {
      if (sub.corrected.contains(id)) {
        finishInvalid(unit, bad, sub, attempts, latency, usage);
      } else {
        state.corrections.put(id, new BatchState.Correction(bad.raw(), bad.errors(), usage.in(), usage.out(), usage.cost()));
      }
    }
  }

  /** What a unit's request is now: the rendered prompt, with the validation retry appended when one is pending. */
  private record Pending(ModelRequest request, List<String> imagesOmitted, boolean corrected) {}

  private Pending request(Unit unit) {
    RenderedPrompt rendered = prompt.render(unit, images);
    // one cache key for the whole prompt: the provider runs a batch at its own pace, so there is no
    // request rate per key to shard for
    ModelRequest request = new ModelRequest(rendered.messages(), prompt.schema(), cfg.maxOutputTokens,
        prompt.temperature(), unit, cfg.promptCache ? PromptCacheKeys.key(fingerprint, unit.id(), 1) : null,
        prompt.topLogprobs());
    BatchState.Correction c = state.corrections.get(unit.id());
    if (c != null) {
      request = ReplyCheck.corrected(request, new AnswerCheck.Invalid(c.errors(), c.raw()));
    }
    return new Pending(request, rendered.imagesOmitted(), c != null);
  }

  private String cacheKey(ModelRequest request) {
    return ResponseCache.key(backend.name(), backend.provider(), cfg.baseUrl, backend.model(), request);
  }

  /**
   * Submits every unit that needs an answer and is in no open batch, in batches of at most
   * batchMaxRequests (and the provider's limits of requests and bytes per batch).
   */
  private void submit() {
    Set<String> inFlight = state.inFlight();
    Map<String, ModelRequest> requests = new LinkedHashMap<>();
    Set<String> corrected = new HashSet<>();
    boolean[] full = {false};
    long[] bytes = {0};
    forUnits(null, unit -> {
      if (full[0] || finished.contains(unit.id()) || inFlight.contains(unit.id()) || left(unit).isEmpty()) {
        return;
      }
      Pending p;
      try {
        p = request(unit);
      } catch (RuntimeException e) {
        finishFailed(unit, null, state.attempts(unit.id()), 0, Usage.NONE,
            "cannot build the prompt: " + e.getMessage());
        return;
      }
      if (cache != null) {
        ResponseCache.Entry hit = cache.get(cacheKey(p.request()));
        if (hit != null && prompt.check(hit.reply(), unit, policies) instanceof AnswerCheck.Valid v) {
          tally.cacheHit();
          finishOk(unit, v, null, state.attempts(unit.id()), 0, Usage.NONE, true);
          return;
        }
      }
      if (price != null && cfg.budgetUsd != null) {
        // a batch's answers arrive all at once, so the cap applies to what is submitted: each request
        // at its worst case (prompt estimate + the full output cap), at the batch price
        long estimate = new TokenEstimator(backend.model()).prompt(p.request().messages());
        double worst = batchCost(price, estimate, 0, 0, cfg.maxOutputTokens);
        if (committedUsd + worst > cfg.budgetUsd) {
          full[0] = true;
          stop(RunSummary.Outcome.BUDGET_REACHED, String.format(Locale.ROOT,
              "stopped submitting before exceeding --budget-usd %s: what this run submitted could cost up to $%.4f,"
                  + " the next request up to $%.4f more", LabelRecords.usd(cfg.budgetUsd), committedUsd, worst));
          return;
        }
        committedUsd += worst;
      }
      long size = bytes(p.request());
      if (!requests.isEmpty() && bytes[0] + size > api.maxBytes()) {
        send(requests, corrected);
        requests.clear();
        corrected.clear();
        bytes[0] = 0;
      }
      requests.put(unit.id(), p.request());
      bytes[0] += size;
      if (p.corrected()) {
        corrected.add(unit.id());
      }
      if (requests.size() >= Math.min(cfg.batchMaxRequests, api.maxRequests())) {
        send(requests, corrected);
        requests.clear();
        corrected.clear();
        bytes[0] = 0;
      }
    });
    if (!requests.isEmpty()) {
      send(requests, corrected);
    }
  }

  private void send(Map<String, ModelRequest> requests, Set<String> corrected) {
    String id = "plumb-" + UUID.randomUUID();
    BatchState.Submission sub = new BatchState.Submission(id, Instant.now().toString(), new ArrayList<>(requests.keySet()), corrected);
    state.submissions.add(sub);
    for (String u : requests.keySet()) {
      state.attempts.merge(u, 1, Integer::sum);
    }
    record.running(); // before anything reaches the provider
    try {
      sub.inputFile = api.upload(id + ".jsonl", requests);
      record.running();
      sub.batch = api.create(sub.inputFile, id);
    } catch (BackendException e) {
      if (sub.inputFile == null || e.kind() == BackendException.Kind.BAD_REQUEST || e.kind().stopsRun()) {
        // the batch surely does not exist: forget the submission, its units stay pending
        state.submissions.remove(sub);
        for (String u : requests.keySet()) {
          state.attempts.computeIfPresent(u, (k, n) -> n <= 1 ? null : n - 1);
        }
        record.running();
      }
      throw e;
    }
    record.running();
    cfg.listener.notice("submitted batch " + sub.batch + ": " + requests.size() + " requests (" + id + ")");
  }

  /**
   * A request's size in a batch as estimated before it is sent: its text, image URLs (inline images
   * are base64 {@code data:} URLs) and schema, a quarter more for JSON escaping and framing.
   */
  static long bytes(ModelRequest request) {
    long n = dev.plumb.core.Json.line(request.schema()).length() + 512L;
    for (dev.plumb.labeler.prompt.ChatMessage m : request.messages()) {
      n += m.text().length();
      for (dev.plumb.labeler.prompt.ContentPart part : m.parts()) {
        if (part instanceof dev.plumb.labeler.prompt.ContentPart.Image i) {
          n += i.url().length();
        }
      }
    }
    return n + n / 4;
  }

  /** The policies of {@code unit} still without an ok or invalid record of this prompt and model. */
  private List<String> left(Unit unit) {
    List<String> out = new ArrayList<>(policies.size());
    for (String p : policies) {
      if (!store.done(unit.id(), p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Streams the units file (all units, or those in {@code only}). */
  private void forUnits(Set<String> only, java.util.function.Consumer<Unit> action) {
    try (Jsonl jsonl = Jsonl.open(cfg.units)) {
      for (Jsonl.Line line : jsonl) {
        Unit unit = Units.parse(line.node(), cfg.units.toString(), line.number());
        if (only == null || only.contains(unit.id())) {
          action.accept(unit);
        }
      }
    }
  }

  /** What a unit's calls used: every prompt token, of those read from and written to the prompt cache, answer tokens, dollars. */
  private record Usage(long in, long cached, long written, long out, double cost) {
    static final Usage NONE = new Usage(0, 0, 0, 0, 0);
  }

  private LabelRecords.Meta meta(Unit unit, int attempts, long latency, Usage u, boolean cached, int policies, int index) {
    List<String> omitted;
    try {
      omitted = prompt.render(unit, images).imagesOmitted();
    } catch (RuntimeException e) {
      omitted = List.of();
    }
    return new LabelRecords.Meta(backend.model(), backend.name(), backend.provider(), fingerprint, attempts, latency,
        cached ? 0 : u.in(), cached ? 0 : u.out(), cached ? 0 : u.cost(), cached, omitted, policies, index,
        cached ? 0 : u.cached(), cached ? 0 : u.written());
  }

  private ObjectNode batchMode(ObjectNode r, BatchState.Submission sub) {
    r.put("mode", "batch");
    if (sub != null) {
      r.put("batch", sub.batch);
    }
    return r;
  }

  private void finishOk(Unit unit, AnswerCheck.Valid valid, BatchState.Submission sub, int attempts, long latency,
      Usage u, boolean cached) {
    List<String> left = left(unit);
    List<ObjectNode> records = new ArrayList<>(left.size());
    for (int i = 0; i < left.size(); i++) {
      PolicyAnswer a = valid.answers().get(left.get(i));
      if (a == null) {
        finishInvalid(unit, new AnswerCheck.Invalid(List.of("no answer for policy " + left.get(i)), ""), sub, attempts,
            latency, u);
        return;
      }
      records.add(batchMode(LabelRecords.ok(unit.id(), a, meta(unit, attempts, latency, u, cached, left.size(), i)), sub));
    }
    if (store.append(records)) {
      tally.ok(records.size());
    }
    done(unit);
  }

  private void finishInvalid(Unit unit, AnswerCheck.Invalid bad, BatchState.Submission sub, int attempts, long latency,
      Usage u) {
    List<String> left = left(unit);
    List<ObjectNode> records = new ArrayList<>(left.size());
    for (int i = 0; i < left.size(); i++) {
      records.add(batchMode(LabelRecords.invalid(unit.id(), left.get(i), bad.raw(), String.join("; ", bad.errors()),
          meta(unit, attempts, latency, u, false, left.size(), i)), sub));
    }
    if (store.append(records)) {
      tally.invalid(records.size());
    }
    done(unit);
  }

  private void finishFailed(Unit unit, BatchState.Submission sub, int attempts, long latency, Usage u, String reason) {
    List<String> left = left(unit);
    List<ObjectNode> records = new ArrayList<>(left.size());
    for (int i = 0; i < left.size(); i++) {
      records.add(batchMode(LabelRecords.failed(unit.id(), left.get(i), reason,
          meta(unit, attempts, latency, u, false, left.size(), i)), sub));
    }
    if (store.append(records)) {
      tally.failed(records.size());
    }
    done(unit);
  }

  private void done(Unit unit) {
    finished.add(unit.id());
    state.finished(unit.id());
  }

  private boolean sleep(long ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      if (cfg.cancel.get()) {
        return false;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000L)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlumbException("interrupted");
      }
    }
    return !cfg.cancel.get();
  }

  private void drainNotices() {
    for (String n; (n = cfg.notices.poll()) != null; ) {
      cfg.listener.notice(n);
    }
  }

  private Progress snapshot() {
    long elapsed = startNanos == 0 ? 0 : System.nanoTime() - startNanos;
    return tally.progress(input.todo(), input.resumed(), Duration.ofNanos(elapsed), 0, 0, 0);
  }
}
