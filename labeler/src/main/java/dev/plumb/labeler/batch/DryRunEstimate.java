package dev.plumb.labeler.batch;

import java.time.Duration;

/**
 * What a run would send and cost, computed without sending anything.
 *
 * @param units units in the file
 * @param labels (unit, policy) labels the run covers
 * @param resumed labels already done in the output file (skipped)
 * @param requests model calls needed (one per unit with anything left to label; more if answers need a retry)
 * @param promptTokens estimated prompt tokens over those calls
 * @param images image parts over those calls
 * @param maxOutputTokens the output cap summed over those calls (the most the answers can cost)
 * @param tokenizer how tokens were estimated: a tokenizer name, or {@code chars/4}
 * @param price the model's price, or {@code null} when the price table does not know it
 * @param inputCostUsd prompt cost ({@code null} without a price)
 * @param maxOutputCostUsd the most the answers can cost ({@code null} without a price)
 * @param rpm the requests/minute limit used for the time estimate (0 when unknown)
 * @param tpm the tokens/minute limit used for the time estimate (0 when unknown)
 * @param time expected wall time at those limits, or {@code null} when no limit is known
 */
public record DryRunEstimate(
    long units, long labels, long resumed, long requests, long promptTokens, long images, long maxOutputTokens,
    String tokenizer, PriceTable.Price price, Double inputCostUsd, Double maxOutputCostUsd,
    double rpm, double tpm, Duration time) {}
