#!/usr/bin/env bash
# plumb calibrate figures: a generated stratified sample of UNITS units with LLM labels for 2
# policies, a review subsample of GOLD units per policy (half LLM-positive, half LLM-negative) with
# three raters each; times plumb calibrate (all estimators incl. jackknife, --by surface with 4
# domains, agreement, the three report files) and reports the peak memory and report sizes.
# Usage: bench/report.sh [UNITS] [GOLD]   (from anywhere; builds the jar when stale)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
units="${1:-20000}"
gold="${2:-1000}"
bench_start report

python3 - "$work" "$units" "$gold" <<'PY'
import json, math, random, sys
work, n, g = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(42)
strata = [("low", 0.6, 2_000_000), ("mid", 0.3, 300_000), ("high", 0.1, 20_000)]
sizes = [int(n * share) for _, share, _ in strata]
sizes[0] += n - sum(sizes)
policies = [("self_harm@3", "safe", "violating", [0.002, 0.03, 0.3]), ("hate@2", "ok", "hateful", [0.004, 0.02, 0.15])]
surfaces = ["search", "home", "video", "board"]
units = []
with open(f"{work}/sample.jsonl", "w") as s:
    k = 0
    for index, ((h, _, population), size) in enumerate(zip(strata, sizes)):
        for _ in range(size):
            k += 1
            uid = f"u-{k:07d}"
            units.append((uid, index))
            s.write(json.dumps({"id": uid, "weight": math.ceil(math.exp(rng.gauss(0, 1)) * 10),
                "attributes": {"surface": rng.choice(surfaces)},
                "components": [{"id": "t", "kind": "text", "text": "synthetic"}],
                "design": {"stratum": h, "pi": size / population}}) + "\n")
json.dump({"format": "plumb.sample/1", "design": {"type": "stratified"}, "seed": 1,
           "strata": [{"id": h, "units": p, "weight": p * 10.0, "n": size} for (h, _, p), size in zip(strata, sizes)],
           "n": n}, open(f"{work}/sample.json", "w"))
with open(f"{work}/labels.jsonl", "w") as l, open(f"{work}/gold.jsonl", "w") as go, open(f"{work}/gold.answers.jsonl", "w") as an:
    for key, neg, pos, prev in policies:
        truth, llm = {}, {}
        for uid, h in units:
            y = rng.random() < prev[h]
            yhat = (rng.random() < 0.85) if y else (rng.random() < 0.03)
            truth[uid], llm[uid] = y, yhat
            l.write(json.dumps({"unit": uid, "policy": key, "status": "ok", "decision": pos if yhat else neg,
                                "positive": yhat, "confidence": round(0.5 + rng.random() / 2, 3),
                                "model": "bench", "backend": "local", "prompt": "sha256:" + "0" * 64}) + "\n")
        for stratum, want in (("llm_positive", True), ("llm_negative", False)):
            group = [u for u, _ in units if llm[u] == want]
            take = rng.sample(group, min(len(group), g // 2))
            for uid in take:
                votes = 0
                for r in rng.sample(["r1", "r2", "r3", "r4", "r5"], 3):
                    says = truth[uid] if rng.random() > 0.05 else not truth[uid]
                    votes += says
                    an.write(json.dumps({"unit": uid, "policy": key, "rater": r, "decision": pos if says else neg}) + "\n")
                go.write(json.dumps({"unit": uid, "policy": key, "decision": pos if votes >= 2 else neg,
                                     "positive": votes >= 2, "method": "majority", "raters": 3,
                                     "phase2": {"stratum": stratum, "pi": len(take) / len(group)}}) + "\n")
PY

echo "sample: $units units; gold: up to $gold units per policy, 2 policies; --by surface (4 domains)"
/usr/bin/time -f "wall %e s, CPU %U s user + %S s sys, peak RSS %M KB" ./plumb calibrate --sample "$work/sample.jsonl" --labels "$work/labels.jsonl" \
  --gold "$work/gold.jsonl" --by surface --out "$work/report" 2>&1 | grep -E "^(policy|self_harm|hate|wall)" || true
ls -l "$work/report" | awk 'NR>1 {print $5, $9}'
