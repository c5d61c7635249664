package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.plumb.core.Json;
import java.util.List;

/**
 * {@code plumb.estimate/1}, what {@code plumb estimate --json} prints (docs/formats.md), one record
 * per JSON object: keys are the components in snake_case, in component order; a null component is
 * JSON {@code null}. {@link PrevalenceReport#toJson()} builds it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EstimateJson(String format, Sample sample, String labels, Interval interval, List<Row> estimates,
    List<Unlabeled> unlabeled, List<String> notes) {
  public static final String FORMAT = "plumb.estimate/1";

  /** {@code sample}: the sample file, its design and sizes. */
  public record Sample(String path, String design, int units, int rows, int strata) {}

  /** {@code interval}: the method and level; {@code replicates} and {@code seed} only for the bootstrap. */
  public record Interval(String method, double confidence, @JsonInclude(JsonInclude.Include.NON_NULL) Integer replicates,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long seed) {}

  /** A row's {@code domain}: the attribute and value, or JSON {@code null} for the whole sample. */
  public record Domain(String attribute, String value) {}

  /** One row of {@code estimates}: an estimate, or none with the reason. */
  public sealed interface Row permits Estimated, NoEstimate {}

  /**
   * A row with an estimate.
   *
   * @param positives positive labels among the labeled units, unweighted
   * @param nEff Korn–Graubard's effective size, null when not finite; {@code deff} likewise
   * @param exposure the estimated total
   * @param kishNEff named by hand: the naming strategy runs capitals together ({@code kish_neff})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Estimated(String policy, Domain domain, int units, int labeled, long positives, double prevalence,
      double se, double lower, double upper, boolean oneSided, String intervalMethod, Double nEff, Double deff,
      @JsonProperty("kish_n_eff") double kishNEff, int df, double exposure) implements Row {}

  /** A row without an estimate: {@code prevalence} is null, {@code reason} says why. */
  public record NoEstimate(String policy, Domain domain, int units, int labeled, Double prevalence, String reason)
      implements Row {}

  /** One policy's units without an ok label: {@code missing} of them have no label row at all. */
  public record Unlabeled(String policy, int units, int failed, int invalid, int missing, List<String> examples) {}

  static Row row(PrevalenceReport.Row r) {
    Domain domain = r.attribute() == null ? null : new Domain(r.attribute(), r.value());
    Estimate e = r.estimate();
    if (e == null) {
      return new NoEstimate(r.policy(), domain, r.units(), r.labeled(), null, r.reason());
    }
    return new Estimated(r.policy(), domain, r.units(), r.labeled(), (long) e.sumY(), e.estimate(), e.se(),
        r.interval().lower(), r.interval().upper(), r.interval().oneSided(), r.interval().method(), Json.finite(e.nEff()),
        Json.finite(e.deff()), e.kishNEff(), e.df(), e.total());
  }
}
