package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.labeler.backend.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * Writes a run's {@code run.json} ({@code plumb.label-run/1}, docs/labeler.md): what was labeled
 * with what, the limits and settings in force, the label counts, this session's calls, tokens and
 * cost, and the running totals over every session of the same prompt and model (read once from the
 * run.json this one replaces). Each write replaces the file atomically. Called from one thread.
 */
final class RunFileWriter {
  /** What a run labels with, fixed when it starts. */
  record Setup(LabelerConfig cfg, Backend backend, String fingerprint, List<String> policies, boolean images,
      boolean cache) {}

  /** The units file as read by the pre-pass, and the labels it asks for. */
  record Input(String sha256, long units, long labels, long resumed) {}

  private final Setup setup;
  private PreviousRun previous;
  private boolean previousRead;
  /** Batch mode only: the submitted batches (BatchState), written as {@code batch}; null otherwise. */
  private java.util.function.Supplier<JsonNode> batch;

  RunFileWriter(Setup setup) {
    this.setup = setup;
  }

  /** Batch mode: {@code run.json} also records the backend's mode and the batches ({@link BatchState}). */
  void batch(java.util.function.Supplier<JsonNode> state) {
    this.batch = state;
  }

  /**
   * A run record still saying {@code running} after its run was killed (found by the next run, which
   * took over its lock) is rewritten as {@code interrupted}, with when that was found; any other
   * record, or none, is left alone.
   */
  static void markInterrupted(java.nio.file.Path runFile) {
    if (!Files.isRegularFile(runFile)) {
      return;
    }
    try {
      JsonNode old = Json.mapper().readTree(runFile.toFile());
      if (old instanceof ObjectNode o && "running".equals(o.path("status").asText())) {
        o.put("status", "interrupted");
        o.put("message", "killed while running (found by the next run at " + Instant.now() + ")");
        AtomicOutput.write(runFile, Json.pretty(o));
      }
    } catch (IOException e) {
      // an unreadable record is replaced by the new run's anyway
    }
  }

  /**
   * @param status {@code running} or the outcome in lower case
   * @param counts the compacted store's counts when the run is over, else null (the session's
   *     counts are written instead)
   * @param message why the run stopped, or null
   * @param inForce the rate limits in force: requests and tokens per minute
   * @param repair what opening the store repaired, or null
   */
  void write(String status, RunSummary.Counts counts, String message, Progress p, Instant started, Input input,
      double[] inForce, String repair) {
    LabelerConfig cfg = setup.cfg();
    Backend backend = setup.backend();
    ObjectNode r = Json.object();
    r.put("format", "plumb.label-run/1");
    r.put("status", status);
    if (message != null) {
      r.put("message", message);
    }
    r.put("created_by", cfg.createdBy);
    r.put("started", started.toString());
    r.put("updated", Instant.now().toString());
    r.put("wall_seconds", Math.round(p.elapsed().toMillis() / 100.0) / 10.0);
    ObjectNode in = r.putObject("units");
    in.put("path", cfg.units.toString());
    in.put("sha256", input.sha256());
    in.put("count", input.units());
    r.put("out", cfg.out.toString());
    r.put("prompt", setup.fingerprint());
    r.set("policies", Json.mapper().valueToTree(setup.policies()));
    ObjectNode b = r.putObject("backend");
    b.put("name", backend.name());
    b.put("provider", backend.provider());
    b.put("model", backend.model());
    if (cfg.baseUrl != null) {
      b.put("base_url", cfg.baseUrl);
    }
    b.put("response_format", backend.responseFormat());
    b.put("mode", batch == null ? "sync" : "batch");
    ObjectNode lim = r.putObject("limits");
    lim.put("rpm_configured", cfg.rpm);
    lim.put("tpm_configured", cfg.tpm);
    lim.put("rpm_in_force", inForce[0]);
    lim.put("tpm_in_force", inForce[1]);
    ObjectNode set = r.putObject("settings");
    set.put("max_concurrency", cfg.maxConcurrency);
    set.put("max_output_tokens", cfg.maxOutputTokens);
    set.put("images", setup.images());
    if (cfg.budgetUsd != null) {
      set.putRawValue("budget_usd", new RawValue(LabelRecords.usd(cfg.budgetUsd)));
    }
    set.put("cache", setup.cache());
    set.put("prompt_cache", cfg.promptCache);
    set.put("max_attempts", cfg.maxAttempts);
    cfg.settings.forEach((k, v) -> set.set(k, Json.mapper().valueToTree(v)));
    ObjectNode cn = r.putObject("counts");
    cn.put("labels", input.labels());
    if (counts != null) {
      cn.put("ok", counts.ok());
      cn.put("invalid", counts.invalid());
      cn.put("failed", counts.failed());
      cn.put("missing", counts.missing());
      cn.put("superseded", counts.superseded());
    } else {
      cn.put("ok_this_session", p.ok());
      cn.put("invalid_this_session", p.invalid());
      cn.put("failed_this_session", p.failed());
    }
    cn.put("resumed", input.resumed());
    ObjectNode session = r.putObject("session");
    sessionStats(session, p);
    r.set("total", totals(p));
    if (repair != null) {
      r.put("repair", repair);
    }
    if (batch != null) {
      r.set("batch", batch.get());
    }
    AtomicOutput.write(cfg.runFile, Json.pretty(r));
  }

  private static void sessionStats(ObjectNode s, Progress p) {
    s.put("requests", p.requests());
    s.put("retries", p.retries());
    s.put("rate_limited", p.rateLimited());
    s.put("errors", p.errors());
    s.put("cache_hits", p.cacheHits());
    Tokens.of(p).write(s.putObject("tokens"));
    s.putRawValue("cost_usd", new RawValue(LabelRecords.usd(p.costUsd())));
  }

  /** This session plus earlier sessions of the same prompt and model (from the previous run.json). */
  private ObjectNode totals(Progress p) {
    long req = p.requests();
    long rl = p.rateLimited();
    Tokens tokens = Tokens.of(p);
    double usd = p.costUsd();
    PreviousRun prev = previous();
    if (prev != null) {
      req += prev.requests();
      rl += prev.rateLimited();
      tokens = tokens.plus(prev.tokens());
      usd += prev.costUsd();
    }
    ObjectNode t = Json.object();
    t.put("requests", req);
    t.put("rate_limited", rl);
    tokens.write(t.putObject("tokens"));
    t.putRawValue("cost_usd", new RawValue(LabelRecords.usd(usd)));
    return t;
  }

  /** The previous run.json's totals, read before this run first replaces it. */
  private PreviousRun previous() {
    if (!previousRead) {
      previousRead = true;
      previous = PreviousRun.read(setup.cfg().runFile, setup.fingerprint(), setup.backend().model());
    }
    return previous;
  }
}
