#!/usr/bin/env bash
# Sourced by the bench scripts (not run): the start every measurement shares, kept in one place so
# the scratch folder and the jar build behave the same in each.

# bench_start NAME: sets root (the repository) and work (a fresh scratch folder, plumb-bench-NAME.*
# under $TMPDIR, removed on exit), changes to root and builds cli/target/plumb.jar when stale.
bench_start() {
  bench_scratch "$1"
  ./plumb --version >/dev/null   # builds cli/target/plumb.jar when stale
}

# bench_scratch NAME: root and work as bench_start, without building the jar.
bench_scratch() {
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-$1.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cd "$root"
}

# bench_simulation NAME: for a simulation that lives in calibration's test sources. bench_scratch,
# then prints the machine, the commit (marked when calibration or core has uncommitted changes) and
# the time, compiles the test sources once and sets cp to the classpath that runs them.
bench_simulation() {
  bench_scratch "$1"
  bench_header calibration core
  mvn -B -q -o -pl calibration -am test-compile dependency:build-classpath -Dmdep.outputFile="target/$1-cp.txt" \
    -Dmdep.includeScope=test >&2
  cp="calibration/target/test-classes:calibration/target/classes:$(cat "calibration/target/$1-cp.txt")"
}

# bench_header PATH...: prints the machine (cores, Java, load) and the commit with the time, marked
# when PATH... (what the figures depend on) has uncommitted changes.
bench_header() {
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- "$@" || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# bench_slot: waits until fewer than $jobs of this script's background JVMs run.
bench_slot() {
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 2; done
}

# bench_collect K HEAD EXT: waits for the JVMs, then prints $work/1.EXT … $work/K.EXT — the first one's
# HEAD header lines once, every one's rows —, their stderr, and the load at the end.
bench_collect() {
  wait
  local i
  for i in $(seq 1 "$1"); do
    if [ "$i" -eq 1 ]; then sed -n "1,${2}p" "$work/$i.$3"; fi
    sed -n "$(($2 + 1)),\$p" "$work/$i.$3"
    cat "$work/$i.err" >&2
  done
  echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
}

# bench_cost_sample: the cost benchmarks' sample, $work/sample.jsonl — the units built from
# fixtures/logs and a 1,000-unit priority sample of them (seed 42) on the largest policy score.
bench_cost_sample() {
  ./plumb units build --config fixtures/logs/units.yaml --out "$work/units.jsonl" >/dev/null 2>&1
  cat > "$work/design.yaml" <<'YAML'
type: priority
n: 1000
size: weight * max(score(adult_sexual), score(harassment), score(misinformation), score(self_harm))
floor: 0.05
YAML
  ./plumb sample --frame "$work/units.jsonl" --design "$work/design.yaml" --out "$work/sample.jsonl" --seed 42 \
    >/dev/null 2>&1
}
