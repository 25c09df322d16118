package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.signature.TypeRegistry;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@code Literal} members may be floats, spelled, shown and parsed as DSPy does. */
class LiteralFloatsTest {

    private static final Signature WEIGHTED = Signature.parse("question -> weight: Literal[0.5, 1.0]");

    @Test
    void parsesFloatMembersOfALiteralAndSpellsThemAsPythonsRepr() {
        // when
        FieldType type = TypeRegistry.EMPTY.parseType("Literal[0.5, 1.0, -2.50, 1e-5, .25, 3., 1.5E+16, 7]");

        // then
        assertThat(type).isEqualTo(new FieldType.LiteralType(List.of(0.5, 1.0, -2.5, 1e-5, 0.25, 3.0, 1.5e16, 7L)));
        assertThat(type.pythonName()).isEqualTo("Literal[0.5, 1.0, -2.5, 1e-05, 0.25, 3.0, 1.5e+16, 7]");
    }

    @Test
    void rejectsMembersThatAreNotPythonLiterals() {
        Assertions.assertThatThrownBy(() -> TypeRegistry.EMPTY.parseType("Literal[0.5, 1.2.3]"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("quoted strings, integers, floats, True or False; found '1.2.3'");
    }

    @Test
    void rendersTheTypeTheNoteAndTheReminderAsDspyDoes() {
        // when
        String system = ChatAdapter.DEFAULT.formatSystemMessage(WEIGHTED);
        String reminderHint = AdapterText.reminderTypeHint(WEIGHTED.field("weight").type());

        // then
        assertThat(system).contains("1. `weight` (Literal[0.5, 1.0]):");
        assertThat(system).contains("{weight}        # note: the value you produce must exactly match (no extra "
                + "characters) one of: 0.5; 1.0");
        assertThat(reminderHint).isEqualTo(" (must be formatted as a valid Python Literal[0.5, 1.0])");
    }

    @Test
    void describesFloatMembersAsNumbersInTheJsonSchema() {
        assertThat(JsonSchemas.promptSchemaText(new FieldType.ListType(new FieldType.LiteralType(List.of(0.5, 1.0)))))
                .isEqualTo("{\"type\": \"array\", \"items\": {\"type\": \"number\", \"enum\": [0.5, 1.0]}}");
        assertThat(JsonSchemas.promptSchemaText(new FieldType.ListType(new FieldType.LiteralType(List.of(0.5, 1L)))))
                .isEqualTo("{\"type\": \"array\", \"items\": {\"enum\": [0.5, 1]}}");
    }

    @Test
    void aJsonReplyParsesToTheMemberItEquals() {
        // when / then: DSPy's parse_value returns the value when `value in allowed`, so 1 == 1.0 keeps the int
        assertThat(JsonAdapter.DEFAULT.parse(WEIGHTED, "{\"weight\": 0.5}")).containsEntry("weight", 0.5);
        assertThat(JsonAdapter.DEFAULT.parse(WEIGHTED, "{\"weight\": 1}")).containsEntry("weight", 1L);
    }

    @Test
    void aTextReplyFailsInTheChatAdapterAsInDspySoTheJsonFallbackTakesOver() {
        // when: DSPy compares the text '0.5' with the float members, which never matches
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> ChatAdapter.DEFAULT.parse(WEIGHTED, "[[ ## weight ## ]]\n0.5\n\n[[ ## completed ## ]]"));

        // then
        assertThat(error.getMessage()).startsWith("Failed to parse field weight with value 0.5 from the LM response. "
                + "Error message: '0.5' is not one of (0.5, 1.0)\n\nAdapter ChatAdapter failed to parse the LM response.");
        assertThat(ChatAdapter.DEFAULT.fallback()).isInstanceOf(JsonAdapter.class);
    }

    @Test
    void floatMembersNestedInAListParseFromText() {
        // given
        Signature signature = Signature.parse("question -> weights: list[Literal[0.5, 1.0]]");

        // when
        Map<String, Object> outputs = ChatAdapter.DEFAULT.parse(signature, "[[ ## weights ## ]]\n[0.5, 1.0, 1]");

        // then
        assertThat(outputs).containsEntry("weights", List.of(0.5, 1.0, 1.0));
    }
}
