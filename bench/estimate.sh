#!/usr/bin/env bash
# plumb estimate figures: a generated 100,000-unit stratified sample with labels for 3 policies;
# times the analytic intervals and 1,000 bootstrap replicates, with the peak memory.
# Usage: bench/estimate.sh [UNITS]   (from anywhere; builds the jar when stale; offline)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
units="${1:-100000}"
bench_start estimate

python3 - "$work" "$units" <<'PY'
import json, math, random, sys
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
strata = [("low", 0.6, 2_000_000), ("mid", 0.3, 300_000), ("high", 0.1, 20_000)]
sizes = [int(n * share) for _, share, _ in strata]
sizes[0] += n - sum(sizes)
policies = [("self_harm@3", [0.001, 0.02, 0.3]), ("harassment@2", [0.01, 0.05, 0.2]), ("spam@1", [0.0, 0.0, 0.0])]
surfaces = ["search", "home", "video", "board"]
with open(f"{work}/sample.jsonl", "w") as s, open(f"{work}/labels.jsonl", "w") as l:
    k = 0
    for (h, _, population), size in zip(strata, sizes):
        for _ in range(size):
            k += 1
            uid = f"u-{k:07d}"
            unit = {"id": uid, "weight": math.ceil(math.exp(rng.gauss(0, 1)) * 10),
                    "attributes": {"surface": rng.choice(surfaces), "day": f"2026-11-{20 + k % 7:02d}"},
                    "scores": {"self_harm": round(rng.random(), 4)},
                    "components": [{"id": "query", "kind": "query", "text": "synthetic query text " * 4},
                                   {"id": "response", "kind": "response", "text": "synthetic response text " * 8}],
                    "design": {"stratum": h, "pi": size / population}}
            s.write(json.dumps(unit) + "\n")
            for policy, rates in policies:
                rate = rates[["low", "mid", "high"].index(h)]
                positive = rng.random() < rate
                if rng.random() < 0.002:
                    l.write(json.dumps({"unit": uid, "policy": policy, "status": "failed", "error": "timeout"}) + "\n")
                    continue
                l.write(json.dumps({"unit": uid, "policy": policy, "decision": "violating" if positive else "safe",
                                    "positive": positive, "category": None, "confidence": 0.9, "rationale": "synthetic",
                                    "evidence": [], "status": "ok", "model": "bench", "prompt": "sha256:0"}) + "\n")
json.dump({"format": "plumb.sample/1", "design": {"type": "stratified"}, "seed": 42,
           "strata": [{"id": h, "units": population, "weight": population * 15.0, "n": size}
                      for (h, _, population), size in zip(strata, sizes)], "n": n},
          open(f"{work}/sample.json", "w"))
PY

echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sample: $units units ($(du -h "$work/sample.jsonl" | cut -f1)), labels: $(wc -l < "$work/labels.jsonl") rows ($(du -h "$work/labels.jsonl" | cut -f1)), 3 policies"
run() {
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" ./plumb estimate --sample "$work/sample.jsonl" --labels "$work/labels.jsonl" "$@" > "$work/out"
  read -r secs user sys kb < "$work/time"
  printf '%-44s wall %6.2f s  cpu %6.2f s  peak RSS %4d MB\n' "$label" "$secs" "$(echo "$user + $sys" | bc)" "$((kb / 1024))"
}
run "korn-graubard (no bootstrap)"
run "korn-graubard, --by surface --by day"  --by surface --by day
run "bootstrap, 1000 replicates"            --bootstrap 1000
run "bootstrap, 1000 replicates, --by surface" --bootstrap 1000 --by surface
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
