#!/usr/bin/env bash
# What the adaptive ConcurrencyLimit costs under random 429s: 2,000 calls from 64 virtual threads
# against an in-process LM with a 20 ms latency, with and without the limit, for 0 %, 5 % and 20 %
# of 429s (with and without Retry-After). Prints the markdown table of docs/performance.md.
#
#   bench/run-concurrency-limit.sh                 20 ms, 64 callers, 2,000 calls
#   SKIP_BUILD=1 bench/run-concurrency-limit.sh    reuse the last build
#   bench/run-concurrency-limit.sh 50 128 4000     latency (ms), callers, calls
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -Xmx1g -cp dspy4j-bench/target/benchmarks.jar dev.dspy4j.bench.ConcurrencyLimitHarness "$@"
