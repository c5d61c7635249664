#!/usr/bin/env bash
# Prompt compiler figures (compile time, render/check throughput, prompt tokens) on the starter library.
# Usage: bench/prompt.sh   (from anywhere; builds what it needs, offline)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./plumb --version >/dev/null        # builds cli/target/plumb.jar (all runtime dependencies) when stale
mvn -B -q -o -pl labeler -am test-compile
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1)"
exec java -Xmx1g -cp "cli/target/plumb.jar:labeler/target/test-classes" dev.plumb.labeler.prompt.PromptBenchmark
