package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonAdapterTest {

    private static final LmRequest EMPTY = LmRequest.of(List.of(Message.user("x")));

    private static final Signature SCORED = Signature.parse("question -> answer, confidence: float");

    @Test
    void showsOutputsAsAJsonObjectOfPlaceholders() {
        assertThat(JsonAdapter.DEFAULT.formatSystemMessage(SCORED)).contains("""
                Outputs will be a JSON object with the following fields.

                {
                  "answer": "{answer}",
                  "confidence": "{confidence}        # note: the value you produce must be a single float value"
                }
                In adhering to this structure""");
    }

    @Test
    void writesDemoRepliesAsIndentedJsonAndRemindsTheFieldOrder() {
        List<Message> messages = JsonAdapter.DEFAULT.format(SCORED,
                List.of(Example.of("question", "Q1", "answer", "Ré", "confidence", 0.5)), Map.of("question", "Q2"));

        assertThat(messages.get(2).text()).isEqualTo("{\n  \"answer\": \"Ré\",\n  \"confidence\": 0.5\n}");
        assertThat(messages.get(3).text()).isEqualTo("[[ ## question ## ]]\nQ2\n\nRespond with a JSON object in the "
                + "following order of fields: `answer`, then `confidence` (must be formatted as a valid Python float).");
    }

    @Test
    void parsesFencedJsonInSignatureOrder() {
        assertThat(JsonAdapter.DEFAULT.parse(SCORED, "```json\n{\"confidence\": 0.90, \"answer\": \"Paris\", \"x\": 1}\n```"))
                .containsExactly(Map.entry("answer", "Paris"), Map.entry("confidence", 0.9));
    }

    @Test
    void parsesTheFirstObjectInProse() {
        assertThat(JsonAdapter.DEFAULT.parse(SCORED, "[note] {\"answer\": \"Paris\", \"confidence\": \"1\"} [end]"))
                .containsExactly(Map.entry("answer", "Paris"), Map.entry("confidence", 1.0));
    }

    @Test
    void reportsRepliesThatAreNotObjects() {
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> JsonAdapter.DEFAULT.parse(SCORED, "[\"Paris\"]"));

        assertThat(error.adapterName()).isEqualTo("JSONAdapter");
        assertThat(error.lmResponse()).isEqualTo("[\"Paris\"]");
        assertThat(error.getMessage()).startsWith("LM response cannot be serialized to a JSON object.\n\n"
                + "Adapter JSONAdapter failed to parse the LM response.");
    }

    @Test
    void reportsMissingFields() {
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> JsonAdapter.DEFAULT.parse(SCORED, "{'answer1': 'Paris'}"));

        assertThat(error.parsedResult()).isEmpty();
        assertThat(error.lmResponse()).isEqualTo("{'answer1': 'Paris'}");
    }

    @Test
    void addsNoResponseFormatUnlessTheLmAcceptsIt() {
        assertThat(JsonAdapter.DEFAULT.prepare(SCORED, EMPTY, LmCapabilities.NONE)).isEqualTo(EMPTY);
    }

    @Test
    void asksForJsonModeWithoutResponseSchemas() {
        LmCapabilities caps = new LmCapabilities(false, false, false, Set.of("response_format"));

        assertThat(JsonAdapter.DEFAULT.prepare(SCORED, EMPTY, caps).responseFormat())
                .isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void asksForStructuredOutputsWhenSupportedButJsonModeForOpenDicts() {
        LmCapabilities caps = new LmCapabilities(false, false, true, Set.of("response_format"));

        assertThat(JsonAdapter.DEFAULT.prepare(SCORED, EMPTY, caps).responseFormat())
                .isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, schema -> {
                    assertThat(schema.name()).isEqualTo("DSPyProgramOutputs");
                    assertThat(schema.strict()).isTrue();
                });
        assertThat(JsonAdapter.DEFAULT.prepare(Signature.parse("q -> d: dict[str, int]"), EMPTY, caps)
                .responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void hasNoFallback() {
        assertThat(JsonAdapter.DEFAULT.fallback()).isNull();
    }
}
