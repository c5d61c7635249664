package dev.plumb.labeler.batch;

import dev.plumb.core.Jsonl;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.time.Duration;
import java.util.List;

/**
 * Labels a file of units with a compiled prompt through a model backend, as fast as the
 * provider's limits allow, durably: see docs/labeler.md for the whole contract.
 *
 * <ul>
 *   <li>One request per unit labels every policy of the prompt; each answer is validated, an
 *       invalid one is asked again once with the errors, then recorded as {@code invalid}.
 *   <li>Records are appended and flushed as answers arrive; a rerun of the same configuration
 *       resumes (see {@link LabelStore}); the file ends with one record per (unit, policy).
 *   <li>Pacing, 429s and adaptive concurrency: {@link RateGovernor}, {@link AdaptiveConcurrency};
 *       transient failures retry with capped, fully jittered exponential backoff, then become
 *       {@code failed} records; a {@link CircuitBreaker} stops a run in which most calls fail.
 * </ul>
 */
public final class BatchLabeler {
  private BatchLabeler() {}

  /**
   * Runs (or resumes) a batch and returns how it ended. Bad input (units, an unusable label file,
   * a budget without a price) throws {@link dev.plumb.core.InputException} before any request.
   * A provider refusing the run, an open circuit breaker, a reached budget or a cancellation
   * return a summary with that {@link RunSummary.Outcome} and a message; the label file and
   * run.json are consistent in every case.
   */
  public static RunSummary run(LabelerConfig config) {
    if (config.batchMode) {
      return new BatchApiRun(config).execute();
    }
    return new Run(config).execute();
  }

  /**
   * Why batch mode cannot run with this backend, in one line, or empty when it can: only the OpenAI
   * Batch API (OpenAI and compatible servers) is wired in; the local classifier has no batches, and
   * LangChain4j's Anthropic and Gemini batch models are not used yet (docs/labeler.md, "Batch mode").
   *
   * @param backend {@code openai}, {@code langchain4j} or {@code local}
   * @param provider with langchain4j: {@code anthropic} or {@code gemini}; else ignored
   */
  public static java.util.Optional<String> batchRefusal(String backend, String provider) {
    return switch (backend) {
      case "openai", "langchain4j" -> java.util.Optional.empty();
      default -> java.util.Optional.of("--batch is not supported with --backend " + backend
          + ": it has no batch endpoint; label without --batch");
    };
  }

  /**
   * What {@link #run} would send and cost, without sending anything or changing any file: the
   * labels still to do (resume is taken into account), prompt tokens (the model's tokenizer when
   * known, else characters / 4; the response schema counted in every request), the most the
   * answers can cost (every answer at the output cap), the cost at list price, with expected
   * prompt caching and at Batch API rates ({@link DryRunEstimate}), and the time at the configured
   * --rpm/--tpm.
   */
  public static DryRunEstimate estimate(LabelerConfig cfg) {
    LabelingPrompt prompt = cfg.prompt;
    List<String> policies = prompt.policies();
    TokenEstimator estimator = new TokenEstimator(cfg.backend.model());
    boolean images = cfg.images && cfg.backend.supportsImages();
    long schemaTokens = prompt.schema() == null ? 0 : estimator.count(dev.plumb.core.Json.line(prompt.schema()));
    long[] n = new long[8]; // units, labels, resumed, requests, promptTokens, images, maxOutput, expectedOutput
    List<List<String>> groups = prompt.requests();
    // per request group (gpt-oss-safeguard: one per policy, each with its own static system message):
    // its first request's leading messages, their tokens and how many requests share them
    List<List<ChatMessage>> prefixes = new java.util.ArrayList<>(java.util.Collections.nCopies(groups.size(), null));
    long[] prefixTokens = new long[groups.size()];
    long[] sharing = new long[groups.size()];
    AnswerLength answer = prompt.expectedAnswer();
    LongLongMap ids = new LongLongMap();
    try (LabelStore store = LabelStore.read(cfg.out, prompt.fingerprint(), cfg.backend.model());
        Jsonl jsonl = Jsonl.open(cfg.units)) {
      for (Jsonl.Line line : jsonl) {
        Unit unit = Units.parse(line.node(), cfg.units.toString(), line.number());
        Prepass.checkUnique(ids, unit, cfg.units, line.number());
        n[0]++;
        for (String p : policies) {
          n[1]++;
          if (store.done(unit.id(), p)) {
            n[2]++;
          }
        }
        for (int g = 0; g < groups.size(); g++) { // one request per group with a label still to do
          List<String> group = groups.get(g);
          if (group.stream().allMatch(p -> store.done(unit.id(), p))) {
            continue;
          }
          List<ChatMessage> messages = prompt.render(unit, images, group).messages();
          List<ChatMessage> leading = leading(messages);
          if (prefixes.get(g) == null) {
            prefixes.set(g, leading);
            for (ChatMessage m : leading) {
              prefixTokens[g] += estimator.message(m);
            }
          }
          if (leading.equals(prefixes.get(g))) {
            sharing[g]++;
          }
          n[3]++;
          n[4] += estimator.exact(messages) + schemaTokens;
          n[5] += messages.stream().flatMap(m -> m.parts().stream()).filter(ContentPart.Image.class::isInstance).count();
          n[6] += cfg.maxOutputTokens;
          n[7] += Math.min(answer.tokens(group.size()), cfg.maxOutputTokens);
        }
      }
    }
    // the expected caching: each group's shared leading messages (and, for OpenAI and Gemini, the
    // schema sent with them) read from the cache by a share of the requests after each key's first
    CachePlan plan = CachePlan.of(cfg.backend.provider());
    boolean caching = cfg.backend.remote() && (cfg.promptCache || plan.implicit());
    long[] cacheable = new long[groups.size()];
    long cacheableTotal = 0; // over the requests sharing a cacheable prefix
    long cacheableRequests = 0;
    int cachePrefixes = 0;
    for (int g = 0; g < groups.size(); g++) {
      cacheable[g] = caching && prefixes.get(g) != null
          ? plan.cacheable(prefixTokens[g] + (plan == CachePlan.ANTHROPIC ? 0 : schemaTokens), cfg.backend.model()) : 0;
      if (cacheable[g] > 0) {
        cachePrefixes++;
        cacheableTotal += cacheable[g] * sharing[g];
        cacheableRequests += sharing[g];
      }
    }
    long cacheableMean = cacheableRequests == 0 ? 0 : Math.round((double) cacheableTotal / cacheableRequests);
    PreviousRun prev = PreviousRun.read(cfg.runFile, prompt.fingerprint(), cfg.backend.model());
    Tokens before = prev == null ? null : prev.tokens();
    double hitRate = CachePlan.EXPECTED_HIT_RATE;
    String hitBasis = "assumed: 90% of requests after each cache key's first";
    if (prev != null && before.input() > 0 && cacheableMean > 0 && n[3] > 0) {
      // the previous run's share of prompt tokens read from the cache, as a share of requests
      // reading their cacheable prefix
      double share = (double) before.cachedInput() / before.input();
      hitRate = Math.min(1, share * ((double) n[4] / n[3]) / cacheableMean);
      hitBasis = String.format(java.util.Locale.ROOT, "previous run: %.1f%% of its %,d prompt tokens read from the cache",
          100 * share, before.input());
    }
    long cached = 0;
    long written = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (cacheable[g] == 0) {
        continue;
      }
      long keys = Math.min(sharing[g], PromptCacheKeys.shards(cfg.rpm));
      long hits = Math.round((sharing[g] - keys) * hitRate);
      cached += hits * cacheable[g];
      written += plan.writes ? (sharing[g] - hits) * cacheable[g] : 0;
    }
    long outputExpected = n[7];
    String outputBasis = "default: " + answer.basis();
    if (prev != null && prev.requests() > 0 && before.output() > 0) {
      long perRequest = Math.round((double) before.output() / prev.requests());
      outputExpected = n[3] * Math.min(perRequest, cfg.maxOutputTokens);
      outputBasis = String.format(java.util.Locale.ROOT, "previous run: %,d output tokens over %,d requests",
          before.output(), prev.requests());
    }

    PriceTable.Price price = cfg.prices.price(cfg.backend.model()).orElse(null);
    Double inCost = price == null ? null : price.cost(n[4], 0);
    Double outCost = price == null ? null : price.cost(0, n[6]);
    Double list = price == null ? null : price.cost(n[4], 0, 0, n[6]);
    Double withCache = price == null ? null : price.cost(n[4], cached, written, n[6]);
    Double batch = price == null || price.batch() == null ? null : price.batch().cost(n[4], cached, written, n[6]);
    DryRunEstimate.Expected expected = new DryRunEstimate.Expected(outputExpected, outputBasis,
        cacheableMean == 0 ? "no prompt caching" : hitBasis,
        price == null ? null : price.cost(n[4], 0, 0, outputExpected),
        price == null ? null : price.cost(n[4], cached, written, outputExpected),
        price == null || price.batch() == null ? null : price.batch().cost(n[4], cached, written, outputExpected));
    Duration time = null;
    double minutes = 0;
    if (cfg.rpm > 0) {
      minutes = Math.max(minutes, n[3] / (cfg.rpm * RateGovernor.HEADROOM));
    }
    if (cfg.tpm > 0) {
      minutes = Math.max(minutes, (n[4] + (Run.countsOutput(cfg.backend) ? n[6] : 0)) / (cfg.tpm * RateGovernor.HEADROOM));
    }
    if (cfg.rpm > 0 || cfg.tpm > 0) {
      time = Duration.ofSeconds((long) Math.ceil(minutes * 60));
    }
    return new DryRunEstimate(
        n[0], n[1], n[2], n[3], n[4], n[5], n[6], estimator.method(), price, inCost, outCost, cfg.rpm, cfg.tpm, time,
        schemaTokens, cacheableMean, cachePrefixes, cached, written, cacheableMean == 0 ? 0 : hitRate,
        list, withCache, batch, estimator.error(), expected);
  }

  /** The messages before the first user message: the part every unit's prompt shares. */
  private static List<ChatMessage> leading(List<ChatMessage> messages) {
    int i = 0;
    while (i < messages.size() && messages.get(i).role() == ChatMessage.Role.SYSTEM) {
      i++;
    }
    return messages.subList(0, i);
  }
}
