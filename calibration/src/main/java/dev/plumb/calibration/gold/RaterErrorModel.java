package dev.plumb.calibration.gold;

import dev.plumb.calibration.agreement.Rating;
import dev.plumb.calibration.agreement.Ratings;
import dev.plumb.calibration.review.DawidSkene;
import dev.plumb.calibration.review.DawidSkeneFit;
import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each rater's and the panel's sensitivity and specificity for one policy, and each reviewed unit's
 * probability of truly violating, from honeypots and overlapping answers.
 *
 * <p>The model is Dawid &amp; Skene (1979, Applied Statistics 28:20–28) with two classes (the
 * policy's decisions collapsed to positive/negative), fitted by {@link DawidSkene} with:
 * <ul>
 *   <li>honeypots' true class clamped in the E-step. Raters do not know which items are honeypots, so
 *       their honeypot answers err like the rest and inform the confusion matrices directly; they
 *       also anchor the classes, so a panel cannot be fitted with its labels swapped;
 *   <li>a prior per review stratum, logistic in the unit's log design weight when the items carry
 *       weights ({@link ReviewItem#weight()}): logit P(violating | i) = α_s + β x_i, x_i = log w_i less
 *       the stratum's mean log w (Raykar et al. 2010, "Learning From Crowds", JMLR 11:1297–1322). An
 *       intercept per stratum because a review that oversamples the LLM's positives has π ≈ 0.3 in
 *       one stratum and 0.002 in the other; one shared slope because in priority sampling a unit's
 *       weight m·d1 grows as its risk score falls, so within a stratum heavy units are the clean ones,
 *       and a prior constant in the stratum would give them its prevalence exactly where the
 *       estimators' weights are large (docs/calibration.md, "Gold error"). Without weights (all 1)
 *       the prior is constant per stratum;
 *   <li>a small pseudo-count (0.01 by default) instead of Dawid–Skene's 0.5, so that with raters who
 *       never err the posteriors are 0 or 1 to six decimals and every estimate is what the plain gold
 *       gives.
 * </ul>
 * The posterior of reviewed item i is
 * q_i = π_i Π_j Se_j^{a_ij}(1−Se_j)^{1−a_ij} / [that + (1−π_i) Π_j (1−Sp_j)^{a_ij} Sp_j^{1−a_ij}],
 * a_ij = 1 when rater j answered positive, π_i its prior with the stratum's intercept re-fitted
 * without the item ({@link #prior}). What the corrected estimators take for the unit's 0/1 gold is
 * its unbiased gold g_i = (q_i − e0_i)/(e1_i − e0_i), e_c the posterior's expectation over the
 * item's possible answers given class c, whose expectation is the true class whatever π_i
 * (Natarajan et al. 2013, "Learning with Noisy Labels", NeurIPS; {@link #scored}).
 *
 * <p>Uncertainty: a nonparametric bootstrap of the items within review strata (honeypots are a
 * stratum of their own), re-fitting the model in each replicate (Efron &amp; Tibshirani 1993, ch. 6).
 * Each replicate gives every rater's Se/Sp (percentile intervals) and, re-scoring the original items at
 * the replicate's error rates, their posteriors — what the corrected estimators need to carry the
 * error rates' uncertainty into their intervals (docs/calibration.md, "Gold error").
 * A replicate rater no better than chance (Se + Sp − 1 ≤ {@link #CHANCE}: the replicate drew too few of its
 * violating items to identify its sensitivity) scores the gold at the full data's rates, as a rater the
 * replicate did not draw does ({@link #identified}).
 *
 * <p>Unidentifiable answers are refused (IllegalArgumentException with the reason): no overlap and no
 * honeypot; no overlap and no honeypot of a class the raters answered (its rate trades off against the
 * prevalence); or a fit whose panel sensitivity + specificity is not above 1 (errors at 0.5 or more make
 * the labels flip). Answers that identify the rates only loosely give warnings that say how many more
 * items would bring the panel's rates to ±{@link Options#targetHalfWidth()}.
 */
public final class RaterErrorModel {
  private RaterErrorModel() {}

  static final String POSITIVE = "positive";
  static final String NEGATIVE = "negative";
  private static final List<String> CLASSES = List.of(NEGATIVE, POSITIVE);
  /** The prior group of honeypots (never used: their class is clamped). */
  private static final String HONEYPOTS = "\u0000honeypots";
  /**
   * The Youden index at or below which a bootstrap replicate's rater is taken as not identified ({@link
   * #identified}). Measured on the review that blew up: 0.01, 0.05 and 0.1 gave self_harm's upper limit 0.430%,
   * 0.424% and 0.423%; a rater who errs as the simulation's worst (Se 0.85, Sp 0.98) has J 0.83.
   */
  static final double CHANCE = 0.05;

  /**
   * @param replicates bootstrap replicates (at least 20)
   * @param level confidence level of the percentile intervals
   * @param seed the bootstrap's seed
   * @param smoothing Dawid–Skene pseudo-count
   * @param targetHalfWidth the half-width of the panel's sensitivity and specificity intervals below
   *     which no warning is given
   */
  public record Options(int replicates, double level, long seed, double smoothing, double targetHalfWidth) {
    public Options {
      if (replicates < 20 || !(level > 0 && level < 1) || !(smoothing >= 0) || !(targetHalfWidth > 0)) {
        throw new IllegalArgumentException("invalid rater-error options: " + replicates + " replicates, level "
            + level + ", smoothing " + smoothing + ", target half-width " + targetHalfWidth);
      }
    }

    /** 200 replicates, 95%, seed 1, pseudo-count 0.01, target ±0.10. */
    public static Options defaults() {
      return new Options(200, 0.95, 1, 0.01, 0.10);
    }

    public Options withSeed(long seed) {
      return new Options(replicates, level, seed, smoothing, targetHalfWidth);
    }

    public Options withReplicates(int replicates) {
      return new Options(replicates, level, seed, smoothing, targetHalfWidth);
    }
  }

  /** The fitted rates of one replicate (or the full data). */
  /**
   * @param groups prior group → {Σ posterior, units, Σ prior} over the fit's unclamped items, for the
   *     leave-one-out prior
   */
  private record Rates(Map<String, double[]> rater, Map<String, Double> prior, double slope,
      Map<String, double[]> groups, Map<String, double[]> items, Map<String, Double> x, double smoothing,
      boolean converged) {}

  /**
   * Fits the model and bootstraps it.
   *
   * @throws IllegalArgumentException when the answers cannot identify the raters' errors (the message
   *     says why and what would help)
   */
  public static RaterErrorFit fit(List<ReviewItem> items, Options options) {
    int honeypots = 0;
    int overlapped = 0;
    boolean positiveSeen = false;
    boolean negativeSeen = false;
    for (ReviewItem it : items) {
      honeypots += it.honeypot() ? 1 : 0;
      overlapped += !it.honeypot() && it.answers().size() >= 2 ? 1 : 0;
      positiveSeen |= it.answers().containsValue(true) || Boolean.TRUE.equals(it.known());
      negativeSeen |= it.answers().containsValue(false) || Boolean.FALSE.equals(it.known());
    }
    if (items.stream().noneMatch(it -> !it.honeypot())) {
      throw new IllegalArgumentException("no reviewed item has an answer");
    }
    if (honeypots == 0 && overlapped == 0) {
      throw new IllegalArgumentException("rater error cannot be estimated: every reviewed item has one answer and "
          + "there is no honeypot; give items to two or more raters (overlap) or add honeypots");
    }
    // with one answer per item, a class no honeypot knows leaves its rate unidentified: a low
    // sensitivity and a high prevalence fit the answers alike, and EM drifted to Se 0.5 and turned
    // 48 of 175 lone "safe" answers into positive gold (one rater per item, clean honeypots only)
    if (overlapped == 0 && positiveSeen && items.stream().noneMatch(it -> Boolean.TRUE.equals(it.known()))) {
      throw new IllegalArgumentException("rater sensitivity cannot be estimated: every reviewed item has one answer"
          + " and no honeypot has a violating known answer, so a low sensitivity and a high prevalence fit the answers"
          + " alike; add honeypots with a violating known answer, or give items to two or more raters (overlap)");
    }
    if (overlapped == 0 && negativeSeen && items.stream().noneMatch(it -> Boolean.FALSE.equals(it.known()))) {
      throw new IllegalArgumentException("rater specificity cannot be estimated: every reviewed item has one answer"
          + " and no honeypot has a clean known answer, so false flags and violations fit the answers alike; add"
          + " honeypots with a clean known answer, or give items to two or more raters (overlap)");
    }
    Map<String, Double> x = covariates(items);
    Rates full = fitRates(items, x, options.smoothing(), false);
    List<String> raterIds = new ArrayList<>(new TreeSet<>(full.rater().keySet()));
    double[] weights = panelWeights(items, full, raterIds);
    double[] panel = panel(full, raterIds, weights);
    if (!(panel[0] + panel[1] > 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the answers do not identify the raters' "
          + "errors: the fitted panel sensitivity %.3f + specificity %.3f is not above 1, so the raters would be "
          + "wrong at least as often as right and the classes could be swapped; add honeypots of both classes",
          panel[0], panel[1]));
    }
    Map<String, Double> posterior = new LinkedHashMap<>();
    Map<String, Double> gold = new LinkedHashMap<>();
    Map<String, Double> goldVariance = new LinkedHashMap<>();
    List<ReviewItem> reviewed = items.stream().filter(it -> !it.honeypot()).toList();
    // with one class never answered nor known, its rate rests on the pseudo-count alone: every item is
    // taken as what all its answers say rather than given a share of an unidentified class
    Double fixed = !positiveSeen ? Double.valueOf(0) : !negativeSeen ? Double.valueOf(1) : null;
    for (ReviewItem it : reviewed) {
      double[] qg = fixed != null ? new double[] {fixed, fixed, 0} : scored(it, full, full);
      posterior.put(it.item(), qg[0]);
      gold.put(it.item(), qg[1]);
      goldVariance.put(it.item(), qg[2]);
    }

    // the bootstrap: items resampled within their strata, the model re-fitted, the original items
    // re-scored at the replicate's rates
    Map<String, List<ReviewItem>> byStratum = new LinkedHashMap<>();
    for (ReviewItem it : items) {
      byStratum.computeIfAbsent(it.honeypot() ? HONEYPOTS : it.stratum(), s -> new ArrayList<>()).add(it);
    }
    int b = options.replicates();
    SplittableRandom rng = new SplittableRandom(options.seed());
    Map<String, double[]> replicates = new LinkedHashMap<>();
    Map<String, double[]> goldReplicates = new LinkedHashMap<>();
    reviewed.forEach(it -> replicates.put(it.item(), new double[b]));
    reviewed.forEach(it -> goldReplicates.put(it.item(), new double[b]));
    double[][] se = new double[raterIds.size() + 1][b];
    double[][] sp = new double[raterIds.size() + 1][b];
    for (int r = 0; r < b; r++) {
      List<ReviewItem> draw = new ArrayList<>(items.size());
      for (List<ReviewItem> group : byStratum.values()) {
        for (int k = 0; k < group.size(); k++) {
          ReviewItem it = group.get(rng.nextInt(group.size()));
          draw.add(new ReviewItem(it.item() + "#" + draw.size(), it.stratum(), it.known(), it.answers(), it.weight()));
        }
      }
      Rates raw = fitRates(draw, x, options.smoothing(), true);
      // the gold is re-scored at identified rates; the raters' own intervals keep the raw re-fit
      Rates rates = identified(raw, full);
      for (ReviewItem it : reviewed) {
        double[] qg = fixed != null ? new double[] {fixed, fixed, 0} : scored(it, rates, full);
        replicates.get(it.item())[r] = qg[0];
        // the unbiased gold at the replicate's error rates but the full data's prior: g_i is unbiased
        // whatever the prior, so the prior's own sampling noise does not reach the estimate to first
        // order (its derivative has mean 0), and re-fitting it per replicate only added the lumpy
        // swings of a rare stratum's prior (SE 2.5× the spread at 0.1%; docs/calibration.md)
        goldReplicates.get(it.item())[r] = fixed != null ? fixed : scored(it, rates, full, prior(it, full, full))[1];
      }
      for (int j = 0; j < raterIds.size(); j++) {
        double[] own = raw.rater().getOrDefault(raterIds.get(j), full.rater().get(raterIds.get(j)));
        se[j][r] = own[0];
        sp[j][r] = own[1];
      }
      double[] pr = panel(new Rates(merge(raw.rater(), full.rater()), raw.prior(), raw.slope(), raw.groups(),
          raw.items(), x, raw.smoothing(), true), raterIds, weights);
      se[raterIds.size()][r] = pr[0];
      sp[raterIds.size()][r] = pr[1];
    }

    int[] answers = new int[raterIds.size()];
    double[] positives = new double[raterIds.size()];
    for (ReviewItem it : items) {
      double q = it.honeypot() ? (it.known() ? 1 : 0) : posterior.get(it.item());
      for (String rater : it.answers().keySet()) {
        int j = raterIds.indexOf(rater);
        answers[j]++;
        positives[j] += q;
      }
    }
    List<RaterError> raters = new ArrayList<>();
    for (int j = 0; j < raterIds.size(); j++) {
      double[] own = full.rater().get(raterIds.get(j));
      raters.add(error(raterIds.get(j), answers[j], positives[j], own[0], se[j], own[1], sp[j], options.level()));
    }
    RaterError pooled = error("panel", Arrays.stream(answers).sum(), Arrays.stream(positives).sum(), panel[0],
        se[raterIds.size()], panel[1], sp[raterIds.size()], options.level());

    List<String> warnings = new ArrayList<>();
    if (!positiveSeen) {
      warnings.add("no rater answered positive and no honeypot is positive: sensitivity cannot be estimated, "
          + "and the posteriors take every unanimous negative as negative; add violating honeypots");
    } else if (!negativeSeen) {
      warnings.add("no rater answered negative and no honeypot is negative: specificity cannot be estimated; "
          + "add clean honeypots");
    }
    // the information about each rate: items whose answers compare raters (overlap) or a rater with
    // the truth (honeypots), counted by their expected class
    double infoPos = 0;
    double infoNeg = 0;
    for (ReviewItem it : items) {
      if (it.honeypot() || it.answers().size() >= 2) {
        double q = it.honeypot() ? (it.known() ? 1 : 0) : posterior.get(it.item());
        infoPos += q;
        infoNeg += 1 - q;
      }
    }
    if (positiveSeen) {
      need(warnings, "sensitivity", pooled.sensitivity(), pooled.sensitivityInterval(), infoPos, "violating",
          options.targetHalfWidth());
    }
    if (negativeSeen) {
      need(warnings, "specificity", pooled.specificity(), pooled.specificityInterval(), infoNeg, "clean",
          options.targetHalfWidth());
    }
    if (!full.converged()) {
      warnings.add("the error model did not converge; its rates are the last EM iterate");
    }
    Map<String, Double> priors = new TreeMap<>();
    full.prior().forEach((s, p) -> {
      if (!s.equals(HONEYPOTS)) {
        priors.put(s, p);
      }
    });
    return new RaterErrorFit(raters, pooled, priors, posterior, replicates, gold, goldReplicates, goldVariance, honeypots,
        overlapped, warnings, full.converged());
  }

  /**
   * The replicate's rates with every rater whose Youden index J = Se + Sp − 1 is at most {@link #CHANCE} in it
   * replaced by the full data's rates — as a rater the replicate did not draw already takes them. Why: the unbiased
   * gold divides by e1 − e0, which goes to 0 with the J of an item's raters, and with a handful of violating items
   * a replicate that draws none of a rater's (or no violating honeypot) re-fits Se to about 0.001 (J ≈ 0): its
   * positive class is then fitted to the prior, not to the answers. Such a replicate does not estimate the rater's
   * error at all (the full fit refuses a panel with J ≤ 0); at its rates g_i^(b) reached 1,214 on a review of 302
   * units with 4 violating items and made V_gold 99% of the variance (docs/calibration.md, "A replicate no better
   * than chance").
   */
  private static Rates identified(Rates rates, Rates full) {
    Map<String, double[]> rater = new HashMap<>(rates.rater());
    boolean changed = false;
    for (Map.Entry<String, double[]> e : rates.rater().entrySet()) {
      double[] r = e.getValue();
      if (r[0] + r[1] - 1 <= CHANCE && full.rater().containsKey(e.getKey())) {
        rater.put(e.getKey(), full.rater().get(e.getKey()));
        changed = true;
      }
    }
    return !changed ? rates : new Rates(rater, rates.prior(), rates.slope(), rates.groups(), rates.items(), rates.x(),
        rates.smoothing(), rates.converged());
  }

  /**
   * A warning when an interval is wider than ±target: the half-width of a proportion shrinks as
   * 1/√n, so n(h/target)² items of that class are needed in all, n·((h/target)² − 1) more.
   */
  private static void need(List<String> warnings, String rate, double value, Interval ci, double n, String klass,
      double target) {
    double half = (ci.upper() - ci.lower()) / 2;
    if (half > target) {
      long more = (long) Math.ceil(Math.max(1, n) * ((half / target) * (half / target) - 1));
      warnings.add(String.format(Locale.ROOT, "panel %s %.3f is known only to ±%.3f from %.1f %s items with "
          + "overlap or a known answer; about %d more (%s honeypots, or %s units reviewed by two or more raters) "
          + "would bring it to ±%.2f", rate, value, half, n, klass, more, klass, klass, target));
    }
  }

  private static Map<String, double[]> merge(Map<String, double[]> own, Map<String, double[]> fallback) {
    Map<String, double[]> out = new HashMap<>(fallback);
    out.putAll(own);
    return out;
  }

  private static RaterError error(String rater, int answers, double positives, double se, double[] seRep, double sp,
      double[] spRep, double level) {
    return new RaterError(rater, answers, positives, se, percentile(se, seRep, level), sp,
        percentile(sp, spRep, level));
  }

  /** The percentile interval of the replicates, widened to contain the estimate. */
  private static Interval percentile(double estimate, double[] values, double level) {
    double[] v = values.clone();
    Arrays.sort(v);
    double a = (1 - level) / 2;
    double lo = v[(int) Math.floor(a * (v.length - 1))];
    double hi = v[(int) Math.ceil((1 - a) * (v.length - 1))];
    return new Interval(Math.min(lo, estimate), Math.max(hi, estimate), level, "bootstrap-percentile", false);
  }

  /** Expected answers on violating and clean items per rater, the weights of the pooled rates. */
  private static double[] panelWeights(List<ReviewItem> items, Rates full, List<String> raterIds) {
    double[] w = new double[2 * raterIds.size()];
    for (ReviewItem it : items) {
      double q = it.honeypot() ? (it.known() ? 1 : 0) : posterior(it, full, full);
      for (String rater : it.answers().keySet()) {
        int j = raterIds.indexOf(rater);
        w[2 * j] += q;
        w[2 * j + 1] += 1 - q;
      }
    }
    return w;
  }

  /** {pooled sensitivity, pooled specificity}. */
  private static double[] panel(Rates rates, List<String> raterIds, double[] w) {
    double se = 0;
    double sp = 0;
    double wp = 0;
    double wn = 0;
    for (int j = 0; j < raterIds.size(); j++) {
      double[] r = rates.rater().get(raterIds.get(j));
      se += w[2 * j] * r[0];
      sp += w[2 * j + 1] * r[1];
      wp += w[2 * j];
      wn += w[2 * j + 1];
    }
    return new double[] {wp > 0 ? se / wp : Double.NaN, wn > 0 ? sp / wn : Double.NaN};
  }

  /** q_i at the given rates and the item's leave-one-out prior ({@link #prior}). */
  static double posterior(ReviewItem it, Rates rates, Rates full) {
    return posterior(it, rates, full, prior(it, rates, full));
  }

  /**
   * {q_i, g_i}: the posterior and the unit's unbiased gold at the given rates and the item's
   * leave-one-out prior π_i,
   *
   * <pre>  g_i = (q_i − e0_i)/(e1_i − e0_i),   e_c,i = Σ_a P(a | class c) q(a)</pre>
   *
   * summed over every answer pattern a its actual raters could have given, P(a | c) by their fitted
   * Se/Sp and q(a) the posterior such a pattern would get at the same prior π_i. Given the rates and
   * π_i (which leaving the item out makes free of its own answers), E[g_i | violating] = 1 and
   * E[g_i | clean] = 0 exactly, so any estimator linear in the gold is unbiased to first order when it
   * takes g_i for y_i — the method of unbiased estimators of Natarajan et al. (2013, "Learning with
   * Noisy Labels", NeurIPS), with the posterior as the soft classifier whose two class-conditional means
   * it inverts. Why: the posterior mean itself is unbiased only when π_i is the true prevalence, and at
   * 0.1% the units' false flags lift each other's stratum prior (docs/calibration.md, "The unbiased
   * gold"). g_i lies slightly below 0 for a unit whose answers are all negative (−e0/(e1 − e0)) and
   * above 1 for a unanimous positive when e1 &lt; 1. When e1 − e0 is not above 1e-9 (raters no better
   * than chance on this item) g_i = q_i.
   *
   * <p>The third value is the answers' noise in g_i, v_i = q_i Var(g | violating) + (1 − q_i) Var(g | clean),
   * Var(g | c) = Σ_a P(a | c) (g(a) − c)² over the same patterns: the variance of g_i about the unit's true
   * class, mixed by the posterior of that class. It is what a census review would still leave in an
   * estimator on g (docs/calibration.md, "The answers' noise in the variance").
   */
  static double[] scored(ReviewItem it, Rates rates, Rates full) {
    return scored(it, rates, full, prior(it, rates, full));
  }

  /** {@link #scored(ReviewItem, Rates, Rates)} at a given prior π_i. */
  static double[] scored(ReviewItem it, Rates rates, Rates full, double prior) {
    double q = posterior(it, rates, full, prior);
    List<String> who = new ArrayList<>(it.answers().keySet());
    int k = who.size();
    if (k > 20) {
      throw new IllegalArgumentException("item " + it.item() + " has " + k + " answers; the unbiased gold sums over "
          + "2^k answer patterns and takes at most 20");
    }
    double[] se = new double[k];
    double[] sp = new double[k];
    for (int j = 0; j < k; j++) {
      double[] r = rates.rater().getOrDefault(who.get(j), full.rater().get(who.get(j)));
      se[j] = r[0];
      sp[j] = r[1];
    }
    double[] m = UnbiasedGold.moments(se, sp, se, sp, prior);
    boolean invert = m[1] - m[0] > 1e-9;
    double g = invert ? (q - m[0]) / (m[1] - m[0]) : q;
    return new double[] {q, g, q * m[3] + (1 - q) * m[2]};
  }

  /**
   * The item's prior at the given rates, its stratum's estimated without the item itself
   * (leave-one-out: π_{s,−i} = (Σ_{k∈s} q_k − q_i + c)/(n_s − 1 + 2c), c the pseudo-count; with the
   * logistic prior, odds(π_{i,−i}) = odds(p_i)(S_s − q_i + c)/(P_s − p_i + c), below). Why:
   * with rare violations the EM's prior is driven by the very units it scores — one unanimous
   * false positive among 600 clean units raises π̂ to 1/600 and then its own posterior to 0.9 — and
   * with heavy design weights that self-influence biases the estimate upward (+60% in the simulation
   * at 0.1% prevalence). A rater or stratum the rates do not know (absent from a bootstrap replicate)
   * takes the full-data value.
   */
  static double prior(ReviewItem it, Rates rates, Rates full) {
    Rates own = rates.prior().containsKey(it.stratum()) ? rates : full;
    double prior = own.prior().getOrDefault(it.stratum(), 0.5);
    double[] group = own.groups().get(it.stratum());
    // the item's own posterior mass and copies in that fit (its copies', in a bootstrap replicate;
    // none when the replicate did not draw it)
    double[] self = own.items().getOrDefault(it.item(), new double[3]);
    double c = own.smoothing();
    if (own.x().isEmpty()) {
      if (group != null && group[1] - self[1] > 0) {
        prior = Math.max(0, group[0] - self[0] + c) / (group[1] - self[1] + 2 * c);
      }
    } else {
      // the logistic prior, its stratum intercept re-fitted without the item: for rare classes the
      // intercept's score equation Σ_s (q_k − p_k) + c(1 − 2σ(α)) = 0 scales every unit's prior odds
      // by one factor, which leaving item i out makes (S − q_i + c)/(P − p_i + c) with S = Σ_s q_k and
      // P = Σ_s p_k (the item's copies' sums in a bootstrap replicate)
      double logOdds = UnbiasedGold.logit(prior) + own.slope() * own.x().get(it.item());
      if (group != null) {
        logOdds += Math.log(Math.max(0, group[0] - self[0]) + c) - Math.log(Math.max(0, group[2] - self[2]) + c);
      }
      prior = UnbiasedGold.sigmoid(logOdds);
    }
    return prior;
  }

  /**
   * Each reviewed item's covariate of the logistic prior: log of its weight less the mean log weight
   * of its stratum (x = 0 at the stratum's typical unit, so the stratum prior keeps its meaning); none
   * when every weight is 1 (weights unknown: the constant prior per stratum).
   */
  static Map<String, Double> covariates(List<ReviewItem> items) {
    if (items.stream().allMatch(it -> it.honeypot() || it.weight() == 1)) {
      return Map.of();
    }
    Map<String, double[]> mean = new HashMap<>();
    for (ReviewItem it : items) {
      if (!it.honeypot()) {
        double[] m = mean.computeIfAbsent(it.stratum(), g -> new double[2]);
        m[0] += Math.log(it.weight());
        m[1]++;
      }
    }
    Map<String, Double> x = new HashMap<>();
    for (ReviewItem it : items) {
      if (!it.honeypot()) {
        double[] m = mean.get(it.stratum());
        x.put(it.item(), Math.log(it.weight()) - m[0] / m[1]);
      }
    }
    return x;
  }

  private static double posterior(ReviewItem it, Rates rates, Rates full, double prior) {
    double logOdds = Math.log(UnbiasedGold.clamp(prior)) - Math.log(UnbiasedGold.clamp(1 - prior));
    for (Map.Entry<String, Boolean> a : it.answers().entrySet()) {
      double[] r = rates.rater().getOrDefault(a.getKey(), full.rater().get(a.getKey()));
      double se = UnbiasedGold.clamp(r[0]);
      double sp = UnbiasedGold.clamp(r[1]);
      logOdds += a.getValue() ? Math.log(se) - Math.log(1 - sp) : Math.log(1 - se) - Math.log(sp);
    }
    return UnbiasedGold.sigmoid(logOdds);
  }

  /**
   * @param x original item → covariate of the logistic prior, or empty for a constant prior per stratum
   * @param copies items are bootstrap copies named {@code item#k}
   */
  private static Rates fitRates(List<ReviewItem> items, Map<String, Double> x, double smoothing, boolean copies) {
    List<Rating> ratings = new ArrayList<>();
    Map<String, String> known = new HashMap<>();
    Map<String, String> strata = new HashMap<>();
    Map<String, Double> covariates = new HashMap<>();
    for (ReviewItem it : items) {
      it.answers().forEach((rater, positive) -> ratings.add(new Rating(it.item(), rater, positive ? POSITIVE : NEGATIVE)));
      if (it.honeypot()) {
        known.put(it.item(), it.known() ? POSITIVE : NEGATIVE);
        strata.put(it.item(), HONEYPOTS);
      } else {
        strata.put(it.item(), it.stratum());
        if (!x.isEmpty()) {
          covariates.put(it.item(), x.get(original(it.item(), copies)));
        }
      }
    }
    DawidSkeneFit fit = DawidSkene.fit(Ratings.of(ratings, CLASSES), new DawidSkene.Anchors(known, strata, covariates),
        new DawidSkene.Options(smoothing, 1000, 1e-10));
    Map<String, double[]> rater = new HashMap<>();
    for (String id : fit.raterIds()) {
      rater.put(id, new double[] {fit.confusion(id, POSITIVE, POSITIVE), fit.confusion(id, NEGATIVE, NEGATIVE)});
    }
    Map<String, Double> prior = new HashMap<>();
    for (String g : fit.priorGroups()) {
      prior.put(g, fit.prior(g, POSITIVE));
    }
    Map<String, double[]> groups = new HashMap<>();
    Map<String, double[]> own = new HashMap<>();
    for (ReviewItem it : items) {
      if (!it.honeypot()) {
        double q = fit.posterior(it.item()).get(POSITIVE);
        String id = original(it.item(), copies);
        // the unit's fitted prior (its stratum's without covariates)
        double eta = UnbiasedGold.logit(prior.get(it.stratum())) + (x.isEmpty() ? 0 : fit.slope() * x.get(id));
        double p = UnbiasedGold.sigmoid(eta);
        double[] t = groups.computeIfAbsent(it.stratum(), g -> new double[3]);
        t[0] += q;
        t[1]++;
        t[2] += p;
        double[] o = own.computeIfAbsent(id, g -> new double[3]);
        o[0] += q;
        o[1]++;
        o[2] += p;
      }
    }
    return new Rates(rater, prior, fit.slope(), groups, own, x, smoothing, fit.converged());
  }

  private static String original(String item, boolean copies) {
    return copies ? item.substring(0, item.lastIndexOf('#')) : item;
  }
}
