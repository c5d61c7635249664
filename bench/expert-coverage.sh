#!/usr/bin/env bash
# Coverage of the corrected prevalence with an expert tier (a third phase): vendor raters who err
# (symmetric 5% flips; 2% false flags and 15% misses) at 0.1%, 0.5% and 3% prevalence, every
# consensus-positive and 20% of the consensus-negatives sent to an exact expert; majority-vote gold
# against the expert-phase gold (docs/calibration.md, "Expert gold: a third phase"; docs/benchmarks.md).
# Usage: bench/expert-coverage.sh [REPS]   (default 200 replicates per scenario; about 5 minutes on 2 busy cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reps="${1:-200}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# the simulation lives in the test sources (ExpertCoverageSimulation); surefire runs it and keeps its output
mvn -B -q -o -pl calibration -am -Dtest=ExpertCoverageBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dplumb.expert.reps="$reps" test >&2
cat calibration/target/surefire-reports/dev.plumb.calibration.queue.ExpertCoverageBenchmark-output.txt
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
