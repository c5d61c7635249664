package dev.plumb.calibration.queue;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.Estimator;
import dev.plumb.calibration.stats.BinomialInterval;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a review budget ({@code plumb plan --review-budget N}, and {@code allocation:} in
 * review.yaml; docs/review.md, "Allocating a review budget"): the phase-2 strata (review strata ×
 * weight classes), each one's expected variance per policy, the allocation of the budget by a
 * {@link ReviewAllocation} rule and the expected interval half-width per policy.
 *
 * <p><b>Each unit's chance of violating</b> q_ip (policy p) is what the stratum variances are
 * estimated from, before anything of this sample is reviewed:
 *
 * <ul>
 *   <li>with a pilot review ({@code --pilot gold.jsonl}: an earlier review of this sample, or the
 *       last period's gold with that period's labels as {@code --pilot-labels}), the pilot's units
 *       are split by the LLM's call on them for p into cells c ∈ {positive, negative}, and each cell's
 *       rate is the posterior mean under a Jeffreys Beta(½, ½) prior, (x_c + ½)/(n_c + 1) — never 0, so
 *       a cell whose pilot found no violation still gets a variance. With risk scores in the sample and a
 *       pilot of this sample's units, the scores are calibrated on the pilot by a logistic fit, logit q_i =
 *       α_c + β(logit s_i − x̄_c), whose pseudo-counts make α_c that rate when β = 0 ({@link PlanRates});
 *       a pilot from another sample rescales them within the cell to its rate (q_i = min(1, s_i·rate_c/s̄_c));
 *       without scores every unit of the cell gets rate_c. A cell the pilot did not reach keeps the score,
 *       or, without one, the Jeffreys prior mean ½ (the most conservative variance).
 *   <li>without a pilot, q_ip = the unit's risk score for p ({@code scores.<policy>} from
 *       {@code plumb score}), read as a probability; a unit without one is an error.
 * </ul>
 *
 * <p><b>Expected variances</b>, for z_i = w_i(y_i − P)/M with y_i ~ Bernoulli(q_i), w_i = m_i·d1_i,
 * M = Σ_S w and P = Σ_S w q/M: within stratum h, E[S²_h] = (Σ μ_i² − (Σ μ_i)²/N_h)/(N_h − 1) + Σ σ²_i/N_h
 * with μ_i = w_i(q_i − P)/M and σ²_i = w_i² q_i(1 − q_i)/M²; the phase-1 part V1 is the phase-1
 * design's variance estimator ({@link Estimator#totalVariance}) of m(q − P)/M plus the Bernoulli term
 * Σ_S (1 − π1_i) σ²_i. The expected half-width is z_{1−α/2}·√V — a normal approximation to the
 * Korn–Graubard interval, which is a little wider when few positives are expected.
 *
 * <p><b>Violations the review is likely not to see</b> ({@link Unseen}): the half-width is a variance's,
 * and a variance says nothing of a review stratum whose few violations the review usually misses. Then
 * the estimate lacks that stratum's share in most periods, the stratum's sample variance is 0 in those
 * same periods, and Korn–Graubard's interval lies below the truth (docs/calibration.md, "What the 0.1% design
 * cannot do": at 0.1% a 600-unit review of the cleared class covers 0.91, all of it 0.95); kg-gamma, the default,
 * widens its upper limit beyond the planned half-width when the whole review stratum (all its weight classes) saw
 * none and holds a tenth of the exposure. For each policy and
 * stratum reviewed in part the plan gives the stratum's expected share of the prevalence
 * Σ_h w q / Σ_S w q, the violations its review is expected to see π2_h·Σ_h q, and the chance it sees none,
 * Π_h (1 − π2_h q_i) (each unit drawn independently with π2_h: Poisson sampling's approximation of the SRS);
 * a stratum with share ≥ 10% (the threshold of the report's unseen-class note) and a chance ≥ ½ is
 * listed, with the smallest review of it that brings the chance under ½.
 */
public final class ReviewPlan {
  private ReviewPlan() {}

  /**
   * @param sample sample.jsonl (with its manifest sample.json beside it)
   * @param labels labels.jsonl
   * @param design the review design (its strata, weight classes and allocation rule)
   * @param budget the total number of reviews; null: the design's {@code n} (its total, or the sum of
   *     its strata's n)
   * @param pilot an earlier review's gold.jsonl, or null
   * @param pilotLabels the pilot units' labels (null: {@code labels})
   * @param confidence the interval's level, e.g. 0.95
   * @param panel the raters expected under {@code consensus: error-model}, for the raters' part of the half-widths
   *     ({@link RaterPart}); null: the half-widths are the design's alone
   */
  public record Request(Path sample, Path labels, GoldDesign design, Integer budget, Path pilot, Path pilotLabels,
      double confidence, ReviewPanel panel) {
    /** A request without a panel: the design's part of the half-widths alone. */
    public Request(Path sample, Path labels, GoldDesign design, Integer budget, Path pilot, Path pilotLabels,
        double confidence) {
      this(sample, labels, design, budget, pilot, pilotLabels, confidence, null);
    }
  }

  /** One phase-2 stratum: its sampled units N, reviews n and π2 = n/N. */
  public record Stratum(String id, int units, int n, double pi) {}

  /**
   * One policy's expected prevalence and half-width (absolute and relative to the prevalence); with a panel, the
   * raters' part as the answers' noise and the error rates' uncertainty (variances, 0 without one), the
   * half-widths of the design's part alone z·√V and of the raters' part alone, and the design's phase-1 variance V1.
   */
  public record Width(String policy, double prevalence, double halfWidth, double relative, double ratersNoise,
      double ratersRates, double designHalfWidth, double ratersHalfWidth, double phase1) {}

  /**
   * An allocation rule's plan: the strata sizes, the expected widths ({@code worst} = max relative
   * half-width) and the strata whose violations the review is likely not to see.
   */
  public record Option(ReviewAllocation rule, List<Stratum> strata, List<Width> widths, double worst,
      List<Unseen> unseen) {}

  /**
   * A review stratum likely to show none of a policy's violations it holds (see the class comment).
   *
   * @param share the stratum's expected share of the policy's prevalence
   * @param expected the violations its review is expected to see
   * @param chanceNone the chance the review sees none
   * @param reviews the stratum's reviews in this plan
   * @param needed the smallest review of the stratum whose chance of seeing none is under ½, or -1 when even
   *     reviewing all its units leaves it at ½ or more (then phase 1 holds too few of these violations)
   */
  public record Unseen(String policy, String stratum, double share, double expected, double chanceNone, int reviews,
      int needed) {
    /** What {@code plan --review-budget} prints after "warning: ", and {@code queue export} as a notice. */
    public String message() {
      return String.format(Locale.ROOT, "%s, %s: its %,d reviews are expected to see %.2f of the violations it holds "
          + "(%.0f%% chance of seeing none), %.0f%% of the expected prevalence; when they see none a Korn–Graubard "
          + "interval lies below the truth more often than it says (kg-gamma, the default, widens it beyond this plan "
          + "where the whole review stratum saw none). %s", policy, stratum, reviews, expected,
          100 * chanceNone, 100 * share, needed > 0
              ? String.format(Locale.ROOT, "Reviewing %,d of its units brings that chance under 50%%.", needed)
              : "Even reviewing all its units leaves that chance at 50% or more: phase 1 holds too few of them.");
    }
  }

  /** A chance of seeing none at or above this, in a stratum holding at least {@link #UNSEEN_SHARE}, is listed. */
  static final double UNSEEN_CHANCE = 0.5;
  /** The share of the prevalence that makes a stratum worth listing: the report's unseen-class note uses 10% too. */
  static final double UNSEEN_SHARE = 0.10;

  /**
   * The plan.
   *
   * @param budget the budget planned (capped at the sample size)
   * @param units sampled units
   * @param minimumBudget the smallest workable budget (two reviews per stratum reviewed in part)
   * @param rates where q came from, e.g. "risk scores" or "pilot gold.jsonl (Jeffreys prior per cell)"
   * @param panel where the raters' rates came from, or null when the half-widths are the design's alone
   * @param chosen the design's rule (a fixed design as export draws it; {@code proportional} where it cannot be, see
   *     {@link #fixedBudgets})
   * @param compared every rule other than fixed, the same budget
   */
  public record Result(int budget, int units, int minimumBudget, String rates, String panel, Option chosen,
      List<Option> compared) {}

  /**
   * The strata, their members (indexes into the sample) and the allocation problem; {@code basis} what the weight
   * classes were cut on.
   */
  record Layout(Map<String, List<Integer>> parts, ReviewProblem problem, List<String> policies, int budget,
      String rates, double[][] q, double[] w, double[] basis) {
    Map<String, Integer> budgets(ReviewAllocation rule) {
      int[] n = rule.allocate(problem, budget);
      Map<String, Integer> out = new LinkedHashMap<>();
      int h = 0;
      for (String id : parts.keySet()) {
        out.put(id, n[h++]);
      }
      return out;
    }
  }

  /**
   * Plans the budget over the sample; nothing is written. A {@code type: active} design has no strata to share
   * a budget among (each unit gets its own π2): {@link ActiveReviewPlan#run} plans it.
   *
   * @throws IllegalArgumentException for a {@code type: active} design
   */
  public static Result run(Request r) {
    if (GoldDesign.ACTIVE.equals(r.design().type())) {
      throw new IllegalArgumentException("a type: active design has no strata to allocate: plan it with ActiveReviewPlan");
    }
    QueueExport.Request q = new QueueExport.Request(r.sample(), r.labels(), r.design(), List.of(), null, false, 0,
        null, "plan", k -> Optional.empty(), r.pilot(), r.pilotLabels());
    QueueExport.SampleIds sample = QueueExport.sampleIds(q);
    QueueExport.LlmLabels labels = QueueExport.llmLabels(q, sample);
    List<String> by = QueueExport.stratifyBy(r.design(), labels, r.labels().toString());
    Map<String, List<Integer>> members = QueueExport.phase2Strata(r.design(), labels, by, sample.ids().size());
    int budget = r.budget() != null ? r.budget()
        : r.design().allocation() != ReviewAllocation.FIXED ? r.design().budget()
        : r.design().n().values().stream().mapToInt(Integer::intValue).sum();
    Layout layout = layout(q, sample, labels, by, members, budget, "--review-budget");
    double z = BinomialInterval.z(r.confidence());
    List<Option> compared = new ArrayList<>();
    for (ReviewAllocation rule : ReviewAllocation.values()) {
      if (rule != ReviewAllocation.FIXED) {
        compared.add(option(layout, rule, layout.budgets(rule), z, r.panel()));
      }
    }
    // a fixed design is planned as queue export draws it; proportional stands for it only where export would cut
    // fewer weight classes than the layout (a stratum's n below two per class)
    Map<String, Integer> fixed = r.design().allocation() == ReviewAllocation.FIXED
        ? fixedBudgets(layout, r.design().n(), members, r.design().weightClasses()) : null;
    ReviewAllocation mine = r.design().allocation() == ReviewAllocation.FIXED ? ReviewAllocation.PROPORTIONAL
        : r.design().allocation();
    Option chosen = fixed != null ? option(layout, ReviewAllocation.FIXED, fixed, z, r.panel())
        : compared.stream().filter(o -> o.rule() == mine).findFirst().orElseThrow();
    return new Result(layout.budget(), sample.ids().size(), layout.problem().minimumBudget(), layout.rates(),
        r.panel() == null ? null : r.panel().source(), chosen, compared);
  }

  /**
   * The plan of one allocation rule. With a panel ({@link RaterPart}: v_j the answers' noise in unit j's gold, V_θ the
   * error rates' uncertainty) the human-only estimator on noisy gold takes the noise in three places, as
   * calibration.corrected computes it: each stratum's S²_h on g holds Σ_h (w/M)² v/N_h more, so V2 gains
   * Σ_h (N_h/n_h − 1) Σ_{j∈h} (w_j/M)² v_j; V1 on g Σ_S (1 − π1)(w/M)² v; the gold-error term
   * (TwoPhaseVariance#gold) Σ_S π1 (w/M)² v in expectation, plus V_θ. Together the raters' part is
   * Σ_h (N_h/n_h) Σ_{j∈h} (w_j/M)² v_j + V_θ: each unit's noise weighted as the estimator weights it, (c/π2)² over the
   * review, π2 of it reviewed.
   */
  private static Option option(Layout layout, ReviewAllocation rule, Map<String, Integer> b, double z,
      ReviewPanel panel) {
    int[] n = b.values().stream().mapToInt(Integer::intValue).toArray();
    // each unit's π2 and review stratum under this allocation: the prior import fits and a stated panel's rate
    // variances follow the reviews the allocation makes
    double[] pi2 = new double[layout.w().length];
    int[] stratum = new int[pi2.length];
    int s = 0;
    for (List<Integer> part : layout.parts().values()) {
      for (int j : part) {
        pi2[j] = n[s] / (double) part.size();
        stratum[j] = s;
      }
      s++;
    }
    RaterPart.Parts[] raters = ActiveReviewPlan.raters(panel, layout.policies(), layout.q(), layout.w(), pi2, stratum);
    List<Stratum> strata = strata(layout, b);
    ReviewProblem p = layout.problem();
    List<Width> widths = new ArrayList<>();
    double worst = 0;
    double total = 0;
    for (double x : layout.w()) {
      total += x;
    }
    for (int k = 0; k < p.policies(); k++) {
      double design = p.variance(k, n);
      double noise = 0;
      double rates = 0;
      if (raters != null) {
        int h = 0;
        double[] v = raters[k].noise();
        for (List<Integer> part : layout.parts().values()) {
          double sum = 0;
          for (int j : part) {
            double c = layout.w()[j] / total;
            sum += c * c * v[j];
          }
          noise += n[h] > 0 ? sum * part.size() / n[h] : 0;
          h++;
        }
        rates = raters[k].rates(layout.w(), total, pi2);
      }
      double half = z * Math.sqrt(design + noise + rates);
      double rel = p.prevalence()[k] > 0 ? half / p.prevalence()[k] : Double.POSITIVE_INFINITY;
      widths.add(new Width(layout.policies().get(k), p.prevalence()[k], half, rel, noise, rates, z * Math.sqrt(design),
          z * Math.sqrt(noise + rates), p.v1()[k]));
      worst = Math.max(worst, rel);
    }
    return new Option(rule, strata, widths, worst, unseen(layout, strata));
  }

  /**
   * A fixed design's reviews per layout stratum as {@code queue export} draws them ({@link QueueExport}'s phase 2):
   * each review stratum's n — scaled to the layout's budget in proportion when that differs from their sum (at least
   * one each, {@link dev.plumb.calibration.sampling.Allocation#bounded}) — capped at its units and shared over its
   * weight classes by {@link WeightClasses#share} (a stratum reviewed whole: every class whole). Null when some stratum's n gives fewer than two reviews per class: export then
   * cuts fewer classes than the layout has.
   */
  static Map<String, Integer> fixedBudgets(Layout layout, Map<String, Integer> n, Map<String, List<Integer>> members,
      int classes) {
    List<String> keys = members.keySet().stream().filter(k -> !members.get(k).isEmpty()).toList();
    int[] written = new int[keys.size()];
    int sum = 0;
    for (int i = 0; i < written.length; i++) {
      written[i] = n.getOrDefault(keys.get(i), 0);
      sum += written[i];
    }
    int[] wanted = written;
    if (sum > 0 && sum != layout.budget()) {
      double[] a = new double[written.length];
      long[] lo = new long[written.length];
      long[] hi = new long[written.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = written[i];
        hi[i] = members.get(keys.get(i)).size();
        lo[i] = Math.min(1, hi[i]);
      }
      long room = java.util.Arrays.stream(hi).sum();
      long[] x = dev.plumb.calibration.sampling.Allocation.bounded(Math.min(layout.budget(), room), a, lo, hi);
      wanted = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        wanted[i] = (int) x[i];
      }
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      int units = members.get(key).size();
      int nh = Math.min(wanted[i], units);
      List<String> parts = classes <= 1 ? List.of(key)
          : layout.parts().keySet().stream().filter(p -> p.startsWith(key + "/w")).toList();
      if (parts.size() == 1 || nh >= units) {
        parts.forEach(p -> out.put(p, parts.size() == 1 ? nh : layout.parts().get(p).size()));
        continue;
      }
      if (Math.min(classes, Math.max(1, nh / 2)) < parts.size()) {
        return null;
      }
      int[] size = new int[parts.size()];
      double[] weight = new double[parts.size()];
      for (int c = 0; c < size.length; c++) {
        for (int j : layout.parts().get(parts.get(c))) {
          size[c]++;
          weight[c] += layout.basis()[j];
        }
      }
      int[] alloc = WeightClasses.share(size, weight, nh);
      for (int c = 0; c < size.length; c++) {
        out.put(parts.get(c), alloc[c]);
      }
    }
    return out;
  }

  /** The layout's strata with the reviews {@code budgets} gives each. */
  static List<Stratum> strata(Layout layout, Map<String, Integer> budgets) {
    List<Stratum> strata = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : layout.parts().entrySet()) {
      int units = e.getValue().size();
      int n = budgets.get(e.getKey());
      strata.add(new Stratum(e.getKey(), units, n, n / (double) units));
    }
    return strata;
  }

  /** The strata likely to show none of a policy's violations (see the class comment). */
  static List<Unseen> unseen(Layout layout, List<Stratum> strata) {
    List<Unseen> out = new ArrayList<>();
    for (int p = 0; p < layout.policies().size(); p++) {
      double[] q = layout.q()[p];
      double all = 0;
      for (int j = 0; j < q.length; j++) {
        all += layout.w()[j] * q[j];
      }
      int h = 0;
      for (List<Integer> part : layout.parts().values()) {
        Stratum s = strata.get(h++);
        if (s.n() >= s.units() || all <= 0) {
          continue;
        }
        double share = 0;
        double sum = 0;
        for (int j : part) {
          share += layout.w()[j] * q[j] / all;
          sum += q[j];
        }
        double none = chanceNone(q, part, s.pi());
        if (share >= UNSEEN_SHARE && none >= UNSEEN_CHANCE) {
          int needed = -1;
          if (chanceNone(q, part, 1) < UNSEEN_CHANCE) {
            // the chance falls as π2 grows: bisect for the smallest review below ½
            int lo = s.n();
            int hi = s.units();
            while (hi - lo > 1) {
              int mid = (lo + hi) >>> 1;
              if (chanceNone(q, part, mid / (double) s.units()) < UNSEEN_CHANCE) {
                hi = mid;
              } else {
                lo = mid;
              }
            }
            needed = hi;
          }
          out.add(new Unseen(layout.policies().get(p), s.id(), share, s.pi() * sum, none, s.n(), needed));
        }
      }
    }
    return out;
  }

  /** Π (1 − π2·q_i) over the stratum's units: the chance a review at π2 sees none of its violations. */
  private static double chanceNone(double[] q, List<Integer> part, double pi2) {
    double logNone = 0;
    for (int j : part) {
      logNone += Math.log1p(-Math.min(1, pi2 * q[j]));
    }
    return Math.exp(logNone);
  }

  /** The layout of an export whose design allocates its total {@code n}. */
  static Layout layout(QueueExport.Request r, QueueExport.SampleIds sample, QueueExport.LlmLabels labels,
      List<String> by, Map<String, List<Integer>> members) {
    return layout(r, sample, labels, by, members, r.design().budget(), "n");
  }

  /**
   * Splits the review strata into weight classes (all K of them: the budget is shared afterwards),
   * estimates every unit's q and the problem's variances.
   *
   * @param budgetField the option a too-small budget is blamed on
   */
  static Layout layout(QueueExport.Request r, QueueExport.SampleIds sample, QueueExport.LlmLabels labels,
      List<String> by, Map<String, List<Integer>> members, int budget, String budgetField) {
    GoldDesign d = r.design();
    String option = "allocation: " + d.allocation().id();
    DesignSample p1 = QueueExport.phase1(r.sample(), d.allocation() == ReviewAllocation.FIXED ? "--review-budget" : option);
    int[] at = QueueExport.rows(p1, sample.ids());
    double[] basis = QueueExport.contributionWeights(p1, at);
    // the class boundaries go by the same basis as a fixed design's (weight, or weight × score sd)
    if (d.weightClasses() > 1 && GoldDesign.BY_WEIGHT_AND_SCORE.equals(d.classesBy())) {
      QueueExport.scoreTilt(basis, sample.scores(), sample.lines(), by.stream().map(PolicyKey::idOf).distinct().toList(),
          r.sample().toString());
    }
    List<String> policies = new ArrayList<>(labels.answers().keySet());
    PlanRates rates = PlanRates.of(r, sample, labels, policies);
    return layout(p1, at, members, basis, d.weightClasses(), policies, rates.q(), budget, budgetField, rates.source());
  }

  /**
   * The layout from arrays (what the file-based layout reads, and what a simulation has).
   *
   * @param p1 the phase-1 sample
   * @param at each sampled unit's index in {@code p1}
   * @param members review stratum → sampled units
   * @param basis what the weight classes are cut on
   * @param classes weight classes per review stratum (1: none)
   * @param q q[p][j]: policy p's chance of violating, per sampled unit
   */
  static Layout layout(DesignSample p1, int[] at, Map<String, List<Integer>> members, double[] basis, int classes,
      List<String> policies, double[][] q, int budget, String budgetField, String rates) {
    int size = at.length;
    double[] w = QueueExport.contributionWeights(p1, at);

    Map<String, List<Integer>> parts = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
      List<Integer> list = e.getValue();
      if (list.isEmpty()) {
        continue;
      }
      if (classes <= 1) {
        parts.put(e.getKey(), new ArrayList<>(list));
        continue;
      }
      double[] v = new double[list.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = basis[list.get(j)];
      }
      List<WeightClasses.Class> cut = WeightClasses.cut(v, classes);
      for (int c = 0; c < cut.size(); c++) {
        List<Integer> part = new ArrayList<>();
        for (int j : cut.get(c).members()) {
          part.add(list.get(j));
        }
        parts.put(e.getKey() + "/w" + (c + 1), part);
      }
    }
    int k = policies.size();
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double[][] s2 = new double[parts.size()][k];
    double[] v1 = new double[k];
    double[] prevalence = new double[k];
    for (int p = 0; p < k; p++) {
      double[] qp = q[p];
      double num = 0;
      for (int j = 0; j < size; j++) {
        num += w[j] * qp[j];
      }
      double prev = total > 0 ? num / total : 0;
      prevalence[p] = prev;
      v1[p] = phase1Variance(p1, at, w, qp, prev, total);
      int h = 0;
      for (List<Integer> part : parts.values()) {
        double sumMu = 0;
        double sumMu2 = 0;
        double sumSigma2 = 0;
        for (int j : part) {
          double mu = w[j] * (qp[j] - prev) / total;
          sumMu += mu;
          sumMu2 += mu * mu;
          sumSigma2 += w[j] * w[j] * qp[j] * (1 - qp[j]) / (total * total);
        }
        int nh = part.size();
        s2[h][p] = nh < 2 ? 0 : (sumMu2 - sumMu * sumMu / nh) / (nh - 1) + sumSigma2 / nh;
        h++;
      }
    }
    double[] sizes = parts.values().stream().mapToDouble(List::size).toArray();
    ReviewProblem problem = new ReviewProblem(new ArrayList<>(parts.keySet()), sizes, s2, v1, prevalence);
    if (budget < problem.minimumBudget()) {
      throw new InputException(Problem.of(budgetField + ": a budget of " + budget + " reviews cannot give each of the "
          + parts.size() + " review strata the " + "2 reviewed units its variance estimate needs; the smallest workable"
          + " budget is " + problem.minimumBudget()
          + (classes > 1 ? " (or use fewer weight_classes)" : "")));
    }
    return new Layout(parts, problem, policies, (int) Math.min(budget, problem.units()), rates, q, w, basis);
  }

  /**
   * The expected phase-1 variance of the prevalence Σ_S m d1 y / M when y_j ~ Bernoulli(q_j): the phase-1
   * design's variance estimator ({@link Estimator#totalVariance}) of m(q − P)/M plus the Bernoulli term
   * Σ_S (1 − π1_j) w_j² q_j(1 − q_j)/M² (see the class comment).
   *
   * @param at each sampled unit's index in {@code p1}
   * @param w each sampled unit's contribution weight m·d1
   * @param q each sampled unit's chance of violating
   * @param prev P = Σ w q / M
   * @param total M = Σ w
   */
  static double phase1Variance(DesignSample p1, int[] at, double[] w, double[] q, double prev, double total) {
    double[] x = new double[p1.size()];
    double bernoulli = 0;
    for (int j = 0; j < at.length; j++) {
      double pi1 = Math.min(1, 1 / p1.designWeight(at[j]));
      x[at[j]] = p1.exposure(at[j]) * (q[j] - prev) / total;
      bernoulli += (1 - pi1) * w[j] * w[j] * q[j] * (1 - q[j]) / (total * total);
    }
    return Estimator.totalVariance(p1, x) + bernoulli;
  }
}
