#!/usr/bin/env bash
# The benchmark, in one command from a clean clone: builds what it needs (the project, the Go peers),
# then measures this starter's Java host and plugin side by side with a go-plugin 1.0.1 Go host and
# Go plugin on this machine, prints a table (Java figure, Go figure, ratio) and the issue's targets,
# and writes BENCHMARKS.md. Every figure is also printed as one "BENCH <name> <value> <unit>" line.
#
#   bench/run.sh            full run (about 15 minutes on 2 cores; ROUNDS=5 rounds per figure, ROUNDS=N to change)
#   bench/run.sh --quick    fewer iterations and 2 rounds, to check the script itself
# It installs nothing into ~/.m2: the reactor builds the modules and the bench runs on their target/ jars.
#
# Needs what the interop tests need (README "Interop tests"): Go 1.19 + go-plugin 1.0.1 from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
OUT="$PWD/bench/target/run"
mkdir -p "$OUT"
LINES="$OUT/bench-lines.txt"
: > "$LINES"

echo "== Building (project, Go peers)" >&2
# The reactor builds what the bench runs, and writes its classpath with the reactor's own jars: nothing is
# installed into ~/.m2 (a shared local repository stays as it was).
./mvnw -B -q package dependency:build-classpath -DskipTests -pl bench,plugin-spring-boot-sample-plugin -am \
  -Dmdep.outputFile=target/bench-classpath.txt >&2
# The sample plugin once more with the fast-start profile: target/fast-start/plugin (README, "Fast start").
# In the same reactor as plugin-spring-boot-maven-plugin and the modules the plugin packs, so that the goal and
# the jars are this checkout's, not whatever versions ~/.m2 holds.
./mvnw -B -q package -DskipTests -Pfast-start -pl plugin-spring-boot-maven-plugin,plugin-spring-boot-sample-plugin -am >&2
bash interop/build.sh
CP="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
GO_PLUGIN=(interop/build/bin/go-kv-plugin)
JAR=plugin-spring-boot-sample-plugin/target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT.jar
JAVA_PLUGIN=("$JAVA" -jar "$JAR")
JAVA_PLUGIN_TCP=("$JAVA" -jar "$JAR" --plugin-server.network=tcp)
FAST_PLUGIN=plugin-spring-boot-sample-plugin/target/fast-start/plugin

# Every figure is measured in ROUNDS rounds, the Java and Go sides interleaved (Go, Java, Go, Java, ...) so that
# other load on the machine hits both alike; BenchReport gives the median of the rounds and their range.
ROUNDS=${ROUNDS:-5}; LAUNCHES=10; CALLS=10000; WARMUP=20000; SECONDS_LOAD=5; IDLE=10; STARTS=10
if $QUICK; then ROUNDS=${ROUNDS_QUICK:-2}; LAUNCHES=3; CALLS=1000; WARMUP=1000; SECONDS_LOAD=1; IDLE=1; STARTS=2; fi

hostbench() { "$JAVA" -cp "$CP" io.pluginrpc.bench.HostBench "$@" | tee -a "$LINES"; }
gobench() { interop/build/bin/go-bench "$@" | tee -a "$LINES"; }
section() { echo "== $*" >&2; }
rounds() { seq 1 "$ROUNDS"; }

section "1. Launch to first successful call (median of $LAUNCHES, $ROUNDS rounds), Go KV plugin"
for _ in $(rounds); do
  for tls in plaintext automtls; do
    flag=(); [ $tls = automtls ] && flag=(--automtls)
    gobench -mode launch ${flag[@]/--/-} -n $LAUNCHES -name launch.go-host.go-plugin.$tls -- "${GO_PLUGIN[@]}"
    hostbench launch "${flag[@]}" --n $LAUNCHES --name launch.java-host.go-plugin.$tls -- "${GO_PLUGIN[@]}"
  done
done

section "2. Unary latency and CPU per call ($CALLS sequential Gets after $WARMUP, $ROUNDS rounds)"
for _ in $(rounds); do
  gobench -mode unary -n $CALLS -warmup $WARMUP -name unary.go-host.go-plugin.unix -- "${GO_PLUGIN[@]}"
  hostbench unary --n $CALLS --warmup $WARMUP --name unary.java-host.go-plugin.unix -- "${GO_PLUGIN[@]}"
  # Our plugin as users deploy it (fast start) and from java -jar, called by the Go host: against the line above.
  gobench -mode unary -n $CALLS -warmup $WARMUP -name unary.go-host.java-plugin-fast.unix -- "$FAST_PLUGIN"
  # The same with calls on the event loop (plugin-server.direct-executor, for services that never block).
  gobench -mode unary -n $CALLS -warmup $WARMUP -name unary.go-host.java-plugin-fast-direct.unix -- "$FAST_PLUGIN" \
    --plugin-server.direct-executor=true
  gobench -mode unary -n $CALLS -warmup $WARMUP -name unary.go-host.java-plugin.unix -- "${JAVA_PLUGIN[@]}"
  hostbench unary --n $CALLS --warmup $WARMUP --name unary.java-host.java-plugin.unix -- "${JAVA_PLUGIN[@]}"
  gobench -mode unary -n $CALLS -warmup $WARMUP -name unary.go-host.java-plugin.tcp -- "${JAVA_PLUGIN_TCP[@]}"
  hostbench unary --n $CALLS --warmup $WARMUP --name unary.java-host.java-plugin.tcp -- "${JAVA_PLUGIN_TCP[@]}"
done

section "3. Concurrency: 64 callers for $SECONDS_LOAD s through one client ($ROUNDS rounds)"
for _ in $(rounds); do
  gobench -mode concurrency -callers 64 -duration ${SECONDS_LOAD}s -name concurrency.go-host.go-plugin.unix -- "${GO_PLUGIN[@]}"
  hostbench concurrency --callers 64 --seconds $SECONDS_LOAD --warmup $WARMUP --name concurrency.java-host.go-plugin.unix -- "${GO_PLUGIN[@]}"
  gobench -mode concurrency -callers 64 -duration ${SECONDS_LOAD}s -name concurrency.go-host.java-plugin.unix -- "${JAVA_PLUGIN[@]}"
  hostbench concurrency --callers 64 --seconds $SECONDS_LOAD --warmup $WARMUP --name concurrency.java-host.java-plugin.unix -- "${JAVA_PLUGIN[@]}"
done

section "4. Plugin start: exec to handshake line and to first call, RSS at idle (median of $STARTS)"
hostbench plugin-start --n $STARTS --idle-seconds 1 --name start.go-plugin -- "${GO_PLUGIN[@]}"
hostbench plugin-start --n $STARTS --idle-seconds 1 --name start.java-plugin.default -- "${JAVA_PLUGIN[@]}"
hostbench plugin-start --n $STARTS --idle-seconds 1 --name start.java-plugin.fast -- "$FAST_PLUGIN"
hostbench plugin-start --automtls --n $STARTS --idle-seconds 1 --name start.java-plugin.fast-automtls -- "$FAST_PLUGIN"

section "5. Many plugins: first launch to all RUNNING, started at once as the Spring host does ($ROUNDS rounds)"
for _ in $(rounds); do
  for count in 1 10; do
    hostbench many --plugins $count --name many.java-host.go-plugin.$count -- "${GO_PLUGIN[@]}"
    hostbench many --plugins $count --name many.java-host.java-plugin-fast.$count -- "$FAST_PLUGIN"
  done
done

section "6. Host overhead per managed plugin (10 Go KV plugins) and idle CPU over $IDLE s"
gobench -mode overhead -plugins 10 -idle ${IDLE}s -name overhead.go-host.go-plugin -- "${GO_PLUGIN[@]}"
hostbench overhead --plugins 10 --idle-seconds $IDLE --name overhead.java-host.go-plugin -- "${GO_PLUGIN[@]}"

section "7. JMH: hot paths"
JMH_ARGS=(-f 1 -wi 3 -i 5 -w 1s -r 1s); $QUICK && JMH_ARGS=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
"$JAVA" -cp "$CP" org.openjdk.jmh.Main "${JMH_ARGS[@]}" -rf csv -rff "$OUT/jmh.csv" io.pluginrpc.bench.jmh >&2
tail -n +2 "$OUT/jmh.csv" | tr -d '"' | awk -F, '{ n=$1; sub(/.*\./, "", n); printf "BENCH jmh.%s %.3f %s\n", n, $5, $7 }' | tee -a "$LINES"

MACHINE="$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
MACHINE="$MACHINE, Linux $(uname -r), $("$JAVA" -version 2>&1 | head -1), $(go version | cut -d' ' -f3), go-plugin 1.0.1"
NOTES=()
[ -f bench/NOTES.md ] && NOTES=(bench/NOTES.md)
"$JAVA" -cp "$CP" io.pluginrpc.bench.BenchReport "$LINES" BENCHMARKS.md "$MACHINE" "${NOTES[@]}"
echo "Wrote BENCHMARKS.md" >&2
