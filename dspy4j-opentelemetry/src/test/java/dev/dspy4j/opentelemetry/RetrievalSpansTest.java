package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Retrieve;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.testkit.ScriptedLm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetrievalSpansTest {

    private static final AttributeKey<String> QUERY = AttributeKey.stringKey("dspy4j.retrieval.query");

    private final Telemetry telemetry = new Telemetry();

    @AfterEach
    void closeSdk() {
        telemetry.close();
    }

    /** Two fixed passages for any query. */
    static final class Fixed implements Retriever {
        @Override
        public List<Passage> search(String query, int k) {
            return List.of(Passage.of("1", "Paris is the capital of France."), Passage.of("2", "Lyon is in France."));
        }
    }

    private SpanData retrieve(OpenTelemetryListener listener) {
        DspyContext context = DspyContext.of(ScriptedLm.replying()).withListener(listener);
        new Retrieve(2, new Fixed()).call(Map.of("query", "capital of France, for patient 0042"), context);
        SpanData search = telemetry.span("Fixed");
        assertThat(telemetry.parentOf(search).getName()).isEqualTo("Retrieve");
        assertThat(attribute(search, AttributeKey.stringKey("dspy4j.span.kind"))).isEqualTo("retrieval");
        assertThat(attribute(search, AttributeKey.longKey("dspy4j.retrieval.k"))).isEqualTo(2L);
        assertThat(attribute(search, AttributeKey.longKey("dspy4j.retrieval.hits"))).isEqualTo(2L);
        return search;
    }

    @Test
    void aSearchIsASpanUnderRetrieveWithoutItsQueryByDefault() {
        SpanData search = retrieve(OpenTelemetryListener.create(telemetry.sdk));

        assertThat(search.getAttributes().get(QUERY)).isNull();
        assertThat(search.getAttributes().toString()).doesNotContain("patient 0042");
    }

    @Test
    void theQueryIsKeptWhenContentIsCapturedCutToTheLimit() {
        SpanData search = retrieve(OpenTelemetryListener.builder(telemetry.sdk).captureContent(true).contentLimit(17).build());

        assertThat(search.getAttributes().get(QUERY)).isEqualTo("capital of France...[truncated]");
    }
}
