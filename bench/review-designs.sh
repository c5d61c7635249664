#!/usr/bin/env bash
# Review designs at one budget (issue 15; docs/calibration.md "Review designs"; docs/benchmarks.md):
# simple random, fixed stratified (half the budget on the LLM-positives) and confidence-driven
# (type: active) review of one labeled sample, each estimated by human-only, PPI++, stratified PPI and
# active AIPW, at 0.1%, 0.3%, 1% and 3% prevalence, with the truth as gold and with noisy raters
# (symmetric 5% flips; 2% false flags / 15% misses; honeypots answered as noisily; gold by the
# rater-error model): coverage, mean width, human labels, and the labels a simple random review needs
# for the same mean width relative to the design's.
# Usage: bench/review-designs.sh [REPS [BUDGET [PREVALENCES]]]   (default 200, 1000, "0.001 0.003 0.01 0.03")
# LLM=calibrated|overconfident|score (what the LLM states as its probability; default calibrated),
# RATERS=truth,symmetric,asymmetric (default all three), JOBS prevalences at once (default 2);
# DIAGNOSE=1 adds active AIPW's error and variance split into their parts (ReviewDesignSimulation.Diagnosis);
# LAMBDA=1 adds active AIPW with λ re-tuned/held in the jackknife, held at 1, or shrunk toward 1 (lambdaArms);
# FLOOR=1 adds PPI++, stratified PPI and active AIPW with the floor from f recalibrated on the gold (floorArms, h49;
# h51's switch, and in how many reviews it fired);
# -Dplumb.review.units / -Dplumb.review.floor / -Dplumb.review.fresh=true via EXTRA. About 15 minutes of CPU with all panels at 200 replications.
set -euo pipefail
reps="${1:-200}"
budget="${2:-1000}"
prevalences="${3:-0.001 0.003 0.01 0.03}"
jobs="${JOBS:-2}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# the simulation lives in the test sources (ReviewDesignSimulation): compiled once, then one JVM per prevalence
bench_simulation review-designs
k=0
for p in $prevalences; do
  k=$((k + 1))
  bench_slot
  # each default prevalence keeps its population and review seeds whatever else runs beside it
  case "$p" in 0.001) seed=15 ;; 0.003) seed=17 ;; 0.01) seed=19 ;; 0.03) seed=21 ;; *) seed=$((23 + 2 * k)) ;; esac
  # shellcheck disable=SC2086
  java ${EXTRA:-} -Dplumb.review.diagnose="${DIAGNOSE:+true}" -Dplumb.review.lambda="${LAMBDA:+true}" -Dplumb.review.floorarms="${FLOOR:+true}" -Dplumb.review.llm="${LLM:-calibrated}" -Dplumb.review.raters="${RATERS:-}" \
    -Dplumb.review.seed="$seed" -cp "$cp" dev.plumb.calibration.corrected.ReviewDesignSimulation \
    "$reps" "$budget" "$p" >"$work/$k.txt" 2>"$work/$k.err" &
done
bench_collect "$k" 2 txt
