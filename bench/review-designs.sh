#!/usr/bin/env bash
# Review designs at one budget (issue 15; docs/calibration.md "Review designs"; docs/benchmarks.md):
# simple random, fixed stratified (half the budget on the LLM-positives) and confidence-driven
# (type: active) review of one labeled sample, each estimated by human-only, PPI++, stratified PPI and
# active AIPW, at 0.1%, 0.3%, 1% and 3% prevalence: coverage, mean width, human labels, and the
# labels a simple random review needs for the same mean width relative to the design's.
# Usage: bench/review-designs.sh [REPS [BUDGET [PREVALENCES]]]   (default 200, 1000, "0.001 0.003 0.01 0.03";
# about 10 minutes on 2 busy cores). -Dplumb.review.units / -Dplumb.review.floor via MAVEN_OPTS-style EXTRA.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reps="${1:-200}"
budget="${2:-1000}"
prevalences="${3:-0.001 0.003 0.01 0.03}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# the simulation lives in the test sources (ReviewDesignSimulation); surefire runs it and keeps its output
mvn -B -q -o -pl calibration -am -Dtest=ReviewDesignBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dplumb.review.reps="$reps" -Dplumb.review.budget="$budget" -Dplumb.review.prevalences="$prevalences" \
  ${EXTRA:-} test >&2
cat calibration/target/surefire-reports/dev.plumb.calibration.corrected.ReviewDesignBenchmark-output.txt
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
