package dev.dspy4j.retrieval.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Retrieve;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.RetrievalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexTest {

    private static final String[] TOPICS = {"norway", "france", "bread", "rivers", "violins", "comets", "tigers"};
    private static final String[] WORDS = {"old", "green", "quiet", "famous", "small", "northern", "bright"};
    private static final List<String> QUERIES = List.of("norway rivers", "famous bread", "quiet comets of france",
            "tigers", "green violins", "northern norway");

    @TempDir
    Path dir;

    private final HashingEmbedder embedder = new HashingEmbedder(256);

    /** 300 passages mixing topics and words, so queries match many with different strengths. */
    static Stream<Passage> corpus() {
        return IntStream.range(0, 300).mapToObj(i -> Passage.of("p" + i,
                "Passage " + i + " tells of " + WORDS[i % WORDS.length] + " " + TOPICS[i % TOPICS.length]
                        + " and " + TOPICS[(i / 7) % TOPICS.length] + " " + WORDS[(i / 3) % WORDS.length],
                Map.of("n", i)));
    }

    private LuceneIndex.Builder builder() {
        return LuceneIndex.builder(dir.resolve("index")).embedder(embedder).batchSize(16);
    }

    private static List<List<Passage>> everyMode(LuceneIndex index) {
        return Stream.of(SearchMode.values())
                .flatMap(mode -> QUERIES.stream().map(q -> index.search(q, 10, mode))).toList();
    }

    @Test
    void answersTheSameAfterBeingClosedAndReopened() {
        // given an index built from a stream and closed
        List<List<Passage>> before;
        try (LuceneIndex index = builder().create()) {
            assertThat(index.addAll(corpus())).isEqualTo(300);
            index.commit();
            before = everyMode(index);
        }

        // when it is reopened
        try (LuceneIndex index = builder().open()) {
            // then every mode answers exactly as before, ids, texts, scores and metadata
            assertThat(index.size()).isEqualTo(300);
            assertThat(everyMode(index)).isEqualTo(before);
        }
        assertThat(before).allSatisfy(hits -> assertThat(hits).hasSize(10));
        assertThat(before.get(0).get(0).metadata()).containsKey("n");
    }

    @Test
    void closeCommitsPendingChangesAndSearchesAfterCloseFailClearly() {
        // given passages added but not committed
        LuceneIndex closed = builder().create();
        closed.addAll(corpus().limit(20));
        closed.close();
        closed.close(); // idempotent
        assertThatThrownBy(() -> closed.search("bread", 1)).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("is closed; open it again");

        // when / then
        try (LuceneIndex index = builder().open()) {
            assertThat(index.size()).isEqualTo(20);
        }
    }

    @Test
    void readsItsInputLazilyInBoundedBatchesOnVirtualThreads() {
        // given an input that counts how far it has been read
        AtomicInteger read = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        Iterator<Passage> source = corpus().iterator();
        Iterator<Passage> counting = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Passage next() {
                int n = read.incrementAndGet();
                maxAhead.accumulateAndGet(n - 16 * embedder.calls.get(), Math::max);
                return source.next();
            }
        };

        // when
        try (LuceneIndex index = builder().embeddingConcurrency(3).create()) {
            index.addAll(counting);
            index.refresh();

            // then never more than concurrency + 1 batches were read ahead of the embedder
            assertThat(index.size()).isEqualTo(300);
            assertThat(embedder.largestBatch.get()).isEqualTo(16);
            assertThat(embedder.maxRunning.get()).isLessThanOrEqualTo(3);
            assertThat(maxAhead.get()).isLessThanOrEqualTo(16 * 4);
        }
    }

    @Test
    void replacesAndDeletesById() {
        try (LuceneIndex index = builder().create()) {
            // given
            index.addAll(corpus().limit(50));
            index.commit();

            // when a passage is replaced and another deleted
            index.upsert(Passage.of("p3", "zebras crossing a glacier"));
            index.delete("p4");

            // then searches see the change only after a refresh
            assertThat(index.search("zebras glacier", 1, SearchMode.LEXICAL)).isEmpty();
            index.refresh();
            assertThat(index.search("zebras glacier", 1, SearchMode.LEXICAL))
                    .extracting(Passage::id).containsExactly("p3");
            assertThat(index.search("zebras glacier", 1, SearchMode.VECTOR))
                    .extracting(Passage::id).containsExactly("p3");
            assertThat(index.size()).isEqualTo(49);
            assertThat(index.search("Passage 4 tells", 50, SearchMode.LEXICAL)).extracting(Passage::id)
                    .doesNotContain("p4");
        }
    }

    @Test
    void scoresVectorHitsByCosineAndHybridHitsByFusedRank() {
        try (LuceneIndex index = builder().hybridDepth(20).create()) {
            // given
            index.addAll(corpus());
            index.commit();
            String text = corpus().skip(42).findFirst().orElseThrow().text();

            // when
            List<Passage> vector = index.search(text, 3, SearchMode.VECTOR);
            List<Passage> hybrid = index.search("famous bread", 5, SearchMode.HYBRID);

            // then the passage itself is at cosine 1, and hybrid is the fusion of the two lists of depth 20
            assertThat(vector.get(0).id()).isEqualTo("p42");
            assertThat(vector.get(0).score()).isCloseTo(1.0, within(1e-5));
            assertThat(hybrid).isEqualTo(ReciprocalRankFusion.fuse(List.of(
                    index.search("famous bread", 20, SearchMode.LEXICAL),
                    index.search("famous bread", 20, SearchMode.VECTOR)), 5, 60));
            assertThat(index.mode()).isEqualTo(SearchMode.HYBRID);
            assertThat(index.search("famous bread", 5)).isEqualTo(hybrid);
        }
    }

    @Test
    void vectorSearchGathersCandidatesBeyondKAndKeepsTheBestK() {
        try (LuceneIndex index = builder().vectorCandidates(200).create()) {
            // given
            index.addAll(corpus());
            index.commit();
            String text = corpus().skip(7).findFirst().orElseThrow().text();

            // when
            List<Passage> three = index.search(text, 3, SearchMode.VECTOR);
            List<Passage> wide = index.search(text, 200, SearchMode.VECTOR);

            // then k hits come back, the best of the wider candidate set, in its order
            assertThat(three).hasSize(3).isEqualTo(wide.subList(0, 3));
            assertThat(three.get(0).id()).isEqualTo("p7");
        }
        assertThatThrownBy(() -> builder().vectorCandidates(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vectorCandidates");
        assertThatThrownBy(() -> builder().vectorCandidates(1001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLexicalIndexNeedsNoEmbedder() {
        try (LuceneIndex index = LuceneIndex.builder(dir.resolve("lexical")).create()) {
            // given
            index.addAll(corpus().limit(30));
            index.commit();

            // when / then: BM25 with English stemming ("rivers" finds "river"-stemmed text)
            assertThat(index.mode()).isEqualTo(SearchMode.LEXICAL);
            assertThat(index.search("river", 3)).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.text()).contains("rivers"));
            assertThat(index.search("the of and", 3)).isEmpty(); // stop words only
            assertThatThrownBy(() -> index.search("x", 3, SearchMode.VECTOR))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an embedder");
        }
    }

    @Test
    void boundsKAndQueryLength() {
        try (LuceneIndex index = builder().create()) {
            assertThatThrownBy(() -> index.search("q", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1 and 1000");
            assertThatThrownBy(() -> index.search("q", 1001)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> index.search("q".repeat(10_001), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001 characters");
            assertThat(index.search("q", 5)).isEmpty();
        }
    }

    @Test
    void aMissingIndexFailsClearly() throws IOException {
        // no such directory
        assertThatThrownBy(() -> builder().open()).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("No Lucene index at " + dir.resolve("index").toAbsolutePath())
                .hasMessageContaining("there is no such directory")
                .hasMessageContaining("LuceneIndex.builder(path).create()");

        // an empty directory
        Files.createDirectories(dir.resolve("index"));
        assertThatThrownBy(() -> builder().open()).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("the directory holds no index");
    }

    @Test
    void createRefusesToOverwriteAnIndexAndOpenOrCreateReusesIt() {
        try (LuceneIndex index = builder().create()) {
            index.addAll(corpus().limit(5));
        }
        assertThatThrownBy(() -> builder().create()).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("already holds an index");
        try (LuceneIndex index = builder().openOrCreate()) {
            assertThat(index.size()).isEqualTo(5);
            assertThatThrownBy(() -> builder().open()).isInstanceOf(RetrievalException.class)
                    .hasMessageContaining("is open elsewhere");
        }
    }

    @Test
    void aGarbledCommitPointFailsClearly() throws IOException {
        // given a closed index whose segments_N file is overwritten with garbage
        Path index = buildAndClose();
        Path segments;
        try (Stream<Path> files = Files.list(index)) {
            segments = files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segments);
        for (int i = 0; i < bytes.length; i += 3) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(segments, bytes);

        // when / then
        assertThatThrownBy(() -> builder().open()).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("The Lucene index at " + index.toAbsolutePath() + " is damaged")
                .hasMessageContaining("Rebuild it from its source passages");
    }

    @Test
    void aTruncatedSegmentFileFailsClearly() throws IOException {
        // given a closed index whose largest file lost its second half
        Path index = buildAndClose();
        Path largest;
        try (Stream<Path> files = Files.list(index)) {
            largest = files.filter(f -> !f.getFileName().toString().equals("write.lock"))
                    .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(largest);
        Files.write(largest, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        // when / then
        assertThatThrownBy(() -> builder().checkIntegrity(true).open()).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("is damaged");
    }

    private Path buildAndClose() {
        try (LuceneIndex index = builder().create()) {
            index.addAll(corpus());
            index.commit();
        }
        return dir.resolve("index");
    }

    @Test
    void isARetrieverForTheRetrieveModule() {
        try (LuceneIndex index = builder().create()) {
            // given
            index.addAll(corpus());
            index.commit();

            // when
            Object passages = new Retrieve(2).call(Map.of("query", "famous bread"),
                    DspyContext.empty().withRetriever(index)).get("passages");

            // then
            assertThat(passages).isEqualTo(index.search("famous bread", 2).stream().map(Passage::text).toList());
        }
    }

    @Test
    void searchesAllQueriesWithOneEmbeddingCall() {
        try (LuceneIndex index = builder().create()) {
            index.addAll(corpus().limit(40));
            index.commit();
            int before = embedder.calls.get();

            List<List<Passage>> all = index.searchAll(QUERIES, 3);

            assertThat(embedder.calls.get()).isEqualTo(before + 1);
            assertThat(all).isEqualTo(QUERIES.stream().map(q -> index.search(q, 3)).toList());
        }
    }
}
