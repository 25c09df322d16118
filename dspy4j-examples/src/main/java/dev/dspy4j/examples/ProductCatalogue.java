package dev.dspy4j.examples;

import dev.dspy4j.signature.Desc;
import dev.dspy4j.tool.ToolFunction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The agent example's two tools over a small product catalogue shipped with the examples
 * ({@code products.csv}): a lookup and a calculator. Immutable and thread-safe.
 */
public final class ProductCatalogue {

    /** One product of the catalogue. */
    public record Product(String sku, String name, BigDecimal priceEur, int stock) {
        @Override
        public String toString() {
            return sku + ": " + name + ", " + priceEur + " EUR, " + (stock == 0 ? "out of stock" : stock + " in stock");
        }
    }

    private final List<Product> products;

    private ProductCatalogue(List<Product> products) {
        this.products = List.copyOf(products);
    }

    /** The catalogue shipped with the examples. */
    public static ProductCatalogue load() {
        try (InputStream in = Objects.requireNonNull(ProductCatalogue.class.getResourceAsStream("products.csv"),
                "products.csv is missing from the examples' resources");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Product> products = new ArrayList<>();
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    String[] cells = line.split(",");
                    products.add(new Product(cells[0], cells[1], new BigDecimal(cells[2]), Integer.parseInt(cells[3])));
                }
            }
            return new ProductCatalogue(products);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The products whose name contains every word of the query, as one line each. */
    @ToolFunction("Find products in the catalogue by words of their name; returns SKU, name, price and stock.")
    public List<String> findProducts(@Desc("words of the product name, e.g. 'desk lamp'") String query) {
        String[] words = query.toLowerCase(Locale.ROOT).split("\\s+");
        List<String> found = new ArrayList<>();
        for (Product product : products) {
            String name = product.name().toLowerCase(Locale.ROOT);
            boolean all = true;
            for (String word : words) {
                all &= name.contains(word);
            }
            if (all) {
                found.add(product.toString());
            }
        }
        return found.isEmpty() ? List.of("No product matches '" + query + "'.") : found;
    }

    /** Evaluates an arithmetic expression. */
    @ToolFunction("Evaluate an arithmetic expression with + - * / and parentheses; returns the number.")
    public static double calculate(@Desc("e.g. '2 * 39.90'") String expression) {
        return new Arithmetic(expression).evaluate();
    }

    /** A recursive-descent evaluator of {@code + - * / ( )} over decimal numbers. Not thread-safe. */
    private static final class Arithmetic {
        private final String text;
        private int at;

        Arithmetic(String text) {
            this.text = text.replace(" ", "");
        }

        double evaluate() {
            double value = sum();
            if (at != text.length()) {
                throw new IllegalArgumentException("Unexpected '" + text.charAt(at) + "' at " + at + " in " + text);
            }
            return value;
        }

        private double sum() {
            double value = product();
            while (at < text.length() && (peek() == '+' || peek() == '-')) {
                value = text.charAt(at++) == '+' ? value + product() : value - product();
            }
            return value;
        }

        private double product() {
            double value = factor();
            while (at < text.length() && (peek() == '*' || peek() == '/')) {
                value = text.charAt(at++) == '*' ? value * factor() : value / factor();
            }
            return value;
        }

        private double factor() {
            if (at < text.length() && peek() == '-') {
                at++;
                return -factor();
            }
            if (at < text.length() && peek() == '(') {
                at++;
                double value = sum();
                if (at >= text.length() || text.charAt(at++) != ')') {
                    throw new IllegalArgumentException("Missing ')' in " + text);
                }
                return value;
            }
            int start = at;
            while (at < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("Expected a number at " + start + " in " + text);
            }
            return Double.parseDouble(text.substring(start, at));
        }

        private char peek() {
            return text.charAt(at);
        }
    }
}
