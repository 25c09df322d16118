package dev.dspy4j.cli;

import dev.dspy4j.data.Example;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes the CLI's JSON lines: one JSON object per line, blank lines skipped. */
final class JsonLines {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * One input line: its number (from 1) and its object, or why it is not one.
     *
     * @param line the line number in the input
     * @param values the object's fields, empty if the line is malformed
     * @param problem why the line is not a JSON object, or {@code null}
     */
    record Row(int line, Map<String, Object> values, @Nullable String problem) {}

    private JsonLines() {}

    /** The rows of a file, or of {@code in} if {@code file} is {@code null}. */
    static List<Row> read(@Nullable Path file, InputStream in, String option) {
        if (file != null) {
            ProgramOptions.requireReadable(file, option);
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return read(reader);
            } catch (IOException e) {
                throw CliException.input(option + " " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw CliException.input("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** The rows of a file as examples; a malformed line is an input error naming the line. */
    static List<Example> examples(Path file, String option) {
        List<Example> examples = new ArrayList<>();
        for (Row row : read(file, InputStream.nullInputStream(), option)) {
            if (row.problem() != null) {
                throw CliException.input(option + " " + file + ", line " + row.line() + ": " + row.problem());
            }
            examples.add(Example.of(row.values()));
        }
        if (examples.isEmpty()) {
            throw CliException.input(option + " " + file + " holds no JSON lines");
        }
        return examples;
    }

    private static List<Row> read(BufferedReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            rows.add(parse(number, line));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Row parse(int number, String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (!node.isObject()) {
                return new Row(number, Map.of(), "not a JSON object: " + abbreviate(line));
            }
            return new Row(number, MAPPER.treeToValue(node, LinkedHashMap.class), null);
        } catch (JacksonException e) {
            return new Row(number, Map.of(), "not JSON: " + e.getOriginalMessage());
        }
    }

    /** A value as JSON: as Jackson writes it, or as its string if Jackson cannot. */
    static JsonNode toJson(@Nullable Object value) {
        try {
            return MAPPER.valueToTree(value);
        } catch (JacksonException | IllegalArgumentException e) {
            return MAPPER.getNodeFactory().stringNode(String.valueOf(value));
        }
    }

    /** A map of values as a JSON object, in the map's order. */
    static JsonNode toJson(Map<String, ?> values) {
        var object = MAPPER.createObjectNode();
        values.forEach((key, value) -> object.set(key, toJson(value)));
        return object;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException("cannot write JSON: " + e.getOriginalMessage(), e));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
