#!/usr/bin/env bash
# Start-up time of plumb: `./plumb --help` and `./plumb --version` through the launcher (staleness
# check + JVM + class-data-sharing archive), the same without the archive (PLUMB_CDS=0), the
# launcher's staleness check alone, and `java -version` as the floor. Median wall time and median
# CPU (user + sys) of N runs each; uses hyperfine when installed for the wall times.
# Usage: bench/startup.sh [N]      (default N = 11; builds the jar through ./plumb when needed)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-11}"
"$root/plumb" --version >/dev/null   # build the jar and the archive first
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

run() {
  local label="$1"; shift
  : > "$tmp/wall"; : > "$tmp/cpu"
  for _ in $(seq 1 "$n"); do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" >/dev/null 2>&1
    read -r wall user sys < "$tmp/t"
    echo "$wall" >> "$tmp/wall"
    echo "$user + $sys" | bc >> "$tmp/cpu"
  done
  printf '%-44s wall %5.2f s   cpu %5.2f s\n' "$label" "$(median < "$tmp/wall")" "$(median < "$tmp/cpu")"
}

stale_check() {
  find "$root/pom.xml" "$root"/{core,calibration,labeler,units,history,pipeline,cli}/pom.xml \
    "$root"/{core,calibration,labeler,units,history,pipeline,cli}/src/main -newer "$root/cli/target/plumb.jar" \
    -print -quit
}
export -f stale_check
export root

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), $n runs each"
run "java -version (JVM floor)" java -version
run "launcher staleness check (find)" bash -c stale_check
run "./plumb --help" "$root/plumb" --help
run "./plumb --version" "$root/plumb" --version
run "./plumb --help, no CDS archive (PLUMB_CDS=0)" env PLUMB_CDS=0 "$root/plumb" --help
run "./plumb plan --help" "$root/plumb" plan --help
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs "$n" "$root/plumb --help" "$root/plumb --version"
fi
