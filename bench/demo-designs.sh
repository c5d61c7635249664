#!/usr/bin/env bash
# Review designs on the demo (issue 15; docs/benchmarks.md, "Review designs on the demo"): the demo's
# sample and local-classifier labels, reviewed at the same budget of 1,200 units by
#   a  the demo's design (stratified on any_positive, n 300 + 900, 4 classes by weight and score)
#   b  the same classes with allocation: optimal and n: 1200
#   c  type: active, n: 1200 (confidence-driven; the default floor)
# each with the demo's panel (overlap 4, honeypots, error-model gold), over SEEDS review seeds (the
# panel's seed varied with it; seed 1 is the demo's own, review 5 / panel 11). Every reviewed sample is
# calibrated with --interval mover-wilson (the demo's) and with the default (korn-graubard). Prints per
# design x estimator x interval x policy: coverage of the truth, mean width, mean estimate - truth.
# Phase 1 (logs, units, scores, sample, labels) is one `plumb run` of a copy of fixtures/demo/run.yaml
# (output in the scratch folder), so coverage is over the review and the panel given that sample.
# Usage: bench/demo-designs.sh [SEEDS]   (default 20; JOBS review chains at once, default 2;
# about 30 s of CPU per design and seed). Needs /usr/bin/python3 (to read report.json).
set -euo pipefail
seeds="${1:-20}"
jobs="${JOBS:-2}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start demo-designs
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
jar="$root/cli/target/plumb.jar"
plumb() { java -Djava.io.tmpdir="$work" -jar "$jar" "$@"; }

# the demo's run file with its paths made absolute (they are relative to the file) and its output,
# history included, in the scratch folder
demo="$work/demo"
sed -e "s#\.\./\.\./out/demo#$demo#g" -e "s#: \.\./\.\./#: $root/#g" -e "s#: \.\./review/#: $root/fixtures/review/#g" \
  fixtures/demo/run.yaml > "$work/run.yaml"
if grep -n '\.\./' "$work/run.yaml" >&2; then echo "demo-designs: a relative path above was not rewritten" >&2; exit 3; fi
plumb run "$work/run.yaml" > "$work/run.out" 2>&1
echo "phase 1: $(grep -o 'priority sample of [0-9,]* units' "$work/run.out"), $(grep -o '[0-9,]* labels (0 invalid) by local' "$work/run.out")"

# the three designs: the demo's review block (overlap, honeypots, rater bar) under each
common='overlap: 4
honeypot_rate: 0.1
rater_bar: 0.8'
cat > "$work/a.yaml" <<YAML
type: stratified
stratify_by: any_positive
n: {llm_positive: 300, llm_negative: 900}
weight_classes: 4
classes_by: weight_and_score
$common
YAML
cat > "$work/b.yaml" <<YAML
type: stratified
stratify_by: any_positive
n: 1200
allocation: optimal
weight_classes: 4
classes_by: weight_and_score
$common
YAML
cat > "$work/c.yaml" <<YAML
type: active
n: 1200
$common
YAML

# chain D K: design D's review at seed K: export, simulate, import (error-model), calibrate twice;
# one TSV row per interval x estimator x policy in $work/D.K.tsv
chain() {
  local d="$1" k="$2" dir="$work/$1.$2" iv
  mkdir -p "$dir"
  plumb queue export --sample "$demo/sample.jsonl" --labels "$demo/labels.jsonl" --gold-design "$work/$d.yaml" \
    --out "$dir/queue" --raters fixtures/review/raters.txt --honeypots fixtures/review/honeypots.jsonl \
    --policies policies --seed $((4 + k)) > "$dir/log" 2>&1
  plumb queue simulate --queue "$dir/queue" --truth "$demo/logs/truth.jsonl" --panel fixtures/review/panel.yaml \
    --out "$dir/answers.csv" --seed $((10 + k)) >> "$dir/log" 2>&1
  plumb queue import --answers "$dir/answers.csv" --queue "$dir/queue" --out "$dir/gold.jsonl" \
    --consensus error-model >> "$dir/log" 2>&1
  for iv in mover-wilson korn-graubard; do
    plumb calibrate --sample "$demo/sample.jsonl" --labels "$demo/labels.jsonl" --gold "$dir/gold.jsonl" \
      --answers "$dir/gold.answers.jsonl" --truth "$demo/logs/truth.json" --policies policies --interval "$iv" \
      --out "$dir/$iv" >> "$dir/log" 2>&1
  done
  /usr/bin/python3 - "$dir" "$d" "$k" > "$work/$d.$k.tsv" <<'PY'
import json, sys
dir, d, k = sys.argv[1:]
for iv in ("mover-wilson", "korn-graubard"):
    for p in json.load(open(f"{dir}/{iv}/report.json"))["policies"]:
        for e in p["estimators"]:
            # mover-wilson changes human-only's interval only (and not over an active review's one
            # stratum): every other interval is the korn-graubard run's
            if e["estimator"] not in ("human-only", "stratified-ppi", "active-aipw") or e.get("kind") != "estimate":
                continue
            if iv == "mover-wilson" and e["interval"]["method"] != "mover-wilson":
                continue
            i = e["interval"]
            print(d, k, e["estimator"], i["method"], p["policy"], e["estimate"], i["lower"], i["upper"], p["truth"],
                  sep="\t")
PY
}

for d in a b c; do
  for k in $(seq 1 "$seeds"); do
    bench_slot
    chain "$d" "$k" || { echo "demo-designs: design $d seed $k failed; its log:" >&2; cat "$work/$d.$k/log" >&2; exit 3; } &
  done
done
wait
for d in a b c; do for k in $(seq 1 "$seeds"); do [ -s "$work/$d.$k.tsv" ] || { cat "$work/$d.$k/log" >&2; exit 3; }; done; done

# the check that the chain is the run's: design a at seed 1 gives the demo's own headline
/usr/bin/python3 - "$demo/report.json" "$work/a.1/mover-wilson/report.json" <<'PY'
import json, sys
run, chain = (json.load(open(f)) for f in sys.argv[1:])
same = [p["headline"]["interval"] == q["headline"]["interval"] for p, q in zip(run["policies"], chain["policies"])]
print("design a, seed 1 reproduces the demo's headline intervals:", "yes" if all(same) else "NO")
PY
echo "reviewed units per draw (mean over seeds; active draws vary around n):"
for d in a b c; do
  printf '  %s %s\n' "$d" "$(/usr/bin/python3 -c '
import json, sys
ns = [sum(s["n"] for s in json.load(open(f))["strata"]) for f in sys.argv[1:]]
print(f"{sum(ns) / len(ns):.1f} (min {min(ns)}, max {max(ns)})")' "$work"/$d.*/queue/queue.json)"
done
cat "$work"/[abc].*.tsv | /usr/bin/python3 -c '
import sys
from collections import defaultdict
names = {"a": "a demo fixed", "b": "b optimal", "c": "c active"}
cells = defaultdict(list)
for line in sys.stdin:
    d, k, est, iv, pol, e, lo, hi, t = line.rstrip("\n").split("\t")
    cells[(d, est, iv, pol)].append((float(e), float(lo), float(hi), float(t)))
print("%-13s %-15s %-14s %-17s %5s %8s %10s %9s %7s" % ("design", "estimator", "interval", "policy", "seeds", "coverage",
      "mean width", "mean est", "truth"))
for key in sorted(cells):
    d, est, iv, pol = key
    r = cells[key]
    cov = sum(lo <= t <= hi for e, lo, hi, t in r) / len(r)
    print(f"{names[d]:<13} {est:<15} {iv:<14} {pol:<17} {len(r):>5} {cov:>8.2f} "
          f"{100 * sum(hi - lo for e, lo, hi, t in r) / len(r):>9.3f}% {100 * sum(e for e, *_ in r) / len(r):>8.3f}% "
          f"{100 * r[0][3]:>6.3f}%")
'
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
