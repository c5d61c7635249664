#!/usr/bin/env bash
# Review designs on the demo (issue 15; docs/benchmarks.md, "Review designs on the demo"): the demo's
# population (logs, units, truth, local-classifier scores), P phase-1 samples of it, each reviewed at
# the same budget of 1,200 units by
#   a  the demo's design (stratified on any_positive, n 300 + 900, 4 classes by weight and score)
#   b  the same classes with allocation: optimal and n: 1200
#   c  type: active, n: 1200 (confidence-driven; the default floor)
# each with the demo's panel (overlap 4, honeypots, error-model gold), over SEEDS review seeds per
# sample (the panel's seed varied with it; seed 1 is the demo's own, review 5 / panel 11). Every
# reviewed sample is calibrated with --interval mover-wilson (the demo's report.interval) and with the
# korn-graubard (the default before kg-gamma; docs/calibration.md, "The default interval"). Prints, pooled over the P x SEEDS draws, per design x estimator x interval x
# policy: coverage of the truth, mean width, mean estimate - truth; then the headline the report picks
# under each interval setting, and per phase-1 sample the headline's coverage of its worst policy.
# Phase-1 sample p is one `plumb run` of a copy of fixtures/demo/run.yaml (output in the scratch
# folder) with sampling.seed 41 + p (p = 1 is the demo's 42): the runs share one output folder, so
# generate, units and score run once and are reused by the later runs (their fingerprints do not
# read the sampling seed; the script prints what each run skipped).
# Usage: bench/demo-designs.sh [SEEDS [SAMPLES]]   (defaults 20 and 1; DESIGNS, default "a b c";
# JOBS review chains at once, default 2; about 30 s of CPU per design and draw, 40 s per sample).
# Needs /usr/bin/python3 (to read report.json).
set -euo pipefail
seeds="${1:-20}"
samples="${2:-1}"
designs="${DESIGNS:-a b c}"
jobs="${JOBS:-2}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start demo-designs
bench_header . ':!docs'
echo "designs $designs, $samples phase-1 sample(s) x $seeds review seed(s), $jobs chain(s) at once"
jar="$root/cli/target/plumb.jar"
plumb() { java -Djava.io.tmpdir="$work" -jar "$jar" "$@"; }

# the demo's run file with its paths made absolute (they are relative to the file) and its output,
# history included, in the scratch folder
demo="$work/demo"
sed -e "s#\.\./\.\./out/demo#$demo#g" -e "s#: \.\./\.\./#: $root/#g" -e "s#: \.\./review/#: $root/fixtures/review/#g" \
  fixtures/demo/run.yaml > "$work/run.yaml"
if grep -n '\.\./' "$work/run.yaml" >&2; then echo "demo-designs: a relative path above was not rewritten" >&2; exit 3; fi
if [ "$(sed -n '/^sampling:/,/^[a-z]/p' "$work/run.yaml" | grep -c '^  seed: ')" -ne 1 ]; then
  echo "demo-designs: the run file's sampling block has no single '  seed:' line" >&2; exit 3
fi

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

# chain D P K: design D's review of phase-1 sample P at seed K: export, simulate, import
# (error-model), calibrate twice; one TSV row per interval setting x estimator x policy, and one
# per interval setting x policy for the headline, in $work/D.P.K.tsv
chain() {
  local d="$1" p="$2" k="$3" dir="$work/$1.$2.$3" ph="$work/p$2" iv
  mkdir -p "$dir"
  plumb queue export --sample "$ph/sample.jsonl" --labels "$ph/labels.jsonl" --gold-design "$work/$d.yaml" \
    --out "$dir/queue" --raters fixtures/review/raters.txt --honeypots fixtures/review/honeypots.jsonl \
    --policies policies --seed $((4 + k)) > "$dir/log" 2>&1
  plumb queue simulate --queue "$dir/queue" --truth "$demo/logs/truth.jsonl" --panel fixtures/review/panel.yaml \
    --out "$dir/answers.csv" --seed $((10 + k)) >> "$dir/log" 2>&1
  plumb queue import --answers "$dir/answers.csv" --queue "$dir/queue" --out "$dir/gold.jsonl" \
    --consensus error-model >> "$dir/log" 2>&1
  for iv in mover-wilson korn-graubard; do
    plumb calibrate --sample "$ph/sample.jsonl" --labels "$ph/labels.jsonl" --gold "$dir/gold.jsonl" \
      --answers "$dir/gold.answers.jsonl" --truth "$demo/logs/truth.json" --policies policies --interval "$iv" \
      --out "$dir/$iv" >> "$dir/log" 2>&1
  done
  /usr/bin/python3 - "$dir" "$d" "$p" "$k" > "$work/$d.$p.$k.tsv" <<'PY'
import json, sys
dir, d, p, k = sys.argv[1:]
for iv in ("mover-wilson", "korn-graubard"):
    for pol in json.load(open(f"{dir}/{iv}/report.json"))["policies"]:
        h = pol["headline"]
        print(d, p, k, iv, "headline", h["estimator"], h["interval"]["method"], pol["policy"], h["estimate"],
              h["interval"]["lower"], h["interval"]["upper"], pol["truth"], sep="\t")
        for e in pol["estimators"]:
            # mover-wilson changes human-only's interval only (and not over an active review's one
            # stratum): every other interval is the korn-graubard run's
            if e["estimator"] not in ("human-only", "stratified-ppi", "active-aipw") or e.get("kind") != "estimate":
                continue
            if iv == "mover-wilson" and e["interval"]["method"] != "mover-wilson":
                continue
            i = e["interval"]
            print(d, p, k, iv, "estimator", e["estimator"], i["method"], pol["policy"], e["estimate"], i["lower"],
                  i["upper"], pol["truth"], sep="\t")
PY
}

# phase-1 sample p: the run with sampling.seed 41 + p; its sample, labels and report kept in $work/pP
# (the next run overwrites the output folder); then its review chains, JOBS at a time, while the
# next sample's run goes on
for p in $(seq 1 "$samples"); do
  s=$((41 + p))
  sed -i "/^sampling:/,/^[a-z]/s/^  seed: .*/  seed: $s/" "$work/run.yaml"
  plumb run "$work/run.yaml" > "$work/run.$p.out" 2>&1 || { cat "$work/run.$p.out" >&2; exit 3; }
  mkdir -p "$work/p$p"
  cp "$demo/sample.jsonl" "$demo/sample.json" "$demo/labels.jsonl" "$demo/report.json" "$work/p$p/"
  echo "phase 1, sample $p (sampling.seed $s): $(grep -o 'priority sample of [0-9,]* units' "$work/run.$p.out"), $(grep -o '[0-9,]* labels ([0-9]* invalid) by local' "$work/run.$p.out"); $(grep -o '[0-9]* stages ran, [0-9]* skipped' "$work/run.$p.out"): $(grep -oE '\] [a-z0-9-]+ +skipped' "$work/run.$p.out" | awk '{print $2}' | paste -sd, -)"
  for d in $designs; do
    for k in $(seq 1 "$seeds"); do
      bench_slot
      chain "$d" "$p" "$k" || { echo "demo-designs: design $d sample $p seed $k failed; its log:" >&2; cat "$work/$d.$p.$k/log" >&2; exit 3; } &
    done
  done
done
wait
for d in $designs; do for p in $(seq 1 "$samples"); do for k in $(seq 1 "$seeds"); do
  [ -s "$work/$d.$p.$k.tsv" ] || { cat "$work/$d.$p.$k/log" >&2; exit 3; }
done; done; done

# the check that the chain is the run's: design a at seed 1 gives each run's own headline
if [[ " $designs " == *" a "* ]]; then
  for p in $(seq 1 "$samples"); do
    /usr/bin/python3 - "$work/p$p/report.json" "$work/a.$p.1/mover-wilson/report.json" "$p" <<'PY'
import json, sys
run, chain = (json.load(open(f)) for f in sys.argv[1:3])
same = [p["headline"]["interval"] == q["headline"]["interval"] for p, q in zip(run["policies"], chain["policies"])]
print(f"design a, sample {sys.argv[3]}, seed 1 reproduces that run's headline intervals:", "yes" if all(same) else "NO")
PY
  done
fi
echo "reviewed units per draw (mean over draws; active draws vary around n):"
for d in $designs; do
  printf '  %s %s\n' "$d" "$(/usr/bin/python3 -c '
import json, sys
ns = [sum(s["n"] for s in json.load(open(f))["strata"]) for f in sys.argv[1:]]
print(f"{sum(ns) / len(ns):.1f} (min {min(ns)}, max {max(ns)})")' "$work"/$d.*/queue/queue.json)"
done
cat "$work"/[abc].*.tsv | /usr/bin/python3 -c '
import sys
from collections import defaultdict
names = {"a": "a demo fixed", "b": "b optimal", "c": "c active"}
cells, heads, per_sample = defaultdict(list), defaultdict(list), defaultdict(list)
for line in sys.stdin:
    d, p, k, run, role, est, iv, pol, e, lo, hi, t = line.rstrip("\n").split("\t")
    row = (float(e), float(lo), float(hi), float(t))
    if role == "estimator":
        cells[(d, est, iv, pol)].append(row)
    else:
        heads[(d, run, pol)].append((f"{est} {iv}",) + row)
        per_sample[(d, run, int(p), pol)].append(row)
def stats(r):
    return (sum(lo <= t <= hi for e, lo, hi, t in r) / len(r), 100 * sum(hi - lo for e, lo, hi, t in r) / len(r),
            100 * sum(e for e, *_ in r) / len(r), 100 * r[0][3])
print("%-13s %-15s %-14s %-17s %5s %8s %10s %9s %7s" % ("design", "estimator", "interval", "policy", "draws", "coverage",
      "mean width", "mean est", "truth"))
for key in sorted(cells):
    d, est, iv, pol = key
    cov, w, m, t = stats(cells[key])
    print(f"{names[d]:<13} {est:<15} {iv:<14} {pol:<17} {len(cells[key]):>5} {cov:>8.3f} {w:>9.3f}% {m:>8.3f}% {t:>6.3f}%")
print()
print("headline (what the report picks) under each --interval setting, pooled over all draws:")
print("%-13s %-14s %-17s %-28s %5s %8s %10s %9s" % ("design", "setting", "policy", "headline", "draws", "coverage",
      "mean width", "mean est"))
for key in sorted(heads):
    d, run, pol = key
    r = heads[key]
    picked = ", ".join(sorted({h[0] for h in r}))
    cov, w, m, t = stats([h[1:] for h in r])
    print(f"{names[d]:<13} {run:<14} {pol:<17} {picked:<28} {len(r):>5} {cov:>8.3f} {w:>9.3f}% {m:>8.3f}%")
print()
print("headline per phase-1 sample: the policy covered least often over its review seeds (ties: the first)")
print("%-13s %-14s %6s %-17s %8s %s" % ("design", "setting", "sample", "worst policy", "coverage", "every policy covered"))
for d, run in sorted({(d, run) for d, run, *_ in per_sample}):
    for p in sorted({p for dd, rr, p, _ in per_sample if (dd, rr) == (d, run)}):
        covs = {pol: stats(r)[0] for (dd, rr, pp, pol), r in per_sample.items() if (dd, rr, pp) == (d, run, p)}
        worst = min(covs, key=lambda pol: (covs[pol], pol))
        n = len(per_sample[(d, run, p, worst)])
        every = sum(all(lo <= t <= hi for e, lo, hi, t in [per_sample[(d, run, p, pol)][i] for pol in covs])
                    for i in range(n))
        print(f"{names[d]:<13} {run:<14} {p:>6} {worst:<17} {covs[worst]:>8.3f} {every} of {n}")
'
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
