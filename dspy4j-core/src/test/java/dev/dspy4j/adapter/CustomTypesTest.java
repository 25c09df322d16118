package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.MoneyType.Money;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.signature.TypeRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field types that users define: prompts, parsing and schemas come from the type, not the adapters. */
class CustomTypesTest {

    private static final TypeRegistry TYPES = TypeRegistry.EMPTY.with(new MoneyType());
    private static final Signature CONVERT = Signature.parse("price: Money, rate: float -> total: Money", TYPES);

    record Order(Money price, double rate) {}

    record Total(Money total) {}

    @Test
    void aShorthandStringResolvesARegisteredCustomType() {
        assertThat(CONVERT.inputs().get(0).type()).isEqualTo(new FieldType.Custom(new MoneyType()));
        assertThat(CONVERT.outputs().get(0).type().pythonName()).isEqualTo("Money");
    }

    @Test
    void aRecordComponentOfAMarkedClassBecomesAFieldOfItsCustomType() {
        Signature signature = Signature.fromRecords(Order.class, Total.class);

        assertThat(signature.inputs().get(0).type()).isEqualTo(new FieldType.Custom(new MoneyType()));
        assertThat(signature.outputs().get(0).type()).isEqualTo(new FieldType.Custom(new MoneyType()));
        assertThat(ChatAdapter.DEFAULT.formatSystemMessage(signature))
                .isEqualTo(ChatAdapter.DEFAULT.formatSystemMessage(CONVERT.withInstructions(signature.instructions())));
    }

    @Test
    void theSystemMessageNamesTheTypeDescribesItAndShowsItsSchemaForOutputs() {
        String system = ChatAdapter.DEFAULT.formatSystemMessage(CONVERT);

        assertThat(system).startsWith("""
                Your input fields are:
                1. `price` (Money):\s
                    Type description of Money: An amount with its currency, written like 12.50 EUR.
                2. `rate` (float):
                Your output fields are:
                1. `total` (Money):\s
                    Type description of Money: An amount with its currency, written like 12.50 EUR.
                """);
        assertThat(system).contains("[[ ## total ## ]]\n{total}        # note: the value you produce must adhere to "
                + "the JSON schema: {\"type\": \"object\", \"properties\": {\"amount\": {\"type\": \"number\"}, "
                + "\"currency\": {\"type\": \"string\"}}, \"required\": [\"amount\", \"currency\"]}");
    }

    @Test
    void inputsAndDemoOutputsAreWrittenAsTheTypeFormatsThem() {
        List<Message> messages = ChatAdapter.DEFAULT.format(CONVERT,
                List.of(Example.of("price", new Money(2, "USD"), "rate", 0.5, "total", new Money(1, "USD"))),
                Map.of("price", new Money(12.5, "EUR"), "rate", 2.0));

        assertThat(messages.get(1).text()).isEqualTo("[[ ## price ## ]]\n2.00 USD\n\n[[ ## rate ## ]]\n0.5");
        assertThat(messages.get(2).text()).startsWith("[[ ## total ## ]]\n1.00 USD\n\n");
        assertThat(messages.get(3).isTextOnly()).isTrue();
        assertThat(messages.get(3).text()).startsWith("[[ ## price ## ]]\n12.50 EUR\n\n[[ ## rate ## ]]\n2.0\n\n"
                + "Respond with the corresponding output fields, starting with the field `[[ ## total ## ]]` "
                + "(must be formatted as a valid Python Money)");
    }

    @Test
    void outputsAreParsedByTheTypeFromTextJsonAndXml() {
        assertThat(ChatAdapter.DEFAULT.parse(CONVERT, "[[ ## total ## ]]\n25.00 EUR\n\n[[ ## completed ## ]]"))
                .containsEntry("total", new Money(25, "EUR"));
        assertThat(ChatAdapter.DEFAULT.parse(CONVERT,
                "[[ ## total ## ]]\n{\"amount\": 3.5, \"currency\": \"GBP\"}\n\n[[ ## completed ## ]]"))
                .containsEntry("total", new Money(3.5, "GBP"));
        assertThat(JsonAdapter.DEFAULT.parse(CONVERT, "{\"total\": {\"amount\": 7, \"currency\": \"CHF\"}}"))
                .containsEntry("total", new Money(7, "CHF"));
        assertThat(JsonAdapter.DEFAULT.parse(CONVERT, "{\"total\": \"8.00 SEK\"}"))
                .containsEntry("total", new Money(8, "SEK"));
        assertThat(XmlAdapter.DEFAULT.parse(CONVERT, "<total>9.25 NOK</total>"))
                .containsEntry("total", new Money(9.25, "NOK"));
    }

    @Test
    void anOptionalCustomOutputIsReadFromItsTextTooAndMayBeNone() {
        Signature signature = Signature.parse("price: Money -> total: Optional[Money]", TYPES);

        assertThat(ChatAdapter.DEFAULT.parse(signature, "[[ ## total ## ]]\n25.00 EUR\n\n[[ ## completed ## ]]"))
                .containsEntry("total", new Money(25, "EUR"));
        assertThat(JsonAdapter.DEFAULT.parse(signature, "{\"total\": null}")).containsEntry("total", null);
    }

    @Test
    void anOutputTheTypeCannotReadFailsWithTheTypesMessage() {
        assertThatThrownBy(() -> ChatAdapter.DEFAULT.parse(CONVERT, "[[ ## total ## ]]\nlots\n\n[[ ## completed ## ]]"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageContaining("Money must be written like 12.50 EUR, not lots");
    }

    @Test
    void theJsonSchemaOfStructuredOutputsUsesTheTypesSchema() {
        Map<String, Object> schema = JsonSchemas.structuredOutputFormat(CONVERT, false).schema();

        assertThat(schema.get("properties").toString()).contains("amount", "currency");
        // the type's own schema is left as it was (strict mode edits a copy)
        assertThat(new MoneyType().jsonSchema()).doesNotContainKey("additionalProperties");
    }

    /** A type whose values are a picture and its caption: content parts around the caption. */
    record Chart(String url, String caption) {}

    static final class ChartType implements CustomType<Chart> {
        @Override
        public String name() {
            return "Chart";
        }

        @Override
        public Class<Chart> valueClass() {
            return Chart.class;
        }

        @Override
        public Formatted format(Chart value) {
            return Formatted.parts(new ContentPart.Image(value.url()), ContentPart.text("Caption: " + value.caption()));
        }

        @Override
        public Chart parse(Object value) {
            throw new IllegalArgumentException("charts are inputs only");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChartType;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void aTypeThatFormatsToContentPartsSplitsTheUserMessageAroundThem() {
        Signature signature = Signature.parse("chart: Chart, question -> answer", TypeRegistry.EMPTY.with(new ChartType()));

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(),
                Map.of("chart", new Chart("https://example.com/sales.png", "Sales \"2025\""), "question", "Trend?"));

        assertThat(messages.get(1).content()).containsExactly(
                ContentPart.text("[[ ## chart ## ]]\n"),
                new ContentPart.Image("https://example.com/sales.png"),
                ContentPart.text("Caption: Sales \"2025\""),
                ContentPart.text("\n\n[[ ## question ## ]]\nTrend?\n\nRespond with the corresponding output fields, "
                        + "starting with the field `[[ ## answer ## ]]`, and then ending with the marker for "
                        + "`[[ ## completed ## ]]`."));
    }

    @Test
    void aMarkedClassWhoseTypeIsForAnotherClassIsRejectedWithTheNames() {
        record Wrong(Mislabeled value) {}

        assertThatThrownBy(() -> Signature.fromRecords(Wrong.class, Total.class))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("@CustomFieldType(MoneyType.class)")
                .hasMessageContaining("Mislabeled");
    }

    @dev.dspy4j.signature.CustomFieldType(MoneyType.class)
    record Mislabeled(String text) {}
}
