package dev.dspy4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionTest {

    /** Outputs as the adapters parse them: Python ints are Longs (or BigIntegers), floats Doubles. */
    private static Prediction parsed(Object value) {
        Map<String, Object> values = new HashMap<>();
        values.put("x", value);
        return Prediction.of(values);
    }

    @Test
    void readsAParsedIntAsEveryWholeNumberTypeThatHoldsIt() {
        // given
        Prediction prediction = parsed(3L);

        // when / then
        assertThat(prediction.get("x", Integer.class)).isEqualTo(3);
        assertThat(prediction.get("x", int.class)).isEqualTo(3);
        assertThat(prediction.get("x", Long.class)).isEqualTo(3L);
        assertThat(prediction.get("x", long.class)).isEqualTo(3L);
        assertThat(prediction.get("x", Short.class)).isEqualTo((short) 3);
        assertThat(prediction.get("x", byte.class)).isEqualTo((byte) 3);
        assertThat(prediction.get("x", BigInteger.class)).isEqualTo(BigInteger.valueOf(3));
        assertThat(prediction.get("x", BigDecimal.class)).isEqualByComparingTo("3");
        assertThat(prediction.get("x", Double.class)).isEqualTo(3.0);
        assertThat(prediction.get("x", float.class)).isEqualTo(3.0f);
    }

    @Test
    void readsAWholeFloatAsAnInt() {
        // given
        Prediction prediction = parsed(3.0);

        // when / then
        assertThat(prediction.get("x", Integer.class)).isEqualTo(3);
        assertThat(prediction.get("x", Long.class)).isEqualTo(3L);
        assertThat(prediction.get("x", BigInteger.class)).isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void readsAFloatAsTheDecimalItPrintsAs() {
        // given
        Prediction prediction = parsed(0.85);

        // when / then
        assertThat(prediction.get("x", Float.class)).isEqualTo(0.85f);
        assertThat(prediction.get("x", BigDecimal.class)).isEqualTo(new BigDecimal("0.85"));
        assertThat(prediction.get("x", double.class)).isEqualTo(0.85);
    }

    @Test
    void refusesToReadAFractionAsAnIntNamingTheFieldTheValueAndTheType() {
        // given
        Prediction prediction = parsed(3.5);

        // when / then
        assertThatThrownBy(() -> prediction.get("x", Integer.class))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("3.5")
                .hasMessageContaining("Integer")
                .hasMessageContaining("not a whole number");
    }

    @Test
    void refusesToReadALongOutsideTheRangeOfAnInt() {
        // given
        Prediction prediction = parsed(3_000_000_000L);

        // when / then
        assertThatThrownBy(() -> prediction.get("x", int.class))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("3000000000")
                .hasMessageContaining("int")
                .hasMessageContaining("outside the range of Integer (-2147483648 to 2147483647)");
        assertThat(parsed(3_000_000_000L).get("x", Long.class)).isEqualTo(3_000_000_000L);
    }

    @Test
    void refusesToReadAHugeIntAsALongAndAnUnrepresentableOneAsADouble() {
        // given
        Prediction huge = parsed(new BigInteger("123456789012345678901234567890"));
        Prediction beyondDoublePrecision = parsed(9_007_199_254_740_993L);

        // when / then
        assertThatThrownBy(() -> huge.get("x", Long.class)).hasMessageContaining("outside the range of Long");
        assertThat(huge.get("x", BigDecimal.class)).isEqualByComparingTo("123456789012345678901234567890");
        assertThatThrownBy(() -> beyondDoublePrecision.get("x", Double.class))
                .hasMessageContaining("9007199254740993")
                .hasMessageContaining("a Double cannot hold it exactly");
    }

    @Test
    void refusesToReadAFloatWithMoreDigitsThanAFloatKeeps() {
        // given
        Prediction prediction = parsed(0.123456789);

        // when / then
        assertThatThrownBy(() -> prediction.get("x", Float.class)).hasMessageContaining("a Float cannot hold it exactly");
    }

    @Test
    void refusesToReadInfinityOrNanAsAWholeNumber() {
        assertThatThrownBy(() -> parsed(Double.NaN).get("x", Long.class)).hasMessageContaining("not a finite number");
        assertThat(parsed(Double.POSITIVE_INFINITY).get("x", Float.class)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void neverConvertsStringsOrBooleansToNumbers() {
        assertThatThrownBy(() -> parsed("3").get("x", Integer.class))
                .isInstanceOf(DspyException.class).hasMessageContaining("Output 'x' is a String (3)");
        assertThatThrownBy(() -> parsed(true).get("x", int.class)).isInstanceOf(DspyException.class);
    }

    @Test
    void readsNoneAsNullForABoxedTypeButRefusesAPrimitive() {
        // given
        Prediction prediction = parsed(null);

        // when / then
        assertThat(prediction.get("x", Integer.class)).isNull();
        assertThatThrownBy(() -> prediction.get("x", int.class))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("'x' is None")
                .hasMessageContaining("Integer.class");
    }

    @Test
    void returnsValuesOfTheRequestedTypeUnchanged() {
        assertThat(parsed(3L).get("x", Number.class)).isEqualTo(3L);
        assertThat(parsed("text").get("x", String.class)).isEqualTo("text");
        assertThat(parsed(true).get("x", boolean.class)).isTrue();
    }

    @Test
    void namesTheOutputsPresentWhenTheRequestedOneIsAbsent() {
        assertThatThrownBy(() -> parsed(1L).get("y", Integer.class)).hasMessageContaining("no output 'y'")
                .hasMessageContaining("[x]");
    }
}
