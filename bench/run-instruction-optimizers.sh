#!/usr/bin/env bash
# MIPROv2 light and GEPA light on the support-ticket task (50 train, 50 validation, 50 held-out
# tickets) against a local OpenAI-compatible server with 100 ms latency whose simulated model
# classifies better when the instruction names the label set. Prints, per optimizer, wall time,
# LM calls (task model and prompt/reflection model apart), the best validation score and the
# held-out score before and after, in a fresh JVM.
#
#   bench/run-instruction-optimizers.sh                 100 ms per call
#   LATENCY_MS=0 bench/run-instruction-optimizers.sh    framework time only
#   SKIP_BUILD=1 bench/run-instruction-optimizers.sh    reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" -Xmx1g -cp dspy4j-bench/target/benchmarks.jar \
  dev.dspy4j.bench.InstructionOptimizerHarness "${LATENCY_MS:-100}" 2>/dev/null
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
