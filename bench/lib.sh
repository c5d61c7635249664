#!/usr/bin/env bash
# Sourced by the bench scripts (not run): the start every measurement shares, kept in one place so
# the scratch folder and the jar build behave the same in each.

# bench_start NAME: sets root (the repository) and work (a fresh scratch folder, plumb-bench-NAME.*
# under $TMPDIR, removed on exit), changes to root and builds cli/target/plumb.jar when stale.
bench_start() {
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-$1.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cd "$root"
  ./plumb --version >/dev/null   # builds cli/target/plumb.jar when stale
}
