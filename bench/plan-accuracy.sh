#!/usr/bin/env bash
# Does `plumb plan --review-budget N` predict the interval a review delivers? (issue 15 item 1;
# docs/review.md, "How good is the plan"; docs/benchmarks.md). Per replicate: a priority phase-1 sample
# of 2,000 from a fixed 40,000-unit population, a 50 + 150 pilot review, the plan (ReviewPlan /
# ActiveReviewPlan, as plumb plan runs them), the review the plan describes drawn by queue export's
# own draw, answered by the truth or a symmetric-5% panel (error-model gold; the plan told the panel's
# rates as --rater-sensitivity/--rater-specificity do), and the headline estimate: human-only KG after
# the stratified optimal review, active AIPW after the active one. Prints per cell the mean planned and
# realized half-widths, 1.96 x the estimates' SD, their ratios, how often realized <= planned, planned V1
# over the estimates' phase-1 variance, coverage. q from the pilot (the classifier's raw scores calibrated
# on it), or without a pilot from calibrated risk scores (the true P(violating | score)): what is left of
# the gap then is the plan's formulas', not its rates'.
# Usage: bench/plan-accuracy.sh [REPS [BUDGET]]   (default 100 replicates per cell, budget 600; prevalences
# 0.5% and 3%; 16 cells, about 3 minutes each at 100 replicates on 2 busy cores). Each cell runs in its own
# JVM, JOBS at once (default 1: the machine is shared).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
reps="${1:-100}"
budget="${2:-600}"
jobs="${JOBS:-1}"
# the simulation lives in the test sources (PlanAccuracySimulation): compile them once, then one JVM per cell
bench_simulation plan-accuracy
k=0
for p in 0.005 0.03; do
  for rates in pilot calibrated; do
    for design in stratified active; do
      for gold in truth symmetric; do
        k=$((k + 1))
        bench_slot
        java -Dplumb.plan.rates="$rates" -Dplumb.plan.designs="$design" -Dplumb.plan.golds="$gold" -cp "$cp" \
          dev.plumb.calibration.queue.PlanAccuracySimulation "$reps" "$budget" "$p" >"$work/$k.txt" 2>"$work/$k.err" &
      done
    done
  done
done
bench_collect "$k" 2 txt
