package dev.dspy4j.spark.example;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a labelled support-ticket data set as JSON lines, to try {@link TicketTriageJob} on:
 * {@code GenerateTickets <rows> <file.jsonl> [prefix]}. Each line is
 * {@code {"id": N, "ticket_text": "...", "category": "billing|technical|account"}}, the three queues
 * interleaved so that any prefix is balanced; the texts are made from a few templates and a
 * numbered item, so that every row is distinct (no row is a cache hit for another).
 *
 * <p>The templates use the keywords that decide the queue of the test kit's simulated ticket model
 * ({@code charged}/{@code invoice}/{@code refund}: billing, {@code password}/{@code login}:
 * account, anything else: technical), so a fake LM server can answer them realistically.
 */
public final class GenerateTickets {

    private static final String[][] TEMPLATES = {
        {"I was charged twice for %s.", "The invoice for %s shows the wrong plan.", "Please refund %s, I cancelled it."},
        {"The app crashes when I open %s.", "Exports of %s come out empty.", "Sync of %s has been stuck for hours."},
        {"I cannot reset the password for %s.", "The login page rejects me on %s.",
            "Two-factor login for %s never sends a code."},
    };
    private static final String[] CATEGORIES = {"billing", "technical", "account"};

    private GenerateTickets() {}

    /**
     * {@code count} labelled tickets as rows ({@code id}, {@code ticket_text}, {@code category}),
     * deterministic for a given prefix.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static List<Map<String, Object>> tickets(String prefix, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, got " + count);
        }
        List<Map<String, Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int queue = i % 3;
            String[] templates = TEMPLATES[queue];
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", (long) i);
            row.put("ticket_text", String.format(templates[(i / 3) % templates.length], prefix + " item " + i));
            row.put("category", CATEGORIES[queue]);
            rows.add(row);
        }
        return rows;
    }

    /**
     * Writes {@link #tickets} to {@code file} as JSON lines (parent directories are created).
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path file, String prefix, int count) {
        JsonMapper json = JsonMapper.builder().build();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Map<String, Object> row : tickets(prefix, count)) {
                    out.write(json.writeValueAsString(row));
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the tickets: " + e.getMessage(), e);
        }
    }

    /** Entry point: {@code GenerateTickets <rows> <file.jsonl> [prefix]}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: GenerateTickets <rows> <file.jsonl> [prefix]");
            return 2;
        }
        int count;
        try {
            count = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            err.println("GenerateTickets: <rows> must be a number, got " + args[0]);
            return 2;
        }
        if (count < 0) {
            err.println("GenerateTickets: <rows> must be 0 or more, got " + count);
            return 2;
        }
        Path file = Path.of(args[1]);
        write(file, args.length == 3 ? args[2] : "ticket", count);
        out.println("wrote " + count + " tickets to " + file);
        return 0;
    }
}
