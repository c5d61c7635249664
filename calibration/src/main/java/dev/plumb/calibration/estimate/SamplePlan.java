package dev.plumb.calibration.estimate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.PlanningFrame;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Numbers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code plumb plan}'s work (docs/estimation.md, "Planning"): the sample size for a target interval
 * half-width — for simple random sampling at an expected prevalence, or for a design over a frame
 * whose risk scores are read as probabilities of violating — and, given the LLM's sensitivity and
 * specificity, the human labels a corrected estimate needs ({@link Planner}). Writes the
 * {@code plumb.plan/1} format ({@link Result#toJson()}).
 */
public final class SamplePlan {
  /** The format of {@link Result#toJson()}. */
  public static final String FORMAT = "plumb.plan/1";

  private SamplePlan() {}

  /**
   * What to plan. Without a frame: {@code prevalence} (and optionally {@code population}); with one:
   * {@code frame} + {@code design} (and optionally the {@code policy} whose scores to read). The
   * human-label plan needs {@code sensitivity} and {@code specificity}; {@code llmUnits} fixes phase 1.
   */
  public record Request(Double prevalence, double halfWidth, boolean relative, Long population, double confidence,
      Path frame, Path design, String policy, Double sensitivity, Double specificity, Long llmUnits) {}

  /**
   * What was planned.
   *
   * @param atDesign the design's own n over the frame, or null (no frame, or n cannot be drawn)
   * @param srs simple random sampling over the same frame, or null (no frame, or the design is SRS)
   * @param frame the planning frame, or null; {@code design} likewise
   * @param twoPhase the human-label plan, or null without sensitivity and specificity
   */
  public record Result(Request request, Planner.Plan plan, Planner.Plan atDesign, Planner.Plan srs, PlanningFrame frame,
      SamplingDesign design, Planner.TwoPhasePlan twoPhase, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }

    /** The plan as {@code plumb.plan/1} (docs/formats.md): {@link PlanJson}'s objects, those this plan has. */
    public ObjectNode toJson() {
      Request c = request;
      ObjectNode o = Json.object();
      o.put("format", FORMAT);
      o.put("confidence", c.confidence());
      o.set("target", Json.tree(new PlanJson.Target(c.halfWidth(), c.relative(),
          c.relative() ? c.halfWidth() * plan.prevalence() : c.halfWidth())));
      o.put("prevalence", plan.prevalence());
      if (frame == null) {
        o.put("population", c.population()); // null becomes JSON null
      } else {
        o.set("frame", Json.tree(PlanJson.Frame.of(c.frame().toString(), frame)));
        o.put("design_file", c.design().toString());
        o.set("design", design.toJson());
      }
      o.set("plan", Json.tree(PlanJson.Plan.of(plan)));
      if (atDesign != null) {
        o.set("at_design_n", Json.tree(PlanJson.Plan.of(atDesign)));
      }
      if (srs != null) {
        o.set("srs", Json.tree(PlanJson.Plan.of(srs)));
      }
      if (twoPhase != null) {
        o.set("human_labels", Json.tree(PlanJson.HumanLabels.of(c, twoPhase)));
      }
      ArrayNode warn = o.putArray("warnings");
      warnings.forEach(warn::add);
      return o;
    }
  }

  /**
   * Plans. The request's options are assumed checked (ranges, which go together); problems only a
   * frame or design can show are {@link InputException}s naming the option or file.
   */
  public static Result run(Request r) {
    Planner.Target target = new Planner.Target(r.prevalence() == null ? 0 : r.prevalence(), r.halfWidth(), r.relative(),
        r.confidence());
    return r.frame() == null ? withoutFrame(r, target) : overFrame(r, target);
  }

  private static Result withoutFrame(Request r, Planner.Target target) {
    Planner.Plan plan = Planner.srs(target, r.population() == null ? 0 : r.population());
    List<String> warnings = new ArrayList<>(plan.warnings());
    Planner.TwoPhasePlan two = null;
    if (r.sensitivity() != null) {
      double n1 = r.llmUnits() == null ? Double.POSITIVE_INFINITY : r.llmUnits();
      two = Planner.twoPhase(target, r.prevalence(), new Planner.LlmQuality(r.sensitivity(), r.specificity()), n1);
      two.warnings().forEach(x -> warnings.add("human labels: " + x));
    }
    return new Result(r, plan, null, null, null, null, two, warnings);
  }

  private static Result overFrame(Request r, Planner.Target target) {
    Path design = r.design();
    Path frame = r.frame();
    SamplingDesign d = DesignFile.read(design).design();
    String p = r.policy() != null ? r.policy() : PlanningFrame.defaultPolicy(d).orElseThrow(() -> new InputException(
        "--policy: needed: " + design + " names no single policy whose score to read as the probability of violating"));
    PlanningFrame f = PlanningFrame.read(frame, d, p);
    List<String> warnings = new ArrayList<>();
    if (r.prevalence() != null) {
      try {
        f = f.withPrevalence(r.prevalence());
      } catch (IllegalArgumentException e) {
        throw new InputException(frame + ": scores." + p + ": " + e.getMessage());
      }
    } else {
      warnings.add(String.format(Locale.ROOT, "scores.%s are read as probabilities and imply a prevalence of %s; a"
          + " classifier's scores are calibrated to its training data, not to this frame, so unless they were calibrated"
          + " on it, give the expected prevalence with --prevalence (the scores then rank, the level is yours)", p,
          Numbers.significant(f.impliedPrevalence() * 100, 4) + "%"));
    }
    Planner.Plan plan;
    try {
      plan = Planner.forFrame(target, f);
    } catch (IllegalArgumentException e) {
      throw new InputException(frame + ": scores." + p + ": " + e.getMessage());
    }
    plan.warnings().forEach(x -> warnings.add("planned: " + x));
    Planner.Plan atDesign = null;
    long n = d.n();
    boolean sized = d instanceof SamplingDesign.Ppswr;
    if (n >= f.minimum() && (sized || n <= f.units())) {
      atDesign = Planner.atDesignSize(target, f);
    } else {
      warnings.add(design + ": n = " + n + " cannot be drawn from " + frame + " (" + f.units() + " units"
          + (n < f.minimum() ? "; the allocation needs at least " + f.minimum() : "") + ")");
    }
    Planner.Plan srs = d instanceof SamplingDesign.Srs ? null
        : Planner.forFrame(target, new Planner.Frame(f.weights(), f.scores()), new Planner.Design.Srs());
    Planner.TwoPhasePlan two = null;
    if (r.sensitivity() != null) {
      double n1 = Double.POSITIVE_INFINITY;
      Long llmUnits = r.llmUnits();
      if (llmUnits != null) {
        if (!sized && llmUnits > f.units()) {
          throw new InputException("--llm-units: " + llmUnits + " is larger than the frame (" + f.units() + " units)");
        }
        if (llmUnits < f.minimum()) {
          throw new InputException("--llm-units: " + llmUnits + " is below the smallest sample the design's allocation allows ("
              + f.minimum() + ")");
        }
        Planner.Plan phase1 = Planner.atSize(target, new Planner.Frame(f.weights(), f.scores()),
            Planner.Design.of(f), (int) Math.min(Integer.MAX_VALUE, llmUnits));
        n1 = Math.max(2, llmUnits / phase1.deff());
        warnings.add("human labels: the phase-1 design enters as its effective size n1/deff = "
            + String.format(Locale.ROOT, "%.0f", n1) + " (exact for SRS, an approximation for other designs)");
      }
      two = Planner.twoPhase(target, plan.prevalence(), new Planner.LlmQuality(r.sensitivity(), r.specificity()), n1);
      two.warnings().forEach(x -> warnings.add("human labels: " + x));
    }
    return new Result(r, plan, atDesign, srs, f, d, two, warnings);
  }
}
