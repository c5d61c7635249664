package dev.plumb.labeler.local;

import java.util.Objects;

/**
 * One training text for one policy.
 *
 * @param source where it came from: an example id, {@code policy:categories[2].includes[0]}, or
 *     {@code FILE:LINE} of a training file
 * @param decision the expected decision id, or {@code null} when only the polarity is known
 * @param category the expected category id, or {@code null}
 * @param example whether it comes from one of the policy's examples (cited in rationales)
 */
record Sample(String source, String text, boolean positive, String decision, String category, boolean example) {
  /** Prefix of the sources of a policy's category definitions, includes and allowed entries. */
  static final String POLICY = "policy:";

  Sample {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
  }

  /** Whether the text is the policy's own: an example, a definition, an include or an allowed entry. */
  boolean policyOwn() {
    return example || source.startsWith(POLICY);
  }
}
