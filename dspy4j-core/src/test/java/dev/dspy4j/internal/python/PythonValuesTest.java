package dev.dspy4j.internal.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Name;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PythonValuesTest {

    enum Mood {
        HAPPY, SAD;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    record Person(String fullName, @Name("years") int age, Optional<Mood> mood) {}

    @Test
    void rendersFloatsAsPythonRepr() {
        assertThat(PythonValues.floatRepr(0.4)).isEqualTo("0.4");
        assertThat(PythonValues.floatRepr(100.0)).isEqualTo("100.0");
        assertThat(PythonValues.floatRepr(1e-05)).isEqualTo("1e-05");
        assertThat(PythonValues.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PythonValues.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PythonValues.floatRepr(1234567890123456.0)).isEqualTo("1234567890123456.0");
        assertThat(PythonValues.floatRepr(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(PythonValues.floatRepr(-2.5)).isEqualTo("-2.5");
        assertThat(PythonValues.floatRepr(-0.0)).isEqualTo("-0.0");
        assertThat(PythonValues.floatRepr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PythonValues.floatRepr(Double.NaN)).isEqualTo("nan");
        assertThat(PythonValues.floatRepr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void rendersScalarsWithPythonStr() {
        assertThat(PythonValues.formatFieldValue(FieldType.BOOL, true)).isEqualTo("True");
        assertThat(PythonValues.formatFieldValue(FieldType.STR, null)).isEqualTo("None");
        assertThat(PythonValues.formatFieldValue(FieldType.INT, 5)).isEqualTo("5");
        assertThat(PythonValues.formatFieldValue(FieldType.FLOAT, 0.9f)).isEqualTo("0.9");
        assertThat(PythonValues.formatFieldValue(FieldType.STR, Mood.HAPPY)).isEqualTo("happy");
        assertThat(PythonValues.formatFieldValue(FieldType.STR, Optional.empty())).isEqualTo("None");
    }

    @Test
    void rendersListsAndMapsAsCompactJsonKeepingNonAscii() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of("ant", "axe"));
        map.put("é", "\"q\"\n");
        assertThat(PythonValues.formatFieldValue(new FieldType.ListType(FieldType.FLOAT), List.of(0.1, 0.9)))
                .isEqualTo("[0.1, 0.9]");
        assertThat(PythonValues.jsonDumps(map)).isEqualTo("{\"a\": [\"ant\", \"axe\"], \"é\": \"\\\"q\\\"\\n\"}");
    }

    @Test
    void rendersIndentedJsonLikePythonIndentTwo() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("answer", "A1");
        map.put("items", List.of(1, 2));
        map.put("empty", List.of());
        map.put("none", null);
        assertThat(PythonValues.jsonDumpsIndented(map)).isEqualTo(
                "{\n  \"answer\": \"A1\",\n  \"items\": [\n    1,\n    2\n  ],\n  \"empty\": [],\n  \"none\": null\n}");
    }

    @Test
    void numbersListValuesOfStrFields() {
        assertThat(PythonValues.formatFieldValue(FieldType.STR, List.of())).isEqualTo("N/A");
        assertThat(PythonValues.formatFieldValue(FieldType.STR, List.of("x"))).isEqualTo("«x»");
        assertThat(PythonValues.formatFieldValue(FieldType.STR, List.of("a", "b\nc")))
                .isEqualTo("[1] «a»\n[2] «««\n    b\n    c\n»»»");
    }

    @Test
    void rendersRecordsAsMapsOfPromptNames() {
        Person person = new Person("Ada", 36, Optional.of(Mood.HAPPY));
        assertThat(PythonValues.formatFieldValue(FieldType.ANY, person))
                .isEqualTo("{\"full_name\": \"Ada\", \"years\": 36, \"mood\": \"happy\"}");
    }

    @Test
    void quotesReprLikePython() {
        assertThat(PythonValues.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PythonValues.repr(List.of("a", true))).isEqualTo("['a', True]");
    }
}
