package dev.dspy4j.adapter;

import dev.dspy4j.signature.CustomType;
import java.util.List;
import java.util.Map;

/** A user-defined field type for tests: an amount with its currency, written {@code 12.50 EUR}. */
public final class MoneyType implements CustomType<MoneyType.Money> {

    /** A value of the type. */
    @dev.dspy4j.signature.CustomFieldType(MoneyType.class)
    public record Money(double amount, String currency) {}

    @Override
    public String name() {
        return "Money";
    }

    @Override
    public Class<Money> valueClass() {
        return Money.class;
    }

    @Override
    public String description() {
        return "An amount with its currency, written like 12.50 EUR.";
    }

    @Override
    public Formatted format(Money value) {
        return Formatted.text(String.format(java.util.Locale.ROOT, "%.2f %s", value.amount(), value.currency()));
    }

    @Override
    public Money parse(Object value) {
        if (value instanceof Map<?, ?> map && map.get("amount") instanceof Number n && map.get("currency") instanceof String c) {
            return new Money(n.doubleValue(), c);
        }
        if (value instanceof String text) {
            String[] parts = text.strip().split("\\s+");
            if (parts.length == 2) {
                try {
                    return new Money(Double.parseDouble(parts[0]), parts[1]);
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
        }
        throw new IllegalArgumentException("Money must be written like 12.50 EUR, not " + value);
    }

    @Override
    public Map<String, Object> jsonSchema() {
        return Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "number"),
                "currency", Map.of("type", "string")), "required", List.of("amount", "currency"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MoneyType;
    }

    @Override
    public int hashCode() {
        return MoneyType.class.hashCode();
    }
}
