package dev.plumb.labeler.batch;

import java.util.Objects;

/**
 * The expected length of one answer, for the dry run's expected cost when no previous run of the same
 * prompt and model says: {@code perRequest + perPolicy × policies} tokens for a request answering that
 * many policies (never more than the output cap), with where the figure comes from, printed beside it.
 *
 * @param perRequest tokens every answer has, ≥ 0
 * @param perPolicy tokens each policy the request answers adds, ≥ 0
 * @param basis the figure and its source in a few words ({@code 5 + 55 per policy})
 */
public record AnswerLength(int perRequest, int perPolicy, String basis) {
  /**
   * plumb's unified JSON answer: 5 + 55 tokens per policy. A written example answer of the starter
   * library (decision, category, confidence, evidence, a rationale of 120–135 characters) counts 53–57
   * o200k tokens per policy; rationales may run to 400 characters, so real answers vary.
   */
  public static final AnswerLength UNIFIED = new AnswerLength(5, 55, "5 + 55 per policy");

  public AnswerLength {
    if (perRequest < 0 || perPolicy < 0) {
      throw new IllegalArgumentException("answer length must be ≥ 0: " + perRequest + " + " + perPolicy + " per policy");
    }
    Objects.requireNonNull(basis, "basis");
  }

  /** The expected tokens of an answer to a request for {@code policies} policies. */
  public long tokens(int policies) {
    return perRequest + (long) perPolicy * policies;
  }
}
