package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.RetrievalException;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RetrieveTest {

    /** Returns "<query> #i" for i in 0..k-1, and records the k it was asked for. */
    private static final class Numbered implements Retriever {
        final List<Integer> ks = new CopyOnWriteArrayList<>();
        private final String prefix;

        Numbered(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public List<Passage> search(String query, int k) {
            ks.add(k);
            List<Passage> hits = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                hits.add(new Passage(prefix + i, prefix + query + " #" + i, 1.0 / (i + 1), Map.of()));
            }
            return hits;
        }
    }

    /** Records span events as "start KIND name attrs" / "end KIND attrs" / "failed KIND". */
    private static final class Recorder implements DspyListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Span> spans = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Span span) {
            spans.add(span);
            events.add("start " + span.kind() + " " + span.name() + " " + span.attributes());
        }

        @Override
        public void onEnd(Span span, Map<String, Object> attributes) {
            Map<String, Object> shown = new java.util.TreeMap<>(attributes);
            shown.computeIfPresent("dspy.retrieval.duration_ms", (key, ms) -> ms instanceof Double ? "ms" : ms);
            events.add("end " + span.kind() + " " + shown);
        }

        @Override
        public void onFailed(Span span, Throwable error) {
            events.add("failed " + span.kind() + " " + error.getMessage());
        }
    }

    @Test
    void returnsThePassagesTextsFromTheContextsRetrieverWithDspysDefaultK() {
        // given
        Numbered retriever = new Numbered("");
        DspyContext context = DspyContext.empty().withRetriever(retriever);

        // when
        Prediction prediction = new Retrieve().call(Map.of("query", "norway"), context);

        // then DSPy's Prediction(passages=[...]) with k=3
        assertThat(prediction.toMap()).containsOnlyKeys("passages");
        assertThat(prediction.get("passages")).isEqualTo(List.of("norway #0", "norway #1", "norway #2"));
        assertThat(retriever.ks).containsExactly(3);
    }

    @Test
    void aPerCallKOverridesTheModulesK() {
        // given
        Numbered retriever = new Numbered("");

        // when
        Prediction prediction = new Retrieve(5, retriever).call(Map.of("query", "q", "k", 2), DspyContext.empty());

        // then
        assertThat(prediction.get("passages")).isEqualTo(List.of("q #0", "q #1"));
        assertThat(retriever.ks).containsExactly(2);
    }

    @Test
    void itsOwnRetrieverWinsOverTheContexts() {
        // given
        Retrieve retrieve = new Retrieve(1, new Numbered("own:"));
        DspyContext context = DspyContext.empty().withRetriever(new Numbered("context:"));

        // when / then
        assertThat(retrieve.call(Map.of("query", "q"), context).get("passages")).isEqualTo(List.of("own:q #0"));
        assertThat(context.get(() -> retrieve.search("q"))).extracting(Passage::id).containsExactly("own:0");
    }

    @Test
    void searchGivesIdsAndScoresUnderTheBoundContext() {
        // given
        DspyContext context = DspyContext.empty().withRetriever(new Numbered("p"));

        // when
        List<Passage> hits = context.get(() -> new Retrieve(2).search("q"));

        // then
        assertThat(hits).extracting(Passage::id).containsExactly("p0", "p1");
        assertThat(hits).extracting(Passage::score).containsExactly(1.0, 0.5);
    }

    @Test
    void reportsEachSearchAsARetrievalSpanInsideTheModuleSpan() {
        // given
        Recorder recorder = new Recorder();
        DspyContext context = DspyContext.empty().withRetriever(new Numbered("")).withListener(recorder);

        // when
        new Retrieve(2).call(Map.of("query", "capital"), context);

        // then the paired events carry the query, k, hits and the duration
        assertThat(recorder.events).containsExactly(
                "start MODULE Retrieve {}",
                "start RETRIEVAL Numbered {dspy.retrieval.query=capital, dspy.retrieval.k=2}",
                "end RETRIEVAL {dspy.retrieval.duration_ms=ms, dspy.retrieval.hits=2}",
                "end MODULE {}");
        assertThat(recorder.spans.get(1).parentId()).isEqualTo(recorder.spans.get(0).id());
        assertThat(recorder.spans.get(1).kind()).isEqualTo(SpanKind.RETRIEVAL);
    }

    @Test
    void aFailedSearchFailsItsSpanAndTheCall() {
        // given
        Recorder recorder = new Recorder();
        Retriever broken = (query, k) -> {
            throw new RetrievalException("index gone");
        };
        DspyContext context = DspyContext.empty().withRetriever(broken).withListener(recorder);

        // when / then
        assertThatThrownBy(() -> new Retrieve().call(Map.of("query", "q"), context))
                .isInstanceOf(RetrievalException.class).hasMessage("index gone");
        assertThat(recorder.events).contains("failed RETRIEVAL index gone", "failed MODULE index gone");
    }

    @Test
    void saysHowToSetARetrieverWhenThereIsNone() {
        assertThatThrownBy(() -> new Retrieve().call(Map.of("query", "q"), DspyContext.empty()))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("withRetriever(retriever)");
        assertThatThrownBy(() -> new Retrieve().call(Map.of("question", "q"), DspyContext.empty()))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("needs a string input \"query\"");
        assertThatThrownBy(() -> new Retrieve(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retrieve(1, new Numbered("")).call(Map.of("query", "q", "k", "2"),
                DspyContext.empty())).isInstanceOf(DspyException.class).hasMessageContaining("must be an integer");
    }

    @Test
    void hasNoPredictorsSoProgramsUsingItKeepTheirPaths() {
        assertThat(new Retrieve().namedPredictors()).isEmpty();
    }
}
