#!/usr/bin/env bash
# BootstrapFewShotWithRandomSearch at the scale of DSPy's comparison (50 train, 50 dev,
# numCandidatePrograms 8 = 11 candidates, 4 bootstrapped + 4 labelled demos) against a local
# OpenAI-compatible server with 100 ms latency. Prints wall time, LM calls and the best score,
# for a first run in a fresh JVM and a second one (new cache) after the JIT has warmed up.
#
#   bench/run-random-search.sh                  up to 8 teacher runs at once per candidate
#   TEACHERS=1 bench/run-random-search.sh       sequential teacher runs, as DSPy
#   FAILING=0.4 bench/run-random-search.sh      40 % of the examples fail the metric
#   SKIP_BUILD=1 bench/run-random-search.sh     reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "| run | wall | candidates | LM calls | cache hits | best dev score |"
echo "|---|---|---|---|---|---|"
"$java" -Dteachers="${TEACHERS:-8}" -Dfailing="${FAILING:-0}" -Xmx1g -cp dspy4j-bench/target/benchmarks.jar \
  dev.dspy4j.bench.RandomSearchHarness "${LATENCY_MS:-100}" "${EVAL_CONCURRENCY:-50}" 2>/dev/null
