#!/usr/bin/env bash
# A/B of fast-start JVM options on the sample plugin, for tuning on a busy machine: the variants run
# interleaved (A B C A B C ...) for ROUNDS rounds so that other load hits each alike, and the summary gives
# each figure's median over the rounds with its range. Needs what bench/run.sh built (the fast-start
# plugin, go-bench, bench's classpath in bench/target/bench-classpath.txt).
#
#   bench/ab.sh 'A=' 'C2=-XX:TieredStopAtLevel=4' ...     variants as NAME=FAST_START_JAVA_OPTS
#   MODES="unary start" ROUNDS=5 CALLS=10000 WARMUP=20000 STARTS=1 bench/ab.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}; CALLS=${CALLS:-10000}; WARMUP=${WARMUP:-20000}; STARTS=${STARTS:-1}; MODES=${MODES:-unary start}
PLUGIN=${PLUGIN:-plugin-spring-boot-sample-plugin/target/fast-start/plugin}
CP="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LINES=bench/target/ab-lines.txt
: > "$LINES"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    name=${variant%%=*}; opts=${variant#*=}
    echo "== round $round: $name ($opts)" >&2
    for mode in $MODES; do
      case $mode in
        unary) FAST_START_JAVA_OPTS="$opts" interop/build/bin/go-bench -mode unary -n "$CALLS" -warmup "$WARMUP" \
          -name "$name.unary" -- "$PLUGIN" | tee -a "$LINES" ;;
        start) FAST_START_JAVA_OPTS="$opts" "$JAVA" -cp "$CP" io.pluginrpc.bench.HostBench plugin-start --n "$STARTS" \
          --idle-seconds 2 --name "$name.start" -- "$PLUGIN" | tee -a "$LINES" ;;
        concurrency) FAST_START_JAVA_OPTS="$opts" interop/build/bin/go-bench -mode concurrency -callers 64 -duration 3s \
          -name "$name.concurrency" -- "$PLUGIN" | tee -a "$LINES" ;;
      esac
    done
  done
done
echo "== medians over $ROUNDS rounds (range)" >&2
python3 - "$LINES" <<'PY'
import statistics, sys
rounds, units = {}, {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 4 and parts[0] == "BENCH":
        rounds.setdefault(parts[1], []).append(float(parts[2]))
        units[parts[1]] = parts[3]
for name in sorted(rounds):
    values = rounds[name]
    print(f"{name:<45} {statistics.median(values):10.1f} {units[name]:<8} ({min(values):.1f}-{max(values):.1f})")
PY
