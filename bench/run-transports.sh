#!/usr/bin/env bash
# CPU per request of bare HTTP transports (java.net.http as dspy4j uses it and three variants,
# OkHttp 5, Jetty 12, reactor-netty) against local LatencyServers over HTTP/1.1 keep-alive, each
# measured in its own fresh JVM: fresh and warm at 256 connections / 100 ms, fresh at 1,024 /
# 1,000 ms, and the cold start of a JVM sending one request. Prints markdown tables (progress and
# load on stderr).
#
#   bench/run-transports.sh                  every transport, 2 repeats
#   REPEATS=3 bench/run-transports.sh        more repeats (the tables show medians)
#   SKIP_BUILD=1 bench/run-transports.sh     reuse the last build
#   WARMUP=100000 bench/run-transports.sh    a longer warm-up before the warm measurement
#   bench/run-transports.sh jdk okhttp       only these transports
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true
fi
jar=dspy4j-bench/target/benchmarks.jar
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

"$java" -Xmx512m -Drepeats="${REPEATS:-2}" -Dwarmup="${WARMUP:-20000}" -cp "$jar" dev.dspy4j.bench.TransportHarness "$@"
