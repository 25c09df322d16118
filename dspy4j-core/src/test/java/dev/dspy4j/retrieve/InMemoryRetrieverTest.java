package dev.dspy4j.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.lm.Embedder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryRetrieverTest {

    private static final List<String> CORPUS = List.of(
            "Oslo is the capital of Norway",
            "Paris is the capital of France",
            "The fjords of Norway are deep",
            "Bread is baked in an oven");

    @Test
    void returnsTheNearestPassagesByCosineWithCorpusIndexesAsIds() {
        // given DSPy's Embeddings(corpus, embedder)
        InMemoryRetriever retriever = InMemoryRetriever.ofTexts(new HashingEmbedder(4096), CORPUS);

        // when
        List<Passage> hits = retriever.search("capital of Norway", 2);

        // then the passage sharing three words comes first, its cosine as score
        assertThat(hits).extracting(Passage::id).containsExactly("0", "1");
        assertThat(hits.get(0).text()).isEqualTo("Oslo is the capital of Norway");
        assertThat(hits.get(0).score()).isCloseTo(3 / Math.sqrt(3 * 6), within(1e-6));
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void embedsTheCorpusOnceAndEachBatchOfQueriesInOneCall() {
        // given
        HashingEmbedder embedder = new HashingEmbedder(4096);
        InMemoryRetriever retriever = InMemoryRetriever.ofTexts(embedder, CORPUS);
        int afterBuild = embedder.calls.get();

        // when
        List<List<Passage>> results = retriever.searchAll(List.of("Norway", "oven"), 1);

        // then
        assertThat(afterBuild).isEqualTo(1);
        assertThat(embedder.calls.get()).isEqualTo(2);
        assertThat(results).hasSize(2);
        assertThat(results.get(1)).extracting(Passage::id).containsExactly("3");
        assertThat(results).isEqualTo(List.of(retriever.search("Norway", 1), retriever.search("oven", 1)));
    }

    @Test
    void keepsCorpusOrderForEqualScores() {
        // given four passages equally near any query
        Embedder flat = texts -> texts.stream().map(t -> new float[] {1, 1}).toList();
        InMemoryRetriever retriever = InMemoryRetriever.ofTexts(flat, CORPUS);

        // when / then
        assertThat(retriever.search("anything", 3)).extracting(Passage::id).containsExactly("0", "1", "2");
    }

    @Test
    void scoresByRawDotProductWhenAsked() {
        // given a long vector and a short one in the same direction
        Embedder fixed = texts -> texts.stream()
                .map(t -> t.equals("long") ? new float[] {3, 0} : t.equals("short") ? new float[] {1, 0}
                        : new float[] {1, 0})
                .toList();
        List<Passage> passages = List.of(Passage.of("s", "short"), Passage.of("l", "long"));

        // when
        List<Passage> dot = InMemoryRetriever.of(fixed, passages, InMemoryRetriever.Similarity.DOT_PRODUCT)
                .search("q", 2);
        List<Passage> cosine = InMemoryRetriever.of(fixed, passages).search("q", 2);

        // then the dot product prefers the long one, the cosine ties them (corpus order)
        assertThat(dot).extracting(Passage::id).containsExactly("l", "s");
        assertThat(dot.get(0).score()).isEqualTo(3.0);
        assertThat(cosine).extracting(Passage::id).containsExactly("s", "l");
    }

    @Test
    void ranksByDotProductExactlyAsAStableDescendingSortDoes() {
        // given 200 random vectors from a few values, so many scores tie (KnnFewShot relies on this order)
        java.util.Random random = new java.util.Random(7);
        List<float[]> vectors = new java.util.ArrayList<>();
        List<Passage> passages = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            vectors.add(new float[] {random.nextInt(3), random.nextInt(3) - 1, random.nextInt(2)});
            passages.add(Passage.of(Integer.toString(i), "p" + i));
        }
        float[] query = {1, 2, -1};
        InMemoryRetriever retriever = InMemoryRetriever.ofVectors(texts -> List.of(query), passages, vectors,
                InMemoryRetriever.Similarity.DOT_PRODUCT);

        // when
        List<String> ids = retriever.search("q", 25).stream().map(Passage::id).toList();

        // then the order is the one KnnFewShot computed before it used this search
        double[] scores = vectors.stream().mapToDouble(v -> v[0] * query[0] + v[1] * query[1] + v[2] * query[2])
                .toArray();
        List<String> expected = java.util.stream.IntStream.range(0, 200).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .limit(25).map(i -> Integer.toString(i)).toList();
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void keepsPassageMetadataAndReturnsFewerHitsThanKForASmallCorpus() {
        // given
        InMemoryRetriever retriever = InMemoryRetriever.of(new HashingEmbedder(16),
                List.of(Passage.of("a", "alpha", Map.of("title", "A"))));

        // when
        List<Passage> hits = retriever.search("alpha", 10);

        // then
        assertThat(hits).singleElement().satisfies(p -> assertThat(p.metadata()).containsEntry("title", "A"));
    }

    @Test
    void rejectsBadKAndQueriesOfAnotherDimension() {
        // given a corpus of 2-dimensional vectors and queries of 3
        Embedder changing = texts -> texts.stream()
                .map(t -> t.startsWith("q") ? new float[] {1, 0, 0} : new float[] {1, 0}).toList();
        InMemoryRetriever retriever = InMemoryRetriever.ofTexts(changing, List.of("a", "b"));

        // when / then
        assertThatThrownBy(() -> retriever.search("a", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1, not 0");
        assertThatThrownBy(() -> retriever.search("q", 1)).isInstanceOf(RetrievalException.class)
                .hasMessageContaining("3 dimensions, the corpus's 2");
    }

    @Test
    void failsClearlyWhenTheEmbedderReturnsTheWrongNumberOfVectors() {
        // given
        Embedder broken = texts -> List.of(new float[] {1});

        // when / then
        assertThatThrownBy(() -> InMemoryRetriever.ofTexts(broken, List.of("a", "b")))
                .isInstanceOf(RetrievalException.class)
                .hasMessageContaining("returned 1 vectors for 2 texts");
    }
}
