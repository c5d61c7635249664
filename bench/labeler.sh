#!/usr/bin/env bash
# Batch labeler benchmark (docs/benchmarks.md, "Batch labeler"): throughput against a local
# rate-limited OpenAI-compatible server, plumb vs a naive client, and memory for 200,000 units.
# Takes about 5-10 minutes; prints Markdown.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o test-compile -pl labeler -am >&2
cp_file="$(mktemp)"
mvn -B -q -o org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -pl labeler \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
# run from a copy of the compiled classes, so a build during the run cannot change them
snap="$(mktemp -d)"
trap 'rm -rf "$snap"' EXIT
cp -r "$root/labeler/target/classes" "$snap/classes"
cp -r "$root/labeler/target/test-classes" "$snap/test-classes"
cp -r "$root/core/target/classes" "$snap/core-classes"
# this worktree's own modules first: the shared ~/.m2 may hold another branch's snapshot jars
cp="$snap/test-classes:$snap/classes:$snap/core-classes:$(cat "$cp_file")"
rm -f "$cp_file"
echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
java -Xmx1g -cp "$cp" dev.plumb.labeler.bench.LabelBenchmark all "$root"
