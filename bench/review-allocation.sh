#!/usr/bin/env bash
# Review allocation: coverage and width of the human-only interval when the same review budget
# (1 000 labels over 20 000 LLM-labeled units) is spent as a simple random review, a fixed
# stratified review (half to the LLM-positives) or a Neyman allocation over the LLM strata x 4
# weight classes from calibrated risk scores, at 0.1%, 0.3%, 1% and 3% prevalence
# (docs/calibration.md, "Allocating the review budget"; docs/benchmarks.md).
# Also: the same allocation reviewed in 4 rounds with a stopping rule (alpha-spent and naive intervals).
# Usage: bench/review-allocation.sh [REPS]   (default 200 replicates per prevalence; about 30 minutes on 2 busy cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reps="${1:-200}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# the simulation lives in the test sources (AllocationSimulation); surefire runs it and keeps its output
# each prevalence's rows are appended to $out as soon as they are done
out="$(mktemp)"
mvn -B -q -o -pl calibration -am -Dtest=AllocationBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dplumb.allocation.reps="$reps" -Dplumb.allocation.out="$out" test >&2
cat "$out"
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
