package dev.dspy4j.examples;

import dev.dspy4j.data.Example;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The labelled support tickets shipped with the examples ({@code support-tickets.jsonl}): 30
 * tickets, ten per category, interleaved so that any prefix is balanced.
 */
final class SupportTickets {

    private SupportTickets() {}

    /** Every ticket as an example with input {@code ticket_text} and label {@code category}. */
    @SuppressWarnings("unchecked")
    static List<Example> load() {
        JsonMapper json = JsonMapper.builder().build();
        try (InputStream in = SupportTickets.class.getResourceAsStream("support-tickets.jsonl")) {
            if (in == null) {
                throw new IllegalStateException("support-tickets.jsonl is missing from the examples' resources");
            }
            List<Example> examples = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    examples.add(Example.of(json.readValue(line, Map.class)).withInputs("ticket_text"));
                }
            }
            return List.copyOf(examples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
