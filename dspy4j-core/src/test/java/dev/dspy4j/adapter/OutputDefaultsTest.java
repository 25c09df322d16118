package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DSPy's {@code apply_output_field_defaults}: an output missing from the reply takes its default,
 * else a value from its default factory, else {@code None} if its type is optional; a required
 * output that is missing is a parse error.
 */
class OutputDefaultsTest {

    private static final FieldType.ListType LIST_OF_STR = new FieldType.ListType(FieldType.STR);

    /** {@code answer: str; tags: list[str] = Field(default_factory=list); note: str | None; score: int = 0}. */
    private static Signature signature() {
        return Signature.of(null, List.of(
                Field.input("question", FieldType.STR),
                Field.output("answer", FieldType.STR),
                Field.output("tags", LIST_OF_STR).withDefaultFactory(ArrayList::new),
                Field.output("note", new FieldType.OptionalType(FieldType.STR, true)),
                Field.output("score", FieldType.INT).withDefault(0L)));
    }

    @Test
    void missingOutputsTakeTheirDefaultTheirFactorysValueOrNoneInSignatureOrder() {
        // when
        Map<String, Object> outputs = ChatAdapter.DEFAULT.parse(signature(), "[[ ## answer ## ]]\nParis");

        // then
        assertThat(List.copyOf(outputs.keySet())).containsExactly("answer", "tags", "note", "score");
        assertThat(outputs).containsEntry("answer", "Paris").containsEntry("tags", List.of())
                .containsEntry("note", null).containsEntry("score", 0L);
    }

    @Test
    void theDefaultFactoryMakesAFreshValueForEveryReply() {
        // given
        AtomicInteger calls = new AtomicInteger();
        Signature signature = Signature.of(null, List.of(Field.input("q", FieldType.STR),
                Field.output("a", FieldType.STR),
                Field.output("tags", LIST_OF_STR).withDefaultFactory(() -> {
                    calls.incrementAndGet();
                    return new ArrayList<String>();
                })));

        // when
        Object first = ChatAdapter.DEFAULT.parse(signature, "[[ ## a ## ]]\nx").get("tags");
        Object second = ChatAdapter.DEFAULT.parse(signature, "[[ ## a ## ]]\ny").get("tags");
        Object given = ChatAdapter.DEFAULT.parse(signature, "[[ ## a ## ]]\nz\n[[ ## tags ## ]]\n[\"t\"]").get("tags");

        // then
        assertThat(first).isEqualTo(List.of()).isNotSameAs(second);
        assertThat(given).isEqualTo(List.of("t"));
        assertThat(calls).hasValue(2);
    }

    @Test
    void jsonAndXmlAdaptersFillTheSameDefaults() {
        // when
        Map<String, Object> json = JsonAdapter.DEFAULT.parse(signature(), "{\"answer\": \"Paris\"}");
        Map<String, Object> xml = XmlAdapter.DEFAULT.parse(signature(), "<answer>Paris</answer>");

        // then
        Map<String, Object> expected = ChatAdapter.DEFAULT.parse(signature(), "[[ ## answer ## ]]\nParis");
        assertThat(json).isEqualTo(expected);
        assertThat(xml).isEqualTo(expected);
    }

    @Test
    void aMissingRequiredOutputIsStillAParseError() {
        assertThatThrownBy(() -> ChatAdapter.DEFAULT.parse(signature(), "[[ ## tags ## ]]\n[]"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageContaining("Expected to find output fields in the LM response: [answer, tags, note, score]");
    }

    @Test
    void aDefaultAndADefaultFactoryReplaceEachOther() {
        // given
        Field field = Field.output("tags", LIST_OF_STR);

        // when
        Field withFactory = field.withDefault(List.of("x")).withDefaultFactory(List::of);
        Field withDefault = field.withDefaultFactory(List::of).withDefault(List.of("x"));

        // then
        assertThat(withFactory.hasDefault()).isFalse();
        assertThat(withFactory.hasDefaultFactory()).isTrue();
        assertThat(withDefault.hasDefault()).isTrue();
        assertThat(withDefault.hasDefaultFactory()).isFalse();
        assertThatThrownBy(() -> new Field("tags", Field.Role.OUTPUT, LIST_OF_STR, null, "Tags:", true,
                Optional.of(List.of()), Optional.of(List::of)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both a default value and a default factory");
    }

    @Test
    void aDefaultFactoryPutsNoDefaultIntoTheStructuredOutputSchema() {
        // given: pydantic leaves a default factory out of the JSON schema
        Signature signature = Signature.of(null, List.of(Field.input("q", FieldType.STR),
                Field.output("tags", LIST_OF_STR).withDefaultFactory(List::of)));

        // when
        String format = PythonValues.jsonDumps(JsonSchemas.structuredOutputFormat(signature, true));

        // then
        assertThat(format).doesNotContain("default");
    }
}
