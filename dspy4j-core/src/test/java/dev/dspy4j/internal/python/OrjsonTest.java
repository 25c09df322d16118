package dev.dspy4j.internal.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.data.Example;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrjsonTest {

    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0",
        "0.75, 0.75",
        "12.34, 12.34",
        "-2.5, -2.5",
        "0.0001, 0.0001",
        "0.00001, 0.00001",
        "0.000001, 1e-6",
        "0.0000012345, 1.2345e-6",
        "1e15, 1000000000000000.0",
        "1e16, 1e16",
        "1.5e20, 1.5e20",
        "123456789012345680.0, 1.2345678901234568e17",
        "-0.0, -0.0",
        "0.1, 0.1",
        "0.30000000000000004, 0.30000000000000004",
    })
    void floatsAreWrittenInRyusShortestForm(double value, String expected) {
        assertThat(Orjson.floatText(value)).isEqualTo(expected);
    }

    @Test
    void nonFiniteFloatsAreWrittenAsNullAsOrjsonDoes() {
        assertThat(Orjson.floatText(Double.NaN)).isEqualTo("null");
        assertThat(Orjson.floatText(Double.NEGATIVE_INFINITY)).isEqualTo("null");
    }

    @Test
    void nestedValuesAreIndentedByTwoSpacesWithExamplesAsTheirMaps() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("question", "Où est \"Paris\"?\n");
        value.put("scores", List.of(1.0, 0.5));
        value.put("empty", Map.of());
        value.put("example", Example.of(Map.of("a", 1)));
        value.put("thread", Thread.State.NEW);
        value.put("other", new Object());

        assertThat(Orjson.dumpsIndented(value)).isEqualTo("""
                {
                  "question": "Où est \\"Paris\\"?\\n",
                  "scores": [
                    1.0,
                    0.5
                  ],
                  "empty": {},
                  "example": {
                    "a": 1
                  },
                  "thread": "NEW",
                  "other": "<non-serializable: Object>"
                }""");
    }
}
