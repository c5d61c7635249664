package dev.plumb.labeler.prompt;

/**
 * The model settings that can change an answer and therefore belong to the prompt fingerprint.
 * The model's name is not here: labels record it beside the fingerprint, so one bundle can be
 * compared across models.
 *
 * @param temperature sampling temperature, in [0, 2]; 0 for the most repeatable labels
 * @param maxOutputTokens the most tokens the model may write for one answer, in [1, 1,000,000]; an
 *     answer cut off by this limit is not valid JSON and comes back as invalid
 */
public record ModelParams(double temperature, int maxOutputTokens) {
  /** Temperature 0 and 1,024 output tokens: enough for four policies' answers with rationales. */
  public static final ModelParams DEFAULT = new ModelParams(0.0, 1024);

  public ModelParams {
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
    }
    if (maxOutputTokens < 1 || maxOutputTokens > 1_000_000) {
      throw new IllegalArgumentException("max output tokens must be between 1 and 1000000: " + maxOutputTokens);
    }
  }
}
