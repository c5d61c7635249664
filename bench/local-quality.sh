#!/usr/bin/env bash
# Local classifier quality: stratified 5-fold CV on ../shared/data/moderation/samples-dev.jsonl,
# ROC-AUC and PR-AUC per category (docs/benchmarks.md, ## Local classifier). Optional argument:
# --dump FILE writes category/label/score rows to check the metrics with scikit-learn.
set -euo pipefail
exec "$(dirname "$0")/local-run.sh" dev.plumb.labeler.local.LocalQualityBenchmark ../shared/data/moderation/samples-dev.jsonl "$@"
