package dev.dspy4j.cli;

import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Message;
import dev.dspy4j.trace.LmCall;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The LM history file of {@code run --history}: one JSON object per LM call, oldest first, with
 * {@code timestamp}, {@code model}, {@code messages} ({@code role}, {@code content} as text; media
 * as a short tag without its data), {@code outputs}, {@code usage} and {@code cache_hit}. Holds
 * no credentials: {@link LmCall} drops credential-like options, and requests carry none.
 */
final class HistoryFile {

    /** The most calls one run records (the oldest are dropped beyond it). */
    static final int MAX_CALLS = 100_000;

    /**
     * One recorded call, as {@code history} prints it.
     *
     * @param timestamp when it finished, ISO-8601
     * @param model the model
     * @param messages each message sent
     * @param outputs the text of each choice
     */
    record Entry(String timestamp, String model, List<Sent> messages, List<String> outputs) {}

    /**
     * One message of a recorded call.
     *
     * @param role the wire role: system, user, assistant, tool
     * @param content its text, media as a short tag
     */
    record Sent(String role, String content) {}

    private HistoryFile() {}

    static void write(Path file, List<LmCall> calls) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LmCall call : calls) {
                writer.write(JsonLines.write(toJson(call)));
                writer.newLine();
            }
        }
    }

    private static ObjectNode toJson(LmCall call) {
        ObjectNode node = JsonLines.MAPPER.createObjectNode();
        node.put("timestamp", call.timestamp().toString());
        node.put("model", call.model());
        var messages = node.putArray("messages");
        for (Message message : call.messages()) {
            ObjectNode entry = messages.addObject();
            entry.put("role", message.role().wireName());
            entry.put("content", text(message));
        }
        var outputs = node.putArray("outputs");
        call.outputs().forEach(outputs::add);
        ObjectNode usage = node.putObject("usage");
        usage.put("prompt_tokens", call.usage().promptTokens());
        usage.put("completion_tokens", call.usage().completionTokens());
        node.put("cache_hit", call.cacheHit());
        return node;
    }

    private static String text(Message message) {
        if (message.isTextOnly()) {
            return message.text();
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : message.content()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(switch (part) {
                case ContentPart.Text t -> t.text();
                case ContentPart.Image image -> "<image>";
                case ContentPart.Audio audio -> "<audio>";
                case ContentPart.File f -> "<file>";
                case ContentPart.Document document -> "<document>";
            });
        }
        return text.toString();
    }

    static List<Entry> read(Path file) {
        List<Entry> entries = new ArrayList<>();
        for (JsonLines.Row row : JsonLines.read(file, java.io.InputStream.nullInputStream(), "history file")) {
            if (row.problem() != null) {
                throw CliException.input("history file " + file + ", line " + row.line() + ": " + row.problem());
            }
            JsonNode node = JsonLines.MAPPER.valueToTree(row.values());
            List<Sent> messages = new ArrayList<>();
            for (JsonNode message : node.path("messages")) {
                messages.add(new Sent(message.path("role").asString(""), message.path("content").asString("")));
            }
            List<String> outputs = new ArrayList<>();
            for (JsonNode output : node.path("outputs")) {
                outputs.add(output.asString(""));
            }
            if (!node.has("messages") || !node.has("timestamp")) {
                throw CliException.input("history file " + file + ", line " + row.line()
                        + ": not an LM call (no timestamp or messages); write one with dspy4j run --history FILE");
            }
            entries.add(new Entry(node.path("timestamp").asString(""), node.path("model").asString(""), messages,
                    outputs));
        }
        return entries;
    }
}
