#!/usr/bin/env bash
# Spark (local mode) against the embedded engines on the same generated logs:
#   plumb units build (DuckDB)  vs  plumb-spark units build (Spark SQL, part files)
#   plumb sample                vs  plumb-spark sample (one task per part file)
# Prints wall time and peak memory of each, and checks that both engines give the same units and
# the same sample. Usage: bench/spark.sh [INTERACTIONS] [CORES]   (default 200000 interactions,
# local[2]; builds both jars when stale; offline)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-200000}"
cores="${2:-2}"
bench_start spark
measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" >"$work/last.out" 2>"$work/last.err" || {
    cat "$work/last.out" "$work/last.err" >&2; exit 1; }
  grep "peak RSS" "$work/last.err"
}
./plumb units generate --out "$work/logs" --interactions "$n" --seed 7 >/dev/null
echo "logs: $n interactions, $(($(cat "$work"/logs/components/*.csv | wc -l) - 1)) component rows, $(du -sh "$work/logs" | cut -f1)"
PLUMB_SPARK_CORES="$cores" ./plumb-spark --help >/dev/null   # builds the job jar when stale

measure "units build, DuckDB (--threads $cores)" ./plumb units build --config "$work/logs/units.yaml" \
  --out "$work/duck/units.jsonl" --threads "$cores"
measure "units build, Spark local[$cores], part files" env PLUMB_SPARK_CORES="$cores" ./plumb-spark units build \
  --config "$work/logs/units.yaml" --out "$work/spark/units"
cat "$work"/spark/units/part-* | cmp -s - "$work/duck/units.jsonl" && echo "same units: yes" || { echo "same units: NO"; exit 1; }

printf 'type: priority\nn: 2000\nsize: weight * score(self_harm)\n' >"$work/design.yaml"
measure "sample priority n=2000, embedded" ./plumb sample --frame "$work/duck/units.jsonl" \
  --design "$work/design.yaml" --out "$work/duck/sample.jsonl" --seed 1
measure "sample priority n=2000, Spark local[$cores] over $(ls "$work"/spark/units/part-* | wc -l) part files" \
  env PLUMB_SPARK_CORES="$cores" ./plumb-spark sample --frame "$work/spark/units" \
  --design "$work/design.yaml" --out "$work/spark/sample.jsonl" --seed 1
cmp -s "$work/duck/sample.jsonl" "$work/spark/sample.jsonl" && echo "same sample: yes" || { echo "same sample: NO"; exit 1; }
