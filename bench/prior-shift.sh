#!/usr/bin/env bash
# The local classifier's prevalence estimate at 0.4-1.6% on the moderation texts: classify-and-count
# at 0.5 against the prior-shift EM of Saerens et al. (2002) and its count-matching threshold
# (docs/benchmarks.md, "Scores as probabilities"). Reads ../shared/data/moderation/samples-dev.jsonl.
set -euo pipefail
# MODERATION overrides the path (e.g. from a worktree one level deeper)
exec "$(dirname "$0")/local-run.sh" dev.plumb.labeler.local.PriorShiftBenchmark "${MODERATION:-../shared/data/moderation/samples-dev.jsonl}" "$@"
