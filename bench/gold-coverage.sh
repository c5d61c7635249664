#!/usr/bin/env bash
# Coverage of the corrected prevalence when human raters err: the whole chain against the true
# prevalence (docs/calibration.md, "Gold error"; docs/benchmarks.md). Exact raters, symmetric 5% flips
# and asymmetric raters (2% false flags, 15% misses) at 0.1%, 0.5% and 3% prevalence; gold by majority
# vote and by the rater-error model; coverage, relative bias and mean width per estimator.
# Usage: bench/gold-coverage.sh [REPS [SCENARIO]]   (default 200 replicates per scenario; about 20 minutes on 2
# busy cores for the nine; SCENARIO keeps those whose "name prevalence" contains it, e.g. "symmetric 5% 0.001")
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reps="${1:-200}"
only="${2:-}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# the simulation lives in the test sources (GoldCoverageSimulation); surefire runs it and keeps its output
mvn -B -q -o -pl calibration -am -Dtest=GoldCoverageBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dplumb.gold.reps="$reps" -Dplumb.gold.only="$only" test >&2
cat calibration/target/surefire-reports/dev.plumb.calibration.gold.GoldCoverageBenchmark-output.txt
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
