#!/usr/bin/env bash
# Issue 9's table in FRESH client JVMs (a new `java -cp <jars>` process per measurement, default
# flags) and WARM (the same evaluation after 5 rounds in the same process): evaluation throughput
# and CPU at 256 and 1,024 in flight, cold start to the first answer, and Predict's µs/call after
# 500 calls. Prints markdown tables; progress and raw results go to stderr.
#
#   bench/run-fresh.sh                                  --runs 3, default flags
#   bench/run-fresh.sh --runs 5
#   bench/run-fresh.sh --jvm-args "-XX:TieredStopAtLevel=1"
#   bench/run-fresh.sh --aot                            train a JDK 25 AOT cache first, then use it
#   bench/run-fresh.sh --only cold,predict              some of eval256,eval1024,warm256,warm1024,cold,predict
#   SKIP_BUILD=1 bench/run-fresh.sh ...                 reuse the last build
#
# The class path is the module jars plus their dependency jars (not the shaded benchmarks.jar,
# whose 18 MB distort class loading; and jars only, as the AOT cache requires).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

cpfile=dspy4j-bench/target/fresh-classpath.txt
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cpfile" ]; then
  mvn -B -ntp -q ${MVN_FLAGS:-} -pl dspy4j-bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/fresh-classpath.txt -DincludeScope=runtime \
    -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
# what a user's evaluation program would have: drop the jars only JMH, the test kit and the
# transport bake-off (OkHttp, Jetty, reactor-netty) need
cp=$(tr ':' '\n' <"$cpfile" | grep -vE '/(jmh-core|jopt-simple|commons-math3|junit-|opentest4j|apiguardian|assertj-core|byte-buddy|dspy4j-test-)[^/]*\.jar$' \
  | grep -vE '/(com/squareup|org/jetbrains|org/eclipse/jetty|io/netty|io/projectreactor|org/reactivestreams)/' | paste -sd: -)
cp="$(ls dspy4j-bench/target/dspy4j-bench-*.jar | grep -v sources | head -1):$cp"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "$cp" dev.dspy4j.bench.FreshJvmHarness "$@"
