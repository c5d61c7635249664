#!/usr/bin/env bash
# plumb prompt test with the local backend (docs/benchmarks.md, ## Prompt tests):
#  1. self_harm@2 against self_harm@1 on the starter library, with a cold cache (leave-one-out models
#     trained, texts embedded) and again warm;
#  2. the same on a binary golden set built from ../shared/data/moderation/samples-dev.jsonl (all SH
#     positives + 100 seeded negatives; written under the bench cache, never into the repository).
# Usage: bench/prompt-test.sh   (from anywhere; builds what it needs, offline)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o compile -pl cli -am >&2
cp_file="$root/cli/target/bench.classpath"
mvn -B -q -o org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -pl cli -Dmdep.outputFile="$cp_file" >&2
cp="cli/target/classes:labeler/target/classes:core/target/classes:calibration/target/classes:units/target/classes:$(cat "$cp_file")"
work="$root/.plumb-cache/bench-prompt-test"
rm -rf "$work"; mkdir -p "$work/tmp"
plumb() {
  java -Xmx1g -Dplumb.cache.dir="$work/cache" -Djava.io.tmpdir="$work/tmp" -Djna.tmpdir="$work/tmp" \
    -DDJL_CACHE_DIR="$work/cache/djl" -Dai.djl.offline=true -cp "$cp" dev.plumb.cli.Main "$@"
}
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for run in cold warm; do
  start=$(date +%s.%N)
  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local --json > "$work/$run.json" 2>/dev/null || true
  end=$(date +%s.%N)
  printf 'starter self_harm@2 vs @1, %s cache: %.1f s wall (16 cases x 2 sides, 32 held-out models)\n' "$run" "$(echo "$end - $start" | bc)"
done
data=../shared/data/moderation/samples-dev.jsonl
if [[ -f "$data" ]]; then
  /usr/bin/python3 - "$data" "$work/golden.jsonl" <<'PY'
import json, random, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pos = [r for r in rows if r.get("SH") == 1]
neg = [r for r in rows if r.get("SH") == 0]
random.seed(7)
with open(sys.argv[2], "w") as f:
    for i, r in enumerate(pos + random.sample(neg, 100)):
        f.write(json.dumps({"id": f"mod-{i}", "components": [{"id": "text", "kind": "text", "text": r["prompt"]}],
                            "expected": {"self_harm": {"positive": r["SH"] == 1}}}) + "\n")
PY
  start=$(date +%s.%N)
  plumb prompt test --policy self_harm@2 --against self_harm@1 --backend local --golden "$work/golden.jsonl" > "$work/golden.txt" 2>/dev/null || true
  end=$(date +%s.%N)
  printf 'moderation golden set (%d units) + examples: %.1f s wall\n' "$(wc -l < "$work/golden.jsonl")" "$(echo "$end - $start" | bc)"
  sed -n '/^ *candidate self_harm/,/^requests/p' "$work/golden.txt"
  grep '^flips' "$work/golden.txt"
fi
