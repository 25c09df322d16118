#!/usr/bin/env bash
# How long the GraalPy sandbox takes: for each of N fresh JVMs (default 3), the cold start
# (engine, first context, first execute) and then warm sessions (open, execute, close).
#
#   bench/run-python-sandbox.sh               3 JVMs, 50 warm runs each
#   bench/run-python-sandbox.sh 5 200         5 JVMs, 200 warm runs each
#   SKIP_BUILD=1 bench/run-python-sandbox.sh  reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
jvms=${1:-3}
runs=${2:-50}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -pl dspy4j-python -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test -Dmaven.javadoc.skip=true
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
flags=(--enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false)
[ "${version%%.*}" -ge 24 ] && flags+=(--sun-misc-unsafe-memory-access=allow)
cp="dspy4j-python/target/test-classes:dspy4j-python/target/classes:$(cat dspy4j-python/target/bench-classpath.txt)"
# GraalPy's unpacked standard library: kept between JVMs, as ~/.cache would be on a workstation
cache=dspy4j-python/target/polyglot-cache
for i in $(seq 1 "$jvms"); do
  echo "== JVM $i ($("$java" -version 2>&1 | head -1), $(nproc) cores)"
  "$java" "${flags[@]}" -Dpolyglot.engine.userResourceCache="$cache" -cp "$cp" \
    dev.dspy4j.python.SandboxTimingHarness "$runs"
done
