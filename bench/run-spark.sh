#!/usr/bin/env bash
# Throughput of dspy4j-spark's batch predict (issue 15): the simulated ticket model behind a loopback
# FakeLmServer with a fixed latency, N distinct tickets, the example job's saved program. Measures
# rows/s of (a) one JVM's program.batch at C threads, (b) SparkPredict on local[2] with
# maxInFlight C, (c) the same with the Redis cache, cold, (d) warm (a re-run), (e) cold under a
# shared rate limit at half the ideal rate. Prints the markdown table of docs/spark.md; the load
# average before each run goes to stderr.
#
#   bench/run-spark.sh                       2,000 rows, 16 in flight, 100 ms
#   bench/run-spark.sh 4000 32 100           rows, in flight, latency (ms)
#   SKIP_BUILD=1 bench/run-spark.sh ...      reuse the last build (MVN_FLAGS=-o builds offline)
#
# Uses DSPY4J_REDIS_URL when set; otherwise starts a throwaway Redis on port 6417 (scripts/redis-server.sh)
# for the cached runs and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

cpfile=dspy4j-spark-example/target/bench-classpath.txt
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cpfile" ]; then
  mvn -B -ntp -q ${MVN_FLAGS:-} -pl dspy4j-spark-example -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test -Dmaven.javadoc.skip=true >&2
fi

if [ -z "${DSPY4J_REDIS_URL:-}" ]; then
  DSPY4J_REDIS_URL=$(scripts/redis-server.sh --port 6417)
  export DSPY4J_REDIS_URL
  trap 'scripts/redis-server.sh --stop --port 6417 || true' EXIT
fi

# the JVM flags Spark needs on JDK 17+ (as dspy4j-spark-example's pom passes to its tests)
flags=$(sed -n 's|.*<spark.test.jvmFlags>\(.*\) \${graalpy.jvmFlags}</spark.test.jvmFlags>.*|\1|p' \
  dspy4j-spark-example/pom.xml)
version=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p')
if [ "${version%%.*}" -ge 24 ]; then
  flags="$flags --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
cp="dspy4j-spark-example/target/test-classes:dspy4j-spark-example/target/classes:$(cat "$cpfile")"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# (test-classes holds log4j2-test.properties: Spark logs warnings only)
# shellcheck disable=SC2086
"$java" $flags -Xmx1g -cp "$cp" dev.dspy4j.spark.example.SparkThroughputHarness \
  "${1:-2000}" "${2:-16}" "${3:-100}" "$DSPY4J_REDIS_URL"
