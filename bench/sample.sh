#!/usr/bin/env bash
# plumb sample figures: a generated frame (5,000,000 units of ~1.7 KB by default: a query, a
# response and 3-8 pins each, heavy-tailed weights, 3 risk scores), sampled with each of the five
# designs under a 256 MB heap, against a plain one-pass Python reservoir sampler over the same file
# (bench/reservoir.py, run by /usr/bin/python3). Prints wall and CPU time, peak RSS and peak heap,
# and the CPU time of plumb's threads (bench/threads.py): on a shared machine the wall clock
# measures the load; CPU time and the busiest thread say what an idle machine would take.
#
# Usage: bench/sample.sh [UNITS] [N]   (defaults 5000000 and 10000; from anywhere; offline)
# The frame is generated once (~8.5 GB for 5M units) and kept in ${PLUMB_BENCH_DIR:-/tmp/plumb-bench};
# delete it to regenerate. The page cache is warmed first, so every run reads from memory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
units="${1:-5000000}"
n="${2:-10000}"
bench="${PLUMB_BENCH_DIR:-/tmp/plumb-bench}"
mkdir -p "$bench"
frame="$bench/frame-$units.jsonl"
bench_start sample
jar="$root/cli/target/plumb.jar"

if [ ! -f "$frame" ]; then
  echo "generating $frame ($units units, seed 7)..."
  java -cp "$jar" dev.plumb.calibration.synthetic.SyntheticFrame --units "$units" --seed 7 --out "$frame"
fi

cat > "$work/srs.yaml" <<EOF
type: srs
n: $n
EOF
cat > "$work/stratified.yaml" <<EOF
type: stratified
n: $n
policy: self_harm
bins: [0, 0.02, 0.1, 0.5, 1]
by: [surface]
allocation: neyman
EOF
for d in poisson ppswr priority; do
  printf 'type: %s\nn: %s\nsize: weight * score(self_harm)\nfloor: 0.05\n' "$d" "$n" > "$work/$d.yaml"
done

bytes=$(stat -c %s "$frame")
mb=$((bytes / 1000000))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "frame: $units units, $mb MB ($((bytes / units)) bytes per unit); sample size n = $n"
start=$(date +%s.%N)
cat "$frame" > /dev/null
printf '%-34s wall %7.2f s  (%4.0f MB/s)\n' "cat (page cache warm-up)" "$(echo "$(date +%s.%N) - $start" | bc)" \
  "$(echo "$mb / ($(date +%s.%N) - $start)" | bc -l)"

# wall, cpu, rss of the last /usr/bin/time run
report() {
  local label="$1" extra="$2"
  read -r secs user sys kb < "$work/time"
  printf '%-34s wall %7.2f s  cpu %7.2f s  %7.0f units/s  %5.0f MB/s  peak RSS %4d MB%s\n' "$label" "$secs" \
    "$(echo "$user + $sys" | bc)" "$(echo "$units / $secs" | bc -l)" "$(echo "$mb / $secs" | bc -l)" "$((kb / 1024))" "$extra"
}

/usr/bin/time -f "%e %U %S %M" -o "$work/time" /usr/bin/python3 bench/reservoir.py "$frame" "$n" "$work/python.jsonl" 2>"$work/python.err" \
  || { cat "$work/python.err" >&2; exit 1; }
report "python3 reservoir.py (Algorithm R)" ""
python_secs=$(cut -d' ' -f1 "$work/time")
python_cpu=$(echo "$(cut -d' ' -f2 "$work/time") + $(cut -d' ' -f3 "$work/time")" | bc)

for d in srs stratified poisson ppswr priority; do
  PLUMB_JAVA_OPTS="-Xmx256m -Xlog:gc:file=$work/gc-$d.log" /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    ./plumb sample --frame "$frame" --design "$work/$d.yaml" --out "$work/$d.jsonl" --seed 1 > "$work/$d.out" &
  timer=$!
  /usr/bin/python3 bench/threads.py "$timer" > "$work/threads-$d" &
  poller=$!
  wait "$timer"
  wait "$poller"
  # the largest heap occupancy any GC saw before collecting (MB), e.g. "Pause Young ... 153M->21M(256M)"
  heap=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$work/gc-$d.log" | sed 's/M->.*//' | sort -n | tail -1)
  secs=$(cut -d' ' -f1 "$work/time")
  cpu=$(echo "$(cut -d' ' -f2 "$work/time") + $(cut -d' ' -f3 "$work/time")" | bc)
  report "plumb sample, $d" "  peak heap ${heap:-?} MB of 256"
  printf '    threads (CPU s): %s; python/plumb: wall %.1fx, CPU %.1fx\n' "$(cat "$work/threads-$d")" \
    "$(echo "$python_secs / $secs" | bc -l)" "$(echo "$python_cpu / $cpu" | bc -l)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
