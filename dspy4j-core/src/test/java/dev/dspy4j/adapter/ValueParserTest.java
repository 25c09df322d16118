package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.signature.FieldType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueParserTest {

    enum Label { POSITIVE, NEGATIVE;
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    record Score(double score, List<String> tags) {}

    private static final FieldType.EnumType LABEL = new FieldType.EnumType("Label",
            Map.of("POSITIVE", "positive"), null);

    @Test
    void parsesScalarsWithPydanticLaxRules() {
        assertThat(ValueParser.parseValue(" 42 ", FieldType.INT)).isEqualTo(42L);
        assertThat(ValueParser.parseValue("3.0", FieldType.INT)).isEqualTo(3L);
        assertThat(ValueParser.parseValue("0.90", FieldType.FLOAT)).isEqualTo(0.9);
        assertThat(ValueParser.parseValue("3", FieldType.FLOAT)).isEqualTo(3.0);
        assertThat(ValueParser.parseValue("True", FieldType.BOOL)).isEqualTo(true);
        assertThat(ValueParser.parseValue("false", FieldType.BOOL)).isEqualTo(false);
        assertThat(ValueParser.parseValue("yes", FieldType.BOOL)).isEqualTo(true);
    }

    @Test
    void keepsTextForStrAndOptionalStr() {
        assertThat(ValueParser.parseValue("[1, 2]", FieldType.STR)).isEqualTo("[1, 2]");
        assertThat(ValueParser.parseValue("None", new FieldType.OptionalType(FieldType.STR, true))).isEqualTo("None");
    }

    @Test
    void parsesNoneForOptionalTypes() {
        assertThat(ValueParser.parseValue("None", new FieldType.OptionalType(FieldType.INT, true))).isNull();
        assertThat(ValueParser.parseValue("null", new FieldType.OptionalType(FieldType.INT, true))).isNull();
    }

    @Test
    void parsesContainers() {
        assertThat(ValueParser.parseValue("[1, 2, 3]", new FieldType.ListType(FieldType.INT))).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(ValueParser.parseValue("{\"x\": 1}", new FieldType.DictType(FieldType.STR, FieldType.INT)))
                .isEqualTo(Map.of("x", 1L));
    }

    @Test
    void stripsLiteralWrappersAndQuotes() {
        FieldType.LiteralType type = new FieldType.LiteralType(List.of("positive", "negative"));
        assertThat(ValueParser.parseValue("Literal['positive']", type)).isEqualTo("positive");
        assertThat(ValueParser.parseValue("\"negative\"", type)).isEqualTo("negative");
        assertThatThrownBy(() -> ValueParser.parseValue("maybe", type))
                .hasMessage("'maybe' is not one of ('positive', 'negative')");
    }

    @Test
    void matchesEnumsByValueThenName() {
        assertThat(ValueParser.parseValue("positive", LABEL)).isEqualTo("positive");
        assertThat(ValueParser.parseValue("POSITIVE", LABEL)).isEqualTo("positive");
        FieldType.EnumType typed = new FieldType.EnumType("Label",
                Map.of("POSITIVE", "positive", "NEGATIVE", "negative"), Label.class);
        assertThat(ValueParser.parseValue("negative", typed)).isEqualTo(Label.NEGATIVE);
        assertThatThrownBy(() -> ValueParser.parseValue("meh", LABEL))
                .hasMessage("meh is not a valid name or value for the enum Label");
    }

    @Test
    void buildsRecordsInDeclaredOrderOrAsJavaRecords() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("score", FieldType.FLOAT);
        fields.put("tags", new FieldType.ListType(FieldType.STR));
        Object dynamic = ValueParser.parseValue("{'tags': ['a'], 'score': 123_456.789}",
                new FieldType.RecordType("Score", fields, null));
        assertThat(dynamic).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) dynamic).keySet())).isEqualTo(List.of("score", "tags"));
        Object typed = ValueParser.parseValue("{\"score\": 1, \"tags\": []}", new FieldType.RecordType("Score", fields,
                Score.class));
        assertThat(typed).isEqualTo(new Score(1.0, List.of()));
    }

    @Test
    void errorsNameTheExpectedTypeInDspysWordsAndInJavaAndTheValueReceived() {
        assertThatThrownBy(() -> ValueParser.parseValue("abc", FieldType.INT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value does not fit int (Java Long): expected an integer, but the text is not a whole "
                        + "number; got 'abc' (str)");
        assertThatThrownBy(() -> ValueParser.parseValue("[1, \"x\"]", new FieldType.ListType(FieldType.INT)))
                .hasMessageContaining("converting the value to list[int] (Java List<Long>):\n  1: expected an integer")
                .hasMessageNotContaining("pydantic").hasMessageNotContaining("http");
        assertThatThrownBy(() -> ValueParser.parseValue("[\"maybe\"]",
                new FieldType.ListType(new FieldType.LiteralType(List.of("yes", "no")))))
                .hasMessageContaining("expected one of the allowed values 'yes' or 'no'; got 'maybe' (str)");
    }
}
