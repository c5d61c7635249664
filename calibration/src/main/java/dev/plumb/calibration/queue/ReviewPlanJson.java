package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.estimate.SamplePlan;
import dev.plumb.core.Json;
import java.util.List;

/**
 * {@code plumb plan --review-budget N --json}: a review plan in {@code plumb.plan/1} (docs/formats.md), as
 * {@code format}, {@code confidence}, {@code pilot} and one object {@code review} whose {@code design} says
 * which kind it is: {@code stratified} ({@link ReviewPlan}) or {@code active} ({@link ActiveReviewPlan}).
 * Keys are the records' components in snake_case; a relative half-width at an expected prevalence of 0
 * is null.
 */
public final class ReviewPlanJson {
  private ReviewPlanJson() {}

  /** {@code review} of a stratified plan. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Stratified(String design, int budget, int units, int minimumBudget, String rates, String raters,
      String allocation,
      List<ReviewPlan.Stratum> strata, List<Width> widths, Double worstRelative, List<Compared> compared,
      List<Unseen> unseen) {}

  /** {@code review} of an active plan. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Active(String design, int budget, int units, int minimumBudget, double floor, String rates,
      String raters, List<Band> inclusion, List<Width> widths, Double worstRelative, List<ByBudget> byBudget) {}

  /**
   * One policy's expected prevalence and half-width; the design's variance parts for an active plan, else null; with
   * a panel ({@code raters} not null) the half-widths of the design's and the raters' parts alone and the raters'
   * variance parts, else null.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Width(String policy, double prevalence, double halfWidth, Double relative, Double variancePhase1,
      Double variancePhase2Model, Double variancePhase2Design, Double designHalfWidth, Double ratersHalfWidth,
      Double varianceRatersNoise, Double varianceRatersRates) {}

  /** An active plan's units by π2: {@code pi = 1}, {@code floor < pi < 1}, {@code pi = floor}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Band(String band, int units, double expectedReviews, Double meanPi) {}

  /** The worst relative half-width under another allocation rule, the same budget. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Compared(String allocation, Double worstRelative) {}

  /** The worst relative half-width at another expected budget. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ByBudget(int budget, Double worstRelative) {}

  /** A stratum whose review is likely to see none of a policy's violations ({@link ReviewPlan.Unseen}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Unseen(String policy, String stratum, double share, double expected, double chanceNone, int reviews,
      Integer needed, String message) {}

  /** A stratified plan as {@code plumb.plan/1}; {@code pilot} the line saying which history pilot was used, or null. */
  public static ObjectNode of(ReviewPlan.Result r, double confidence, String pilot) {
    ReviewPlan.Option o = r.chosen();
    boolean panel = r.panel() != null;
    Stratified review = new Stratified("stratified", r.budget(), r.units(), r.minimumBudget(), r.rates(), r.panel(),
        o.rule().id(), o.strata(),
        o.widths().stream().map(w -> new Width(w.policy(), w.prevalence(), w.halfWidth(), Json.finite(w.relative()),
            null, null, null, panel ? w.designHalfWidth() : null, panel ? w.ratersHalfWidth() : null,
            panel ? w.ratersNoise() : null, panel ? w.ratersRates() : null)).toList(),
        Json.finite(o.worst()),
        r.compared().stream().map(x -> new Compared(x.rule().id(), Json.finite(x.worst()))).toList(),
        o.unseen().stream().map(u -> new Unseen(u.policy(), u.stratum(), u.share(), u.expected(), u.chanceNone(),
            u.reviews(), u.needed() > 0 ? u.needed() : null, u.message())).toList());
    return document(confidence, pilot, review);
  }

  /** An active plan as {@code plumb.plan/1}. */
  public static ObjectNode of(ActiveReviewPlan.Result r, double confidence, String pilot) {
    boolean panel = r.panel() != null;
    Active review = new Active("active", r.budget(), r.units(), r.minimumBudget(), r.floor(), r.rates(), r.panel(),
        r.bands().stream().map(b -> new Band(b.id(), b.units(), b.reviews(), b.units() > 0 ? b.meanPi() : null))
            .toList(),
        r.widths().stream().map(w -> new Width(w.policy(), w.prevalence(), w.halfWidth(), Json.finite(w.relative()),
            w.phase1(), w.phase2Model(), w.phase2Design(), panel ? w.designHalfWidth() : null,
            panel ? w.ratersHalfWidth() : null, panel ? w.ratersNoise() : null, panel ? w.ratersRates() : null))
            .toList(),
        Json.finite(r.worst()),
        r.byBudget().entrySet().stream().map(e -> new ByBudget(e.getKey(), Json.finite(e.getValue()))).toList());
    return document(confidence, pilot, review);
  }

  private static ObjectNode document(double confidence, String pilot, Object review) {
    ObjectNode o = Json.object();
    o.put("format", SamplePlan.FORMAT);
    o.put("confidence", confidence);
    o.put("pilot", pilot);
    o.set("review", Json.tree(review));
    return o;
  }
}
