#!/usr/bin/env bash
# plumb run benchmark: the README demo, cold (fresh output folder and plumb cache, as on a fresh
# clone) and warm (a rerun that skips every stage), with wall and CPU time.
# Usage: bench/run.sh        (builds the jar first if sources changed; that time is not counted)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./plumb --version >/dev/null            # build outside the timing
cache="$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-run.XXXXXX")"
trap 'rm -rf "$cache"' EXIT
rm -rf out/demo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== cold: fresh output folder and cache"
/usr/bin/time -f "wall %e s, cpu %U s user + %S s sys" env PLUMB_CACHE_DIR="$cache" ./plumb run fixtures/demo/run.yaml
echo "== warm: the same command again"
/usr/bin/time -f "wall %e s, cpu %U s user + %S s sys" env PLUMB_CACHE_DIR="$cache" ./plumb run fixtures/demo/run.yaml | head -1
