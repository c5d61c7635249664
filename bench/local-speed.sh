#!/usr/bin/env bash
# Local classifier scoring speed through plumb score's code path (docs/benchmarks.md,
# ## Local classifier). Optional argument: units per frame (default 1500).
set -euo pipefail
exec "$(dirname "$0")/local-run.sh" dev.plumb.labeler.local.LocalSpeedBenchmark "$@"
