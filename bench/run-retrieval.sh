#!/usr/bin/env bash
# Retrieval on this machine (issue 13). Prints the markdown of docs/retrieval.md#measured.
#
#   bench/run-retrieval.sh                  quality and latency on the Debian corpus: recall@1/5/20 and
#                                           p50/p90 per mode (BM25, MiniLM HNSW, MiniLM exact, hybrid)
#   bench/run-retrieval.sh --scale          index build and query latency at 10k and 100k passages, each
#                                           in a fresh JVM with a fixed heap (HEAP, default 256m)
#   bench/run-retrieval.sh --scale 20000    other sizes
#   SKIP_BUILD=1 bench/run-retrieval.sh     reuse the last build
#
# The corpus's MiniLM vectors are cached on disk under ~/.cache/dspy4j-bench/embeddings (CACHE_DIR to
# change it): the first run embeds 4,094 passages (about 90 s here), later runs read them back.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=0
if [ "${1:-}" = --scale ]; then scale=1; shift; fi
. scripts/jdk.sh
module=dspy4j-examples

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # one reactor run, so that the dspy4j modules resolve to their target/classes; nothing is installed
  mvn -B -ntp -q -o -pl $module -am test-compile dependency:build-classpath -Dmaven.javadoc.skip=true \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=test
fi
# Only what the harnesses use. With dspy4j-examples' whole test class path (GraalPy, MCP, Redis, ...)
# the JVM dies with SIGSEGV (no hs_err file) while OnnxEmbedder loads ONNX Runtime; no single jar
# removed fixes it, so the class path is narrowed instead.
cp=$(echo "$module/target/classes:$module/target/test-classes:$(cat $module/target/classpath.txt)" | tr ':' '\n' \
  | grep -E 'dspy4j-(examples|core|embeddings-onnx|retrieval-lucene)/|/lucene/|onnxruntime|langchain4j|/ai/djl/|/jna/|gson|commons-|jackson|jspecify|slf4j' \
  | paste -sd:)
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
flags=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseSerialGC
       -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
scratch="$PWD/$module/target/retrieval-bench"
export DJL_CACHE_DIR="$PWD/$module/target/djl-cache"

if [ $scale = 0 ]; then
  exec "$java" "${flags[@]}" -Xmx1g -cp "$cp" dev.dspy4j.examples.bench.RetrievalHarness \
    "${CACHE_DIR:-$HOME/.cache/dspy4j-bench/embeddings}" "$scratch" 2> >(grep -v 'WARNING: Using incubator' >&2)
fi

heap="${HEAP:-256m}"
echo "Processors: $(nproc); heap -Xms$heap -Xmx$heap, serial GC; one fresh JVM per row"
echo
echo "| passages | indexed | passages/s | build s | query p50 / p90 ms (k = 10) | index MB | GC ms in build | max heap MB | peak heap MB: build / end | peak RSS MB: build / end | load at start |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${@:-10000 100000}"; do
  for n1 in $n; do
    for mode in lexical vectors; do
      "$java" "${flags[@]}" -Xms$heap -Xmx$heap -cp "$cp" dev.dspy4j.examples.bench.IndexScaleHarness \
        "$n1" $mode "$scratch" 2> >(grep -v 'WARNING: Using incubator' >&2)
    done
  done
done
