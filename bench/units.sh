#!/usr/bin/env bash
# plumb units figures: generates synthetic logs with about 10 million component rows
# (1,800,000 interactions x ~5.6 pins) and times `plumb units build` on them with the DuckDB
# engine, with wall time and peak RSS (JVM + DuckDB's native memory) of each step.
# Usage: bench/units.sh [INTERACTIONS] [MEMORY]   (defaults 1800000, 1GB; builds the jar when stale)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-1800000}"
memory="${2:-1GB}"
bench_start units

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "generate: %e s wall, %U s user, %M KB peak RSS" \
  ./plumb units generate --out "$work/logs" --interactions "$n" --seed 1
echo "component rows: $(($(wc -l < "$work/logs/components/2026-11-25.csv") - 1)); input size: $(du -sh --exclude=truth.jsonl "$work/logs" | cut -f1) (truth.jsonl excluded)"
/usr/bin/time -f "build: %e s wall, %U s user, %M KB peak RSS" \
  ./plumb units build --config "$work/logs/units.yaml" --out "$work/units.jsonl" --memory "$memory"
echo "units.jsonl: $(wc -l < "$work/units.jsonl") units, $(du -h "$work/units.jsonl" | cut -f1)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
