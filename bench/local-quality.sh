#!/usr/bin/env bash
# Local classifier quality: the model `plumb score --train` builds (Trainer.build, the policy's own
# texts included), stratified 5-fold CV on ../shared/data/moderation/samples-dev.jsonl (read there,
# never copied), ROC-AUC and PR-AUC per category on the held-out folds (docs/benchmarks.md,
# ## Local classifier). Options: --folds K (2: train on half), --repeats R (partitions), --only S,HR,
# --dump FILE (category/label/score rows to check the metrics with scikit-learn).
set -euo pipefail
exec "$(dirname "$0")/local-run.sh" dev.plumb.labeler.local.LocalQualityBenchmark ../shared/data/moderation/samples-dev.jsonl "$@"
