package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlAdapterTest {

    private static final XmlAdapter ADAPTER = XmlAdapter.DEFAULT;

    private static final FieldType.RecordType LINE_ITEM = record("LineItem",
            "sku", FieldType.STR, "quantity", FieldType.INT, "unit_price", FieldType.FLOAT);

    private static FieldType.RecordType record(String name, Object... namesAndTypes) {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.put((String) namesAndTypes[i], (FieldType) namesAndTypes[i + 1]);
        }
        return new FieldType.RecordType(name, fields, null);
    }

    private static Signature outputs(Field... fields) {
        return Signature.of(null, List.of(fields));
    }

    @Test
    void formatsASimpleSignatureExactlyAsDspy() {
        Signature signature = Signature.parse("question -> answer");

        List<Message> messages = ADAPTER.format(signature, List.of(),
                Map.of("question", "why did a chicken cross the kitchen?"));

        assertThat(messages).containsExactly(
                Message.system("Your input fields are:\n1. `question` (str):\nYour output fields are:\n"
                        + "1. `answer` (str):\nAll interactions will be structured in the following way, with the "
                        + "appropriate values filled in.\n\n<question>\n{question}\n</question>\n\n<answer>\n{answer}"
                        + "\n</answer>\nIn adhering to this structure, your objective is: \n        Given the fields "
                        + "`question`, produce the fields `answer`."),
                Message.user("<question>\nwhy did a chicken cross the kitchen?\n</question>\n\nRespond with the "
                        + "corresponding output fields wrapped in XML tags `<answer>`."));
    }

    @Test
    void formatsDemosAndTypeNotesWithoutACompletedMarker() {
        Signature signature = Signature.parse("question -> answer, score: float");

        List<Message> messages = ADAPTER.format(signature,
                List.of(Example.of("question", "Q1", "answer", "A1", "score", 0.9)), Map.of("question", "Q2"));

        assertThat(messages.get(0).text()).contains(
                "<score>\n{score}        # note: the value you produce must be a single float value\n</score>\nIn");
        assertThat(messages.subList(1, 4)).containsExactly(
                Message.user("<question>\nQ1\n</question>"),
                Message.assistant("<answer>\nA1\n</answer>\n\n<score>\n0.9\n</score>"),
                Message.user("<question>\nQ2\n</question>\n\nRespond with the corresponding output fields wrapped "
                        + "in XML tags `<answer>`, then `<score>`."));
    }

    @Test
    void showsNestedOutputsAsXmlSkeletons() {
        Signature signature = Signature.of("Group.", List.of(
                Field.input("text", FieldType.STR),
                Field.output("lengths", new FieldType.ListType(FieldType.INT)),
                Field.output("groups", new FieldType.DictType(FieldType.STR, new FieldType.ListType(FieldType.STR))),
                Field.output("items", new FieldType.OptionalType(new FieldType.ListType(LINE_ITEM), true))));

        String system = ADAPTER.formatSystemMessage(signature);
        String reminder = XmlAdapter.outputRequirements(signature);

        assertThat(system).contains("<text>\n{text}\n</text>\n\n<lengths><item>...</item></lengths>\n\n"
                + "<groups>...</groups>\n\n<items><item><sku>...</sku><quantity>...</quantity>"
                + "<unit_price>...</unit_price></item></items>\nIn adhering");
        assertThat(reminder).isEqualTo("Respond with the corresponding output fields wrapped in XML tags "
                + "`<lengths>`, then `<groups>`, then `<items>`. Use this nested XML structure: "
                + "<lengths><item>...</item></lengths> <groups>...</groups> <items><item><sku>...</sku>"
                + "<quantity>...</quantity><unit_price>...</unit_price></item></items>");
    }

    @Test
    void writesNestedValuesWithItemsEntriesAndEmptyTags() {
        FieldType counts = new FieldType.DictType(FieldType.STR, new FieldType.ListType(FieldType.INT));
        Signature signature = outputs(Field.output("counts", counts),
                Field.output("items", new FieldType.ListType(FieldType.STR)));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1L, 2L));
        value.put("postal code", List.of(3L));
        value.put("quoted \"key\" & more", List.of(5L));
        value.put("line\nbreak", List.of(6L));
        value.put("-status", List.of(7L));
        value.put("x.y-z", List.of(8L));

        String content = ADAPTER.assistantContent(signature, Map.of("counts", value, "items", List.of()), null);

        assertThat(content).isEqualTo("<counts><a><item>1</item><item>2</item></a>"
                + "<entry key=\"postal code\"><item>3</item></entry>"
                + "<entry key='quoted \"key\" &amp; more'><item>5</item></entry>"
                + "<entry key=\"line&#10;break\"><item>6</item></entry>"
                + "<entry key=\"-status\"><item>7</item></entry>"
                + "<x.y-z><item>8</item></x.y-z></counts>\n\n<items />");
        assertThat(ADAPTER.parse(signature, content)).isEqualTo(Map.of("counts", value, "items", List.of()));
    }

    @Test
    void escapesAmpersandsAndOpeningBracketsInStringOutputsOnly() {
        Signature signature = Signature.parse("code -> result");

        String content = ADAPTER.assistantContent(signature, Map.of("result", "print('</result> & done')"), null);

        assertThat(content).isEqualTo("<result>\nprint('&lt;/result> &amp; done')\n</result>");
        assertThat(ADAPTER.parse(signature, content)).containsEntry("result", "print('</result> & done')");
        assertThat(ADAPTER.format(signature, List.of(), Map.of("code", "a < b & c")).get(1).text())
                .startsWith("<code>\na < b & c\n</code>");
    }

    @Test
    void writesMissingAndNoneOutputsOfIncompleteDemosAsText() {
        Signature signature = Signature.parse("passage -> summary, keywords: list[str]");

        List<Message> messages = ADAPTER.format(signature,
                List.of(Example.of("passage", "P", "summary", "S")), Map.of("passage", "Q"));

        assertThat(messages.get(1).text()).isEqualTo("This is an example of the task, though some input or "
                + "output fields are not supplied.\n\n<passage>\nP\n</passage>");
        assertThat(messages.get(2).text()).isEqualTo(
                "<summary>\nS\n</summary>\n\n<keywords>\nNot supplied for this particular example. \n</keywords>");
    }

    @Test
    void parsesTagsInAnyOrderStrippingWhiteSpaceAndCastingTypes() {
        Signature signature = Signature.parse(
                "question -> answer, is_correct: bool, flagged: bool, confidence: float, lengths: list[int]");

        Map<String, Object> parsed = ADAPTER.parse(signature, "\n  <confidence> 0.90 </confidence>\n<answer>\n  "
                + "Paris\n</answer>\n<is_correct>True</is_correct><flagged>false</flagged>\n"
                + "<lengths><item>3</item><item> 5 </item></lengths>\n");

        assertThat(parsed).containsExactly(Map.entry("answer", "Paris"), Map.entry("is_correct", true),
                Map.entry("flagged", false), Map.entry("confidence", 0.9), Map.entry("lengths", List.of(3L, 5L)));
    }

    @Test
    void parsesAListOfRecordsWhoseChildrenComeInAnyOrder() {
        Signature signature = outputs(Field.output("items", new FieldType.ListType(LINE_ITEM)),
                Field.output("currency", FieldType.STR));

        Map<String, Object> parsed = ADAPTER.parse(signature, "<items><item><sku>A-1</sku><quantity>2</quantity>"
                + "<unit_price>0.90</unit_price></item><item><unit_price>3</unit_price><sku>B-2</sku>"
                + "<quantity>1</quantity></item></items>\n<currency>EUR</currency>");

        assertThat(parsed).isEqualTo(Map.of(
                "items", List.of(Map.of("sku", "A-1", "quantity", 2L, "unit_price", 0.9),
                        Map.of("sku", "B-2", "quantity", 1L, "unit_price", 3.0)),
                "currency", "EUR"));
    }

    @Test
    void groupsRepeatedChildrenIntoLists() {
        FieldType counts = new FieldType.DictType(FieldType.STR, new FieldType.ListType(FieldType.INT));
        Signature signature = outputs(Field.output("counts", counts));

        assertThat(ADAPTER.parse(signature, "<counts><first>3</first><first>4</first><second>5</second></counts>"))
                .isEqualTo(Map.of("counts", Map.of("first", List.of(3L, 4L), "second", List.of(5L))));
        assertThat(ADAPTER.parse(signature, "<counts />")).isEqualTo(Map.of("counts", Map.of()));
    }

    @Test
    void acceptsJsonInsideAnOuterTag() {
        Signature signature = outputs(Field.output("items", new FieldType.ListType(LINE_ITEM)));

        Map<String, Object> parsed = ADAPTER.parse(signature,
                "<items>[{\"sku\": \"A\", \"quantity\": 1, \"unit_price\": 2.5}]</items>");

        assertThat(parsed).isEqualTo(Map.of("items", List.of(Map.of("sku", "A", "quantity", 1L, "unit_price", 2.5))));
    }

    @Test
    void readsEmptyOptionalsAsNoneAndFillsMissingOnes() {
        Signature signature = outputs(
                Field.output("text", new FieldType.OptionalType(FieldType.STR, true)),
                Field.output("profile", new FieldType.OptionalType(record("Profile", "name", FieldType.STR), true)),
                Field.output("count", new FieldType.OptionalType(FieldType.INT, false)));

        Map<String, Object> parsed = ADAPTER.parse(signature, "<text /><profile><name>Ann</name></profile>");

        assertThat(parsed).containsEntry("text", null).containsEntry("profile", Map.of("name", "Ann"))
                .containsEntry("count", null);
    }

    @Test
    void keepsMarkupInsideAStringOutput() {
        Signature signature = Signature.parse("q -> answer");

        assertThat(ADAPTER.parse(signature, "<answer>Use <b>bold</b> text</answer>"))
                .containsEntry("answer", "Use <b>bold</b> text");
    }

    @Test
    void failsOnMalformedXmlWithPythonsParserMessage() {
        Signature signature = Signature.parse("question -> answer, confidence: float");
        String reply = "<answer>Paris</answer>\n<confidence>0.9</confidance>";

        assertThatThrownBy(() -> ADAPTER.parse(signature, reply))
                .isInstanceOf(AdapterParseException.class)
                .hasMessage("Failed to parse XML: mismatched tag: line 2, column 17\n\nAdapter XMLAdapter failed to "
                        + "parse the LM response. \n\nLM Response: " + reply + " \n\nExpected to find output fields "
                        + "in the LM response: [answer, confidence] \n\n");
    }

    @Test
    void failsWhenARequiredOutputIsMissing() {
        Signature signature = Signature.parse("question -> answer, explanation");

        assertThatThrownBy(() -> ADAPTER.parse(signature, "<answer>Paris</answer>"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageEndingWith("Expected to find output fields in the LM response: [answer, explanation] "
                        + "\n\nActual output fields parsed from the LM response: [answer] \n\n");
    }

    @Test
    void failsWhenAValueDoesNotFitItsType() {
        Signature signature = Signature.parse("question -> number: int");

        assertThatThrownBy(() -> ADAPTER.parse(signature, "<number>not_a_number</number>"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageStartingWith("Failed to parse field annotation=int required=True")
                .hasMessageContaining("with value not_a_number: ");
    }

    @Test
    void fallsBackToTheJsonAdapterUnlessTurnedOff() {
        assertThat(ADAPTER.name()).isEqualTo("XMLAdapter");
        assertThat(ADAPTER.fallback()).isInstanceOf(JsonAdapter.class);
        assertThat(ADAPTER.withoutFallback().fallback()).isNull();
        assertThat(ADAPTER.withoutFallback().usesJsonFallback()).isFalse();
    }
}
