#!/usr/bin/env bash
# In-process embeddings (dspy4j-embeddings-onnx, all-MiniLM-L6-v2 quantized) on this machine: load
# time, embeddings/s for one text per call against batches of 32 at concurrency 1 and 2, and the
# size of the jars the module brings. Prints the markdown of docs/retrieval.md.
#
#   bench/run-embeddings.sh                 512 Debian passages, 3 rounds per configuration
#   bench/run-embeddings.sh 1024 5          passages, rounds
#   SKIP_BUILD=1 bench/run-embeddings.sh    reuse the last build
#   bench/run-embeddings.sh --recall        instead: embed the whole Debian corpus and report how
#                                           often one exact cosine search finds each supporting passage
set -euo pipefail
cd "$(dirname "$0")/.."
recall=0
if [ "${1:-}" = --recall ]; then recall=1; shift; fi
. scripts/jdk.sh
module=dspy4j-embeddings-onnx

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # in one reactor run, so that dspy4j-core and dspy4j-test resolve to their target/classes
  mvn -B -ntp -q -o -pl $module -am test-compile dependency:build-classpath -Dmaven.javadoc.skip=true \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=test
  mvn -B -ntp -q -o -pl $module -am compile dependency:build-classpath -Dmaven.javadoc.skip=true \
    -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime
fi
cp="$module/target/classes:$module/target/test-classes:$(cat $module/target/classpath.txt)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
corpus=dspy4j-examples/src/main/resources/corpus/debian
export DJL_CACHE_DIR="$PWD/$module/target/djl-cache"
if [ $recall = 1 ]; then
  exec "$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" dev.dspy4j.embeddings.onnx.CorpusRecallHarness \
    $corpus/passages.jsonl.gz $corpus/questions.jsonl
fi

echo "Jars the module adds to dspy4j-core's (runtime scope):"
echo
echo "| jar | MB |"
echo "|---|---|"
total=0
core_jars=$(tr ':' '\n' < dspy4j-core/target/runtime-classpath.txt)
for jar in $(tr ':' '\n' < $module/target/runtime-classpath.txt | grep '\.jar$' | grep -vxF "$core_jars"); do
  bytes=$(stat -c %s "$jar"); total=$((total + bytes))
  printf '| %s | %.1f |\n' "$(basename "$jar")" "$(echo "$bytes / 1048576" | bc -l)"
done
printf '| **total** | **%.1f** |\n\n' "$(echo "$total / 1048576" | bc -l)"

"$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" dev.dspy4j.embeddings.onnx.EmbeddingsHarness \
  $corpus/passages.jsonl.gz "${1:-512}" "${2:-3}"
