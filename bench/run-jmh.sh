#!/usr/bin/env bash
# Builds dspy4j-bench and runs its JMH benchmarks with settings for a small (2-core) machine.
#
#   bench/run-jmh.sh                    # all benchmarks, with allocation per call (-prof gc)
#   bench/run-jmh.sh predictChat        # one benchmark (a JMH regex)
#   bench/run-jmh.sh -f 1 -prof stack   # further JMH options are passed through and win
#   PROFILE= bench/run-jmh.sh           # without -prof gc
#   SKIP_BUILD=1 bench/run-jmh.sh       # reuse dspy4j-bench/target/benchmarks.jar
#
# Results also go to dspy4j-bench/target/jmh-result.json. See docs/performance.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The newest JDK >= 21 we can find, unless JAVA_HOME is set already.
if [[ -z "${JAVA_HOME:-}" ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [[ -x "$candidate/bin/java" ]]; then
      export JAVA_HOME="$candidate"
      break
    fi
  done
fi
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

jar="dspy4j-bench/target/benchmarks.jar"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -q -pl dspy4j-bench -am package -Dmaven.test.skip=true
fi

# One benchmark thread (the other core is left to the JIT and GC threads), two forks so that
# one unlucky JIT compilation does not decide the result, a fixed heap so that heap resizing
# does not show up as noise. JMH rejects a repeated option, so a default is dropped when the
# command line gives the same option: the caller's value wins.
defaults=(
  -t 1 -f 2 -wi 5 -w 1s -i 5 -r 2s
  -jvmArgsAppend "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
  -rf json -rff dspy4j-bench/target/jmh-result.json
)
read -r -a profile <<< "${PROFILE-"-prof gc"}"
args=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  option="${defaults[i]}"
  given=""
  for arg in "$@"; do
    if [[ "$arg" == "$option" ]]; then given=1; fi
  done
  if [[ -z "$given" ]]; then args+=("$option" "${defaults[i + 1]}"); fi
done

exec "$java_cmd" -jar "$jar" "${args[@]}" ${profile[@]+"${profile[@]}"} "$@"
