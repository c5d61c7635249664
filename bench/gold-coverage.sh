#!/usr/bin/env bash
# Coverage of the corrected prevalence when human raters err: the whole chain against the true
# prevalence (docs/calibration.md, "Gold error"; docs/benchmarks.md). Exact raters, symmetric 5% flips
# and asymmetric raters (2% false flags, 15% misses) at 0.1%, 0.5% and 3% prevalence; gold by the
# truth, by majority vote and by the rater-error model; coverage, relative bias (with its Monte Carlo
# SE and the part beyond what the truth as gold gives on the same samples) and mean width per arm; the arm
# "error-model, no answer-noise term" is the variance before the answers' noise was added (same gold).
# Usage: bench/gold-coverage.sh [REPS [SCENARIO]]   (default 200 replicates per scenario; SCENARIO keeps
# those whose "name prevalence" contains it, e.g. "symmetric 5% 0.001").
# Each scenario runs in its own JVM, JOBS at once (default 3); PLUMB_GOLD_DEBUG=1 adds Σ w(q − y) per
# review stratum, true class and number of positive answers; PLUMB_GOLD_UNWEIGHTED=1 adds the error model
# with the first version's constant prior per review stratum; PLUMB_GOLD_POSTERIOR=1 adds the error model's
# posteriors q_i as the gold (before the unbiased gold g_i, docs/calibration.md "The unbiased gold");
# PLUMB_GOLD_COMPONENTS=1 prints each variance component's mean, median and 90th percentile beside the
# estimates' variance; PLUMB_GOLD_BIASCORRECTED=1 adds the bootstrap bias-corrected gold (not adopted);
# PLUMB_GOLD_MISSES=1 prints the truth-as-gold replicates whose interval misses, with their gold positives.
# PLUMB_GOLD_SHORTFALL=1 splits the truth-as-gold Korn–Graubard estimate into its phases and describes its misses
# (docs/calibration.md, "Korn–Graubard at 3%").
# PLUMB_GOLD_ANTICIPATED=1 adds human-only KG and kg-gamma with V2 floored by the Bernoulli(p̂_h) working model's
# anticipated V2 (AnticipatedHumanOnly; tried, docs/calibration.md "Korn–Graubard at 3%") and corr(estimate, SE).
# PLUMB_GOLD_SCORED=1 adds the same floor with a score-based working model (q_i the review class's Platt fit of gold on
# logit(score); h42), on V2 and on V1 and V2, with corr(estimate, SE) and the floored arm's misses described. The V2
# floor is calibrate's default since h48, guarded: every replicate's sample carries the units' scores, the default arms
# have the guarded floor, the arms "… no score floor (--no-score-floor)" none and "… score floor without guard (h44)"
# the floor with every class flooring, on the same estimates (the tried arms start from the no-floor estimates).
# PLUMB_GOLD_WEIGHTCLASSES=K reviews each LLM stratum by K weight classes (weight_classes: K, docs/review.md).
# PLUMB_GOLD_SECONDORDER=1 adds the unbiased gold less its delta-method second-order bias, g_i − ½ tr(H_i Σ)
# (SecondOrderGold), and the same with every rate whose estimate ± 2 SD leaves (0, 1) held fixed (both tried, not
# adopted). PLUMB_GOLD_SEED=N draws the replicates from seed N (default 2026; 2027 and
# 3101/3102 are the other streams measured). Each row ends with the relative bias with the 1% of estimates farthest
# from the truth removed: a diagnostic of the heavy tail, not a result.
# PLUMB_GOLD_REVIEW=P,N reviews P LLM-positive and N LLM-negative units instead of 300 + 600;
# PLUMB_GOLD_HONEYPOTS=P,N gives P violating and N clean honeypots instead of 20 + 40.
# PLUMB_GOLD_FLOORSCORE=noisy|uninformative|miscalibrated|step hands the score floor a worse score than the population's
# (σ(logit s + N(0, 1.5²)), U(0, 1), s⁴, s rounded up to a coarse grid; h46) while the LLM call and phase 1 keep the
# population's; every scenario prints the floor's score's AUC and the default's mean width ÷ the no-floor arms'.
# Every run also has the arms "… score floor + G2 (h48)": the floor whose classes need, beside G1's 5 gold positives and
# negatives (the default's guard), a within-class AUC of 0.85 (docs/calibration.md "A guard on the score floor (h48)");
# it prints G1's (the default's) and G2's width ratios to no floor and how often each class floored.
# PLUMB_GOLD_GUARDDIAG=1 prints instead, per review class, the gold positives and negatives and every floor score's
# within-class AUC over the replicates (the diagnostic K and A were chosen from; no coverage).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
reps="${1:-200}"
only="${2:-}"
jobs="${JOBS:-3}"
# the simulation lives in the test sources (GoldCoverageSimulation): compile them once, then one JVM per scenario
bench_simulation gold-coverage
debug=()
[ -n "${PLUMB_GOLD_DEBUG:-}" ] && debug+=(-Dplumb.gold.debug=true)
[ -n "${PLUMB_GOLD_UNWEIGHTED:-}" ] && debug+=(-Dplumb.gold.unweighted=true)
[ -n "${PLUMB_GOLD_POSTERIOR:-}" ] && debug+=(-Dplumb.gold.posterior=true)
[ -n "${PLUMB_GOLD_COMPONENTS:-}" ] && debug+=(-Dplumb.gold.components=true)
[ -n "${PLUMB_GOLD_BIASCORRECTED:-}" ] && debug+=(-Dplumb.gold.biascorrected=true)
[ -n "${PLUMB_GOLD_MISSES:-}" ] && debug+=(-Dplumb.gold.misses=true)
[ -n "${PLUMB_GOLD_SHORTFALL:-}" ] && debug+=(-Dplumb.gold.shortfall=true)
[ -n "${PLUMB_GOLD_ANTICIPATED:-}" ] && debug+=(-Dplumb.gold.anticipated=true)
[ -n "${PLUMB_GOLD_SCORED:-}" ] && debug+=(-Dplumb.gold.scoredfloor=true)
[ -n "${PLUMB_GOLD_WEIGHTCLASSES:-}" ] && debug+=("-Dplumb.gold.weightclasses=$PLUMB_GOLD_WEIGHTCLASSES")
[ -n "${PLUMB_GOLD_SECONDORDER:-}" ] && debug+=(-Dplumb.gold.secondorder=true)
[ -n "${PLUMB_GOLD_SEED:-}" ] && debug+=("-Dplumb.gold.seed=$PLUMB_GOLD_SEED")
[ -n "${PLUMB_GOLD_REVIEW:-}" ] && debug+=("-Dplumb.gold.review=$PLUMB_GOLD_REVIEW")
[ -n "${PLUMB_GOLD_HONEYPOTS:-}" ] && debug+=("-Dplumb.gold.honeypots=$PLUMB_GOLD_HONEYPOTS")
[ -n "${PLUMB_GOLD_FLOORSCORE:-}" ] && debug+=("-Dplumb.gold.floorscore=$PLUMB_GOLD_FLOORSCORE")
[ -n "${PLUMB_GOLD_GUARDDIAG:-}" ] && debug+=(-Dplumb.gold.guarddiag=true)
k=0
for scenario in "exact 0.001" "symmetric 5% 0.001" "asymmetric 2%/15% 0.001" "exact 0.005" "symmetric 5% 0.005" \
    "asymmetric 2%/15% 0.005" "exact 0.03" "symmetric 5% 0.03" "asymmetric 2%/15% 0.03"; do
  [[ "$scenario" == *"$only"* ]] || continue
  k=$((k + 1))
  bench_slot
  java "${debug[@]}" -cp "$cp" dev.plumb.calibration.gold.GoldCoverageSimulation "$reps" "$scenario" \
    >"$work/$k.md" 2>"$work/$k.err" &
done
bench_collect "$k" 4 md
