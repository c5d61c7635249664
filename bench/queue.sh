#!/usr/bin/env bash
# Review-queue throughput: export -> simulate -> import on a synthetic labeled sample.
# Usage: bench/queue.sh [UNITS] [REVIEW_PER_STRATUM]   (defaults: 50000 units, 5000 per stratum)
# Needs /usr/bin/python3 (to write the synthetic sample) and the plumb jar (built if missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
units="${1:-50000}"
per="${2:-5000}"
work="$(mktemp -d /tmp/plumb-bench-queue.XXXXXX)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
jar="$root/cli/target/plumb.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -Dmaven.test.skip=true package -pl cli -am)
fi
/usr/bin/python3 - "$work" "$units" <<'PY'
import json, random, sys
work, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(1)
pols = ["self_harm", "harassment", "misinformation", "adult_sexual"]
with open(f"{work}/sample.jsonl", "w") as s, open(f"{work}/labels.jsonl", "w") as l, open(f"{work}/truth.jsonl", "w") as t:
    for i in range(n):
        u = f"u-{i}"
        s.write(json.dumps({"id": u, "weight": 1, "components": [{"id": "query", "kind": "query", "text": f"query {i}"},
            {"id": "pin", "kind": "pin", "text": "a pin title and description", "image": f"pins/{i}.png"}],
            "design": {"stratum": "all", "pi": 0.01}}) + "\n")
        for p in pols:
            pos = rnd.random() < 0.03
            t.write(json.dumps({"unit": u, "policy": p, "decision": "violating" if pos else "safe", "positive": pos, "category": None}) + "\n")
            llm = rnd.random() < (0.85 if pos else 0.03)
            l.write(json.dumps({"unit": u, "policy": p + "@1", "decision": "violating" if llm else "safe", "positive": llm,
                "status": "ok"}) + "\n")
json.dump({"format": "plumb.sample/1", "design": {"type": "srs"}, "seed": 1,
    "strata": [{"id": "all", "units": n * 100, "weight": n * 100, "n": n}], "n": n}, open(f"{work}/sample.json", "w"))
PY
printf 'type: stratified\nn: {llm_positive: %s, llm_negative: %s}\noverlap: 3\n' "$per" "$per" > "$work/review.yaml"
for i in $(seq 1 10); do echo "r$i"; done > "$work/raters.txt"
printf 'default: {sensitivity: 0.9, specificity: 0.98}\n' > "$work/panel.yaml"
plumb() { java -Xmx1g -Djava.io.tmpdir="$work" -jar "$jar" "$@" > /dev/null; }
t() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); printf '%.1f' "$(echo "$e - $s" | bc)"; }
cd "$work"
ex=$(t plumb queue export --sample sample.jsonl --labels labels.jsonl --gold-design review.yaml --out queue --raters raters.txt --seed 1 --policies "$root/policies")
si=$(t plumb queue simulate --queue queue --truth truth.jsonl --panel panel.yaml --out answers.csv --seed 1)
answers=$(($(wc -l < answers.csv) - 1))
im=$(t plumb queue import --answers answers.csv --queue queue --out gold.jsonl)
ds=$(t plumb queue import --answers answers.csv --queue queue --out gold-ds.jsonl --consensus dawid-skene)
echo "queue bench: $units sampled units x 4 policies, review ${per}+${per}, overlap 3, 10 raters, $(nproc) cores"
echo "export   ${ex} s"
echo "simulate ${si} s ($answers answers)"
echo "import   ${im} s (majority), ${ds} s (dawid-skene)"
echo "(wall times include JVM start, ~1-2 s)"
