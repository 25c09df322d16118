package dev.dspy4j.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static BigDecimal input(PriceTable table, String model) {
        return table.priceFor(model).orElseThrow().inputPerMillion();
    }

    @Test
    void findsAModelWithOrWithoutItsProviderPrefix() {
        PriceTable table = PriceTable.builtIn();

        assertThat(input(table, "openai/gpt-4o-mini")).isEqualByComparingTo("0.15");
        assertThat(input(table, "gpt-4o-mini")).isEqualByComparingTo("0.15");
        assertThat(input(table, "azure/gpt-4o-mini")).isEqualByComparingTo("0.15");
    }

    @Test
    void findsDatedSnapshotsByTheLongestPricedName() {
        PriceTable table = PriceTable.builtIn();

        assertThat(input(table, "gpt-4o-mini-2024-07-18")).isEqualByComparingTo("0.15");
        assertThat(input(table, "gpt-4o-2024-08-06")).isEqualByComparingTo("2.50");
        assertThat(input(table, "anthropic/claude-opus-4-1-20250805")).isEqualByComparingTo("15.00");
        assertThat(input(table, "claude-sonnet-4-20250514")).isEqualByComparingTo("3.00");
    }

    @Test
    void doesNotMatchANameThatOnlySharesAPrefixWithoutADash() {
        assertThat(PriceTable.builtIn().priceFor("gpt-4omega")).isEmpty();
        assertThat(PriceTable.builtIn().priceFor("ollama_chat/llama3.2")).isEmpty();
        assertThat(PriceTable.builtIn().priceFor(null)).isEmpty();
    }

    @Test
    void userPricesOverrideBuiltInOnesAndPrefixedNamesMatchBareOnes() {
        PriceTable table = PriceTable.builtIn().with("gpt-4o-mini", "1", "2").with("openai/ft:my-model", "0.3", "1.2");

        assertThat(input(table, "openai/gpt-4o-mini")).isEqualByComparingTo("1");
        assertThat(input(table, "ft:my-model")).isEqualByComparingTo("0.3");
        assertThat(PriceTable.builtIn().priceFor("ft:my-model")).isEmpty();
    }

    @Test
    void computesCostExactly() {
        PriceTable table = PriceTable.empty().with("m", "3.00", "15.00");

        assertThat(table.cost("m", new Usage(1, 1))).contains(new BigDecimal("0.000018"));
        assertThat(table.cost("other", new Usage(1, 1))).isEmpty();
    }

    @Test
    void rejectsNegativeOrMalformedPrices() {
        assertThatThrownBy(() -> PriceTable.empty().with("m", "-1", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> PriceTable.empty().with("m", "one", "1")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> PriceTable.empty().with(" ", "1", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
