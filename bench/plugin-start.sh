#!/usr/bin/env bash
# Java plugin start: exec to handshake line and exec to first successful KV/Get of the sample plugin
# (median of RUNS, default 10), in the default packaging (fat jar, the default java) and in the
# fast-start packaging (-Pfast-start: extracted jar, Spring AOT, JDK 25 AOT cache), each without and
# with AutoMTLS. Prints `BENCH name value unit` lines on stdout, run details on stderr.
#   bench/plugin-start.sh [--no-build]        RUNS=5 bench/plugin-start.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
if [[ "${1:-}" != "--no-build" ]]; then
	(cd "$root" && ./mvnw -B -q package -DskipTests -Pfast-start -pl plugin-spring-boot-maven-plugin,plugin-spring-boot-sample-plugin -am) >&2
fi
target="$root/plugin-spring-boot-sample-plugin/target"
jar="$target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT.jar"
fast="$target/fast-start"
for file in "$jar" "$fast/plugin" "$target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT-tests.jar"; do
	[[ -e "$file" ]] || { echo "missing $file: run without --no-build" >&2; exit 1; }
done
harness=(java -cp "$target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT-tests.jar:$fast/lib/*:$fast/app.jar"
	io.pluginrpc.sample.plugin.bench.PluginStartBench --runs "$runs")
echo "plugin start on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); default java: $(java -version 2>&1 | head -1)" >&2
"${harness[@]}" --name default -- java -jar "$jar"
"${harness[@]}" --name default-automtls --mtls -- java -jar "$jar"
"${harness[@]}" --name fast-start -- "$fast/plugin"
"${harness[@]}" --name fast-start-automtls --mtls -- "$fast/plugin"
