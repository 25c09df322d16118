package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ByValueTest {

    @Test
    void anIntReadFromJsonEqualsTheLongAPredictionHolds() {
        assertThat(ByValue.equal(3, 3L)).isTrue();
        assertThat(ByValue.equal(3L, 3.0)).isTrue();
        assertThat(ByValue.equal(new BigInteger("12345678901234567890"), new BigDecimal("12345678901234567890.0")))
                .isTrue();
        assertThat(ByValue.equal(0.85, new BigDecimal("0.85"))).isTrue();
    }

    @Test
    void differentNumbersBooleansAndNonNumbersStayApart() {
        assertThat(ByValue.equal(3, 4L)).isFalse();
        assertThat(ByValue.equal(3, 3.5)).isFalse();
        assertThat(ByValue.equal(true, 1L)).isFalse();
        assertThat(ByValue.equal("3", 3L)).isFalse();
        assertThat(ByValue.equal(null, 0L)).isFalse();
        assertThat(ByValue.equal(Double.NaN, Double.NaN)).isTrue();
        assertThat(ByValue.equal(Double.POSITIVE_INFINITY, 1e308)).isFalse();
    }

    @Test
    void listsCompareItemByItemInOrderAndMapsKeyByKeyInAnyOrder() {
        Map<String, Object> fromJson = new LinkedHashMap<>();
        fromJson.put("scores", List.of(1, 2));
        fromJson.put("nested", Map.of("n", 5));
        Map<String, Object> predicted = new LinkedHashMap<>();
        predicted.put("nested", Map.of("n", 5L));
        predicted.put("scores", List.of(1L, 2L));

        assertThat(ByValue.equal(fromJson, predicted)).isTrue();
        assertThat(ByValue.equal(List.of(1, 2), List.of(2L, 1L))).isFalse();
        assertThat(ByValue.equal(List.of(1), List.of(1L, 2L))).isFalse();
        assertThat(ByValue.equal(Map.of("a", 1), Map.of("b", 1L))).isFalse();
        assertThat(predicted).usingComparator(ByValue.COMPARATOR, "by value").isEqualTo(fromJson);
    }
}
