package dev.plumb.cli;

import dev.plumb.core.Numbers;
import dev.plumb.labeler.batch.DryRunEstimate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code plumb label --dry-run}: the estimate as text ({@link DryRunJson} writes it with {@code --json}). */
final class DryRunText {
  private DryRunText() {}

  /**
   * Prints {@code e} for people: units and requests, prompt and output tokens, cost (list, with
   * expected prompt caching, at batch rates) and time at the limits. {@code labels} is the label
   * file a run would resume, {@code model} the model asked for (null: the local backend),
   * {@code perPolicy} whether the model's profile sends one request per unit and policy.
   */
  static void print(PrintWriter out, DryRunEstimate e, Path labels, String model, int policies, boolean perPolicy) {
    out.println("dry run: nothing was sent");
    out.printf(Locale.ROOT, "units: %,d (%,d labels for %,d %s, %,d already done in %s)%n",
        e.units(), e.labels(), policies, policies == 1 ? "policy" : "policies", e.resumed(), labels);
    out.printf(Locale.ROOT, "requests: %,d (one per unit%s; an invalid answer costs one more)%n", e.requests(),
        perPolicy ? " and policy" : "");
    out.printf(Locale.ROOT, "prompt tokens: %,d (%s, %,d of response schema per request)%s%n", e.promptTokens(),
        e.tokenizer(), e.schemaTokens(), e.images() > 0 ? ", " + e.images() + " images" : "");
    if (e.tokenError() > 0) {
      out.printf(Locale.ROOT, "  an estimate: the provider's count may differ by about %.0f%%%n", 100 * e.tokenError());
    }
    if (e.cacheablePrefixTokens() > 0) {
      out.printf(Locale.ROOT, "prompt cache: %s; expected %,d tokens read from cache%s (%.0f%% of"
              + " requests after the first hit)%n", e.cachePrefixes() > 1
              ? String.format(Locale.ROOT, "%,d shared prefixes, one per request group, %,d tokens a request on average",
                  e.cachePrefixes(), e.cacheablePrefixTokens())
              : String.format(Locale.ROOT, "%,d-token shared prefix", e.cacheablePrefixTokens()), e.cachedInputTokens(),
          e.cacheWriteInputTokens() > 0 ? String.format(Locale.ROOT, ", %,d written", e.cacheWriteInputTokens()) : "",
          100 * e.cacheHitRate());
      out.println("  hit rate " + e.expected().cacheHitBasis());
    }
    out.printf(Locale.ROOT, "output tokens: at most %,d (%,d per request), expected %,d (%s)%n", e.maxOutputTokens(),
        e.requests() == 0 ? 0 : e.maxOutputTokens() / e.requests(), e.expected().outputTokens(), e.expected().outputBasis());
    if (e.price() == null) {
      out.println(model == null ? "cost: none (the local backend runs on this machine)"
          : "cost: unknown (no price for " + model + "; add one with --prices FILE)");
    } else {
      out.printf(Locale.ROOT, "cost: $%.4f prompt + at most $%.4f answers (%s: $%s / $%s per 1M tokens in / out)%n",
          e.inputCostUsd(), e.maxOutputCostUsd(), model, Numbers.shortest(e.price().inputPerMillion()),
          Numbers.shortest(e.price().outputPerMillion()));
      out.printf(Locale.ROOT, "at most: $%.4f list, $%.4f with expected prompt caching, %s at batch rates%n",
          e.listCostUsd(), e.cachedCostUsd(),
          e.batchCostUsd() == null ? "unknown" : String.format(Locale.ROOT, "$%.4f", e.batchCostUsd()));
      out.printf(Locale.ROOT, "expected: $%.4f list, $%.4f with expected prompt caching, %s at batch rates%n",
          e.expected().listCostUsd(), e.expected().cachedCostUsd(), e.expected().batchCostUsd() == null ? "unknown"
              : String.format(Locale.ROOT, "$%.4f", e.expected().batchCostUsd()));
      // a provider may give no cached-input discount inside a batch (OpenAI's gpt-4.1 family): then
      // --batch is not the cheap mode, and the user should hear it before paying for it
      Double batch = e.expected().batchCostUsd();
      if (batch != null && batch > e.expected().cachedCostUsd()) {
        out.printf(Locale.ROOT, "note: synchronous labeling with prompt caching is expected to cost less than --batch "
            + "($%.4f against $%.4f): %s's batch rates give no cached-input discount (docs/labeler.md, \"Batch and "
            + "cached prices\")%n", e.expected().cachedCostUsd(), batch, model);
      }
    }
    if (e.time() == null) {
      out.println("time: unknown without --rpm or --tpm (limits are learned from the provider's headers)");
    } else {
      out.printf(Locale.ROOT, "time: %s at %s%n", LabelProgress.duration(e.time()), limits(e.rpm(), e.tpm()));
    }
  }

  private static String limits(double rpm, double tpm) {
    StringBuilder sb = new StringBuilder();
    if (rpm > 0) {
      sb.append(String.format(Locale.ROOT, "%,.0f requests/min", rpm));
    }
    if (tpm > 0) {
      sb.append(sb.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%,.0f tokens/min", tpm));
    }
    return sb.toString();
  }
}
