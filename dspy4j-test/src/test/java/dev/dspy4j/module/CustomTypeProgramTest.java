package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.signature.CustomFieldType;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A typed program whose records use a user-defined field type, in and out. */
class CustomTypeProgramTest {

    /** Temperatures written {@code 21.5°C}. */
    public static final class CelsiusType implements CustomType<Celsius> {
        @Override
        public String name() {
            return "Celsius";
        }

        @Override
        public Class<Celsius> valueClass() {
            return Celsius.class;
        }

        @Override
        public String description() {
            return "A temperature in degrees Celsius, written like 21.5°C.";
        }

        @Override
        public Formatted format(Celsius value) {
            return Formatted.text(value.degrees() + "°C");
        }

        @Override
        public Celsius parse(Object value) {
            if (value instanceof Number n) {
                return new Celsius(n.doubleValue());
            }
            String text = String.valueOf(value).strip();
            if (!text.endsWith("°C")) {
                throw new IllegalArgumentException("write a temperature like 21.5°C, not " + text);
            }
            return new Celsius(Double.parseDouble(text.substring(0, text.length() - 2)));
        }

        @Override
        public Map<String, Object> jsonSchema() {
            return Map.of("type", "string", "pattern", "^-?[0-9.]+°C$");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CelsiusType;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    @CustomFieldType(CelsiusType.class)
    public record Celsius(double degrees) {}

    public record Readings(List<Celsius> readings) {}

    public record Summary(Celsius mean) {}

    @Test
    void aTypedPredictWritesAndReadsTheUserTypeThroughItsCodec() {
        // given
        ScriptedLm lm = ScriptedLm.replying("[[ ## mean ## ]]\n20.0°C\n\n[[ ## completed ## ]]");
        TypedModule<Readings, Summary> summarize = Predict.typed(Readings.class, Summary.class);

        // when
        Summary summary = summarize.call(new Readings(List.of(new Celsius(19), new Celsius(21))), DspyContext.of(lm));

        // then
        assertThat(summary).isEqualTo(new Summary(new Celsius(20)));
        String system = lm.lastRequest().messages().get(0).text();
        assertThat(system).contains("1. `readings` (list[Celsius]): \n"
                + "    Type description of Celsius: A temperature in degrees Celsius, written like 21.5°C.");
        assertThat(system).contains("{mean}        # note: the value you produce must adhere to the JSON schema: ");
        assertThat(lm.lastRequest().messages().get(1).text())
                .startsWith("[[ ## readings ## ]]\n[\"19.0°C\", \"21.0°C\"]\n\n");
    }

    public record Reading(Celsius reading) {}

    @Test
    void aSavedDemoHoldsTheFormattedTextAsDspySavesADspyTypeAndRendersTheSameAfterLoading(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // given
        dev.dspy4j.data.Example demo = dev.dspy4j.data.Example.of("reading", new Celsius(18.5), "mean", new Celsius(18.5));
        TypedModule<Reading, Summary> original = Predict.typed(Reading.class, Summary.class)
                .mapState((path, s) -> s.withDemos(List.of(demo)));
        java.nio.file.Path file = dir.resolve("p.json");

        // when
        original.save(file);
        TypedModule<Reading, Summary> loaded = Predict.typed(Reading.class, Summary.class).load(file);
        ScriptedLm before = ScriptedLm.replying("[[ ## mean ## ]]\n1.0°C\n\n[[ ## completed ## ]]");
        ScriptedLm after = ScriptedLm.replying("[[ ## mean ## ]]\n1.0°C\n\n[[ ## completed ## ]]");
        original.call(new Reading(new Celsius(1)), DspyContext.of(before));
        loaded.call(new Reading(new Celsius(1)), DspyContext.of(after));

        // then
        assertThat(java.nio.file.Files.readString(file)).contains("\"reading\": \"18.5°C\"", "\"mean\": \"18.5°C\"");
        assertThat(after.lastRequest().messages()).isEqualTo(before.lastRequest().messages());
    }
}
