package dev.plumb.calibration.estimate;

import dev.plumb.calibration.stats.Interval;
import dev.plumb.core.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code plumb estimate}: the exposure-weighted prevalence of every policy in a labels file, over a
 * sample and per domain, with intervals.
 *
 * <p>Unlabeled units (no {@code ok} label for a policy: failed, invalid or absent) are excluded and
 * reported: the labeled units are treated as a domain of the sample, so the estimate is the
 * prevalence among units that would be labeled, with the design's variance; it stands for the whole
 * population only if labels are missing independently of whether a unit violates (missing at
 * random). Labels naming a unit outside the sample are an input error.
 */
public final class Prevalence {
  /** How many unlabeled unit ids a report lists per policy. */
  static final int EXAMPLES = 5;

  private Prevalence() {}

  /**
   * What to estimate.
   *
   * @param sample {@code sample.jsonl}
   * @param manifest {@code sample.json}
   * @param labels {@code labels.jsonl}
   * @param by unit attributes to break the estimates down by (one-way domains each)
   * @param method interval method
   * @param confidence two-sided confidence level in (0, 1)
   * @param replicates bootstrap replicates (used by {@link IntervalMethod#BOOTSTRAP}; ≥ 2 then)
   * @param seed bootstrap seed
   */
  public record Request(
      Path sample, Path manifest, Path labels, List<String> by, IntervalMethod method, double confidence,
      int replicates, long seed) {
    public Request {
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(labels, "labels");
      Objects.requireNonNull(method, "method");
      by = List.copyOf(by);
      if (!(confidence > 0 && confidence < 1)) {
        throw new InputException("--confidence must be between 0 and 1 (exclusive), found " + confidence);
      }
      if (method == IntervalMethod.BOOTSTRAP && replicates < 2) {
        throw new InputException("--bootstrap must be at least 2 replicates, found " + replicates);
      }
    }
  }

  /**
   * Reads the files and estimates.
   *
   * @throws InputException naming the file, line and field of bad input
   */
  public static PrevalenceReport estimate(Request request) {
    // the labels file is usually the larger: parse it while the sample is read
    CompletableFuture<List<Labels.Row>> parsed = CompletableFuture.supplyAsync(() -> Labels.parse(request.labels()));
    DesignSample sample;
    try {
      sample = DesignSample.read(request.sample(), request.manifest());
    } catch (RuntimeException e) {
      parsed.cancel(true);
      throw e;
    }
    List<Labels.Row> labelRows;
    try {
      labelRows = parsed.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    Map<String, Labels.PolicyLabels> labels = Labels.align(labelRows, request.labels(), sample, request.sample().toString());
    Map<String, Map<String, boolean[]>> breakdowns = new TreeMap<>();
    for (String attribute : request.by()) {
      breakdowns.put(attribute, sample.breakdown(attribute, request.sample()));
    }

    List<Pending> pending = new ArrayList<>();
    List<PrevalenceReport.Unlabeled> unlabeled = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Labels.PolicyLabels> entry : labels.entrySet()) {
      String policy = entry.getKey();
      Labels.PolicyLabels p = entry.getValue();
      pending.add(pending(sample, policy, null, null, allTrue(sample.size()), p));
      for (String attribute : request.by()) {
        nullsAsNone(breakdowns.get(attribute))
            .forEach((value, domain) -> pending.add(pending(sample, policy, attribute, value, domain, p)));
      }
      PrevalenceReport.Unlabeled u = unlabeled(sample, policy, p);
      if (u != null) {
        unlabeled.add(u);
      }
    }

    List<Pending> estimated = pending.stream().filter(r -> r.estimate != null).toList();
    List<double[]> replicates = request.method() == IntervalMethod.BOOTSTRAP
        ? Bootstrap.ratios(sample, estimated.stream().map(r -> r.ratio).toList(), request.replicates(), request.seed())
        : null;
    List<PrevalenceReport.Row> rows = new ArrayList<>();
    int k = 0;
    for (Pending r : pending) {
      Interval interval = null;
      if (r.estimate != null) {
        interval = r.floor.widen(
            request.method().interval(r.estimate, replicates == null ? null : replicates.get(k++), request.confidence()),
            request.confidence());
      }
      rows.add(new PrevalenceReport.Row(r.policy, r.attribute, r.value, r.units, r.labeled, r.estimate, interval, r.reason));
    }

    if (!unlabeled.isEmpty()) {
      notes.add("Unlabeled units (no ok label for a policy) are excluded: each estimate is for the labeled"
          + " units, and stands for all units only if labels are missing independently of whether a unit"
          + " violates (missing at random).");
    }
    if (rows.stream().anyMatch(r -> r.interval() != null && r.interval().oneSided())) {
      notes.add("Where no labeled unit was positive (or every one was), the interval is a one-sided "
          + java.math.BigDecimal.valueOf(request.confidence()).movePointRight(2).stripTrailingZeros().toPlainString()
          + "% Clopper-Pearson bound on Kish's effective sample size.");
    }
    return new PrevalenceReport(
        request.sample().toString(), sample.type(), sample.size(), sample.rows(), sample.strata().size(),
        request.labels().toString(), request.method(), request.confidence(),
        request.method() == IntervalMethod.BOOTSTRAP ? request.replicates() : 0, request.seed(), rows, unlabeled, notes);
  }

  /** A row before its interval: the bootstrap replicates every estimate at once. */
  private record Pending(
      String policy, String attribute, String value, int units, int labeled, Estimate estimate,
      Bootstrap.Ratio ratio, CertaintyFloor floor, String reason) {}

  private static Pending pending(
      DesignSample sample, String policy, String attribute, String value, boolean[] domain, Labels.PolicyLabels p) {
    int units = 0;
    int labeled = 0;
    boolean exposed = false;
    boolean[] labeledDomain = new boolean[sample.size()];
    for (int i = 0; i < sample.size(); i++) {
      if (domain[i]) {
        units++;
        if (p.ok[i]) {
          labeled++;
          labeledDomain[i] = true;
          exposed |= sample.m[i] > 0;
        }
      }
    }
    if (labeled == 0) {
      return new Pending(policy, attribute, value, units, 0, null, null, null, "no labeled units");
    }
    if (!exposed) {
      return new Pending(policy, attribute, value, units, labeled, null, null, null, "the labeled units all have weight 0");
    }
    Estimate e = Estimator.ratio(sample, p.y, labeledDomain);
    return new Pending(policy, attribute, value, units, labeled, e, new Bootstrap.Ratio(p.y, labeledDomain),
        CertaintyFloor.of(sample, p.y, labeledDomain), null);
  }

  private static PrevalenceReport.Unlabeled unlabeled(DesignSample sample, String policy, Labels.PolicyLabels p) {
    int count = 0;
    int failed = 0;
    int invalid = 0;
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      if (p.ok[i]) {
        continue;
      }
      count++;
      if (p.failed[i]) {
        failed++;
      } else if (p.invalid[i]) {
        invalid++;
      }
      if (examples.size() < EXAMPLES) {
        examples.add(sample.units().get(i).id());
      }
    }
    return count == 0 ? null : new PrevalenceReport.Unlabeled(policy, count, failed, invalid, examples);
  }

  private static Map<String, boolean[]> nullsAsNone(Map<String, boolean[]> domains) {
    Map<String, boolean[]> out = new TreeMap<>();
    domains.forEach((k, v) -> out.put(k == null ? "(none)" : k, v));
    return out;
  }

  private static boolean[] allTrue(int n) {
    boolean[] b = new boolean[n];
    java.util.Arrays.fill(b, true);
    return b;
  }
}
