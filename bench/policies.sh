#!/usr/bin/env bash
# Benchmark of the policy library commands: wall time and peak memory of `plumb policy validate`,
# `check` and `diff` on the starter library and on a synthetic library of 200 versions
# (50 policies x 4 versions, each a copy of self_harm@2, ~24 KB). Prints one line per run.
# Usage: bench/policies.sh        (builds the jar through ./plumb when it is missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/cli/target/plumb.jar"
[ -f "$jar" ] || "$root/plumb" --version >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

big="$tmp/policies"
for i in $(seq 1 50); do
  mkdir -p "$big/p$i"
  for v in 1 2 3 4; do
    sed -e "s/^policy: self_harm/policy: p$i/" -e "s/^version: 2/version: $v/" \
      "$root/policies/self_harm/v2.yaml" > "$big/p$i/v$v.yaml"
  done
done
java -jar "$jar" policy lock --policies "$big" > /dev/null

run() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" java -jar "$jar" "$@" > /dev/null
  read -r secs kb < "$tmp/time"
  printf '%-34s %6.2f s  %5d MB\n' "$label" "$secs" "$((kb / 1024))"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
run "--version (JVM start only)" --version
for n in 1 2 3; do
  run "validate starter (5 versions) #$n" policy validate "$root/policies"
done
run "check starter" policy check --policies "$root/policies"
run "diff self_harm@1 self_harm@2" policy diff --policies "$root/policies" self_harm@1 self_harm@2
for n in 1 2 3; do
  run "validate synthetic (200 versions) #$n" policy validate "$big"
done
run "check synthetic (200 versions)" policy check --policies "$big"
