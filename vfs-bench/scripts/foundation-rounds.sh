#!/usr/bin/env bash
# Runs the issue-2 JMH benchmarks (CoreFileBenchmark, PathLookupBenchmark) in ROUNDS separate JMH
# runs, so that PageVFS and its peers alternate over the whole measurement, and prints per benchmark
# the median score over the rounds and, per round, the PageVFS / peer ratios with their median.
# Each round is one fork with the settings recorded in docs/BENCHMARKS.md.
#
# Usage, from the repository root after `mvn -B -q -DskipTests package -pl vfs-bench -am`:
#   vfs-bench/scripts/foundation-rounds.sh [ROUNDS] [OUTPUT_DIR]
set -euo pipefail
rounds=${1:-5}
out=${2:-$(mktemp -d)}
jar=vfs-bench/target/benchmarks.jar
mkdir -p "$out"
java -version 2>&1 | head -1 > "$out/jdk.txt"
for r in $(seq 1 "$rounds"); do
    # JMH refuses to start while another JMH run on this machine holds its lock: wait for it.
    while true; do
        before=$(cut -d' ' -f1 /proc/loadavg)
        if java -jar "$jar" 'CoreFileBenchmark|PathLookupBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s \
            -rf csv -rff "$out/round$r.csv" > "$out/round$r.log" 2>&1; then
            break
        fi
        grep -q "Unable to acquire the JMH lock" "$out/round$r.log" || { cat "$out/round$r.log"; exit 1; }
        sleep 15
    done
    echo "round $r: load average $before before, $(cut -d' ' -f1 /proc/loadavg) after" | tee -a "$out/load.txt"
done
python3 - "$out" "$rounds" <<'PY'
import csv, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
scores = {}  # benchmark -> [score per round]
for r in range(1, rounds + 1):
    with open(f"{out}/round{r}.csv") as f:
        for row in csv.DictReader(f):
            name = row["Benchmark"].rsplit(".", 2)
            scores.setdefault((name[-2], name[-1]), []).append(float(row["Score"]))
print(f"\n{'benchmark':45} {'median ops/s':>14} {'min':>12} {'max':>12}")
for (cls, impl), s in sorted(scores.items()):
    print(f"{cls + '.' + impl:45} {statistics.median(s):14,.0f} {min(s):12,.0f} {max(s):12,.0f}")
print(f"\n{'ratio (same round)':45} {'median':>8} {'min':>8} {'max':>8}")
for (cls, impl), s in sorted(scores.items()):
    if impl == "pageVfs":
        continue
    mine = scores[(cls, "pageVfs")]
    ratios = [a / b for a, b in zip(mine, s)]
    print(f"{cls + ': pageVfs / ' + impl:45} {statistics.median(ratios):8.2f} {min(ratios):8.2f} {max(ratios):8.2f}")
PY
echo "raw results: $out"
