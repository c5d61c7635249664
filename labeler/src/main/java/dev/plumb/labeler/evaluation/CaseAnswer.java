package dev.plumb.labeler.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a backend answered for one case, read back from the label record (docs/formats.md).
 *
 * @param status {@code ok}, {@code invalid} (the answer never passed validation) or {@code failed}
 *     (no answer: the call failed)
 * @param decision for {@code ok}, the decision; otherwise {@code null}
 * @param category for {@code ok}, the category or {@code null}
 * @param confidence for {@code ok}, the model's confidence; otherwise {@code NaN}
 * @param rationale for {@code ok}, the model's rationale; otherwise the error
 * @param positive for {@code ok}, whether the decision counts toward prevalence
 * @param cached whether the answer came from the response cache
 */
public record CaseAnswer(
    String status, String decision, String category, boolean positive, double confidence, String rationale, boolean cached) {
  public CaseAnswer {
    Objects.requireNonNull(status, "status");
    rationale = rationale == null ? "" : rationale;
  }

  static CaseAnswer of(JsonNode label) {
    String status = label.path("status").asText();
    if (status.equals("ok")) {
      JsonNode c = label.path("category");
      return new CaseAnswer(status, label.path("decision").asText(), c.isTextual() ? c.asText() : null,
          label.path("positive").asBoolean(false), label.path("confidence").asDouble(Double.NaN), label.path("rationale").asText(""), label.path("cached").asBoolean(false));
    }
    return new CaseAnswer(status, null, null, false, Double.NaN, label.path("error").asText(""), label.path("cached").asBoolean(false));
  }

  public boolean ok() {
    return status.equals("ok");
  }

  /** Whether two answers say the same: same status, decision and category. */
  public boolean sameAs(CaseAnswer other) {
    return other != null && status.equals(other.status) && Objects.equals(decision, other.decision)
        && Objects.equals(category, other.category);
  }

  /** {@code violating/promotion}, {@code safe}, {@code (invalid)}, {@code (failed)}. */
  @Override
  public String toString() {
    if (!ok()) {
      return "(" + status + ")";
    }
    return category == null ? decision : decision + "/" + category;
  }
}
