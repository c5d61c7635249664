#!/usr/bin/env bash
# Compiles the labeler module with its tests and runs one benchmark main class from the project
# root, with caches and native libraries in .plumb-cache (never ~ or /tmp).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
main="$1"; shift
cp_file="$root/labeler/target/bench.classpath"
# one reactor build: plumb-core resolves to core/target/classes, never to an installed SNAPSHOT
# (nothing is installed in the shared ~/.m2); each module writes its own classpath file
mvn -B -q -o test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -pl labeler -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
cache="${PLUMB_CACHE_DIR:-$root/.plumb-cache}"
mkdir -p "$cache/tmp"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx1g -Dplumb.cache.dir="$cache" -Djava.io.tmpdir="$cache/tmp" -Djna.tmpdir="$cache/tmp" \
  -DDJL_CACHE_DIR="$cache/djl" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "labeler/target/test-classes:labeler/target/classes:core/target/classes:$(cat "$cp_file")" "$main" "$@"
