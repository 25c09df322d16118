#!/usr/bin/env bash
# Throughput of the whole call path (Predict -> ChatAdapter -> retry -> concurrency limit -> cache
# -> OpenAiLm over HTTP) against a local OpenAI-compatible server with a fixed latency, at the
# concurrencies of docs/performance.md. Prints a markdown table.
#
#   bench/run-throughput.sh                 all four configurations, 2,000 calls each
#   SKIP_BUILD=1 bench/run-throughput.sh    reuse the last build
#   bench/run-throughput.sh 100 64          one configuration: latency (ms) and concurrency
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
jar=dspy4j-bench/target/benchmarks.jar
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

echo "| latency | concurrency | calls | wall | examples/s | ratio to ideal | client CPU/call | client CPU/call, Java threads only | server CPU/call | client peak RSS | failures |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
run() { "$java" -Xmx1g -cp "$jar" dev.dspy4j.bench.ThroughputHarness "$1" "$2" "${CALLS:-2000}"; }
if [ $# -ge 2 ]; then
  run "$1" "$2"
else
  run 100 16
  run 100 64
  run 100 256
  run 1000 1024
fi
