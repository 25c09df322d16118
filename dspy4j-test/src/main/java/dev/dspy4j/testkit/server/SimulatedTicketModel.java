package dev.dspy4j.testkit.server;

import dev.dspy4j.data.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A simulated model behind a {@code FakeLmServer} whose accuracy on support tickets depends on the
 * instruction it is given, so that an instruction optimizer has something real to find.
 *
 * <p>Task prompts (the only output field is {@code category}): the model routes a ticket by its
 * keywords, and is right on a deterministic share of tickets (a hash of the ticket text) — 40 %
 * with an instruction that does not name the label set, 90 % with one that contains
 * {@value #LABEL_SET}. Sampled task prompts (temperature 1.0 or more, as SIMBA's rollouts) draw
 * right or wrong afresh for each repetition of the same request, at the same rates, so that
 * repeated runs of one ticket disagree; their answers are deterministic when the repetitions arrive
 * in a fixed order (one thread). Proposer prompts (an output field {@code proposed_instruction}, as COPRO's
 * and MIPROv2's) get, choice by choice, either an instruction naming the label set or a vague one,
 * chosen by a hash of the prompt. GEPA's reflection prompt gets the instruction naming the label
 * set when the feedback it shows mentions it (a rule learned from feedback), a vague one otherwise.
 * SIMBA's {@code OfferFeedback} prompt (output fields {@code discussion} and {@code module_advice})
 * gets, for each module it names, the advice {@value #ADVICE}, which names the label set. Every
 * other prompt (MIPROv2's dataset and program summaries) gets a placeholder for each field.
 *
 * <p>For tests and benchmarks of instruction optimizers: {@code FakeLmServer.start(Dialect.OPENAI)
 * .respondWith(new SimulatedTicketModel())}. Deterministic and thread-safe.
 */
public final class SimulatedTicketModel implements Responder {

    /** The phrase that makes an instruction good: the label set. */
    public static final String LABEL_SET = "billing, technical, account";
    /** An instruction that names the label set. */
    public static final String GOOD_INSTRUCTION = "Route the support ticket to exactly one queue: " + LABEL_SET + ".";
    /** An instruction that does not. */
    public static final String VAGUE_INSTRUCTION = "Read the support ticket carefully and decide where it goes.";
    /** The advice SIMBA's feedback prompt gets for each module: it names the label set. */
    public static final String ADVICE = "Route to exactly one of: " + LABEL_SET + ".";
    private static final List<String> LABELS = List.of("billing", "technical", "account");
    private static final Pattern OUTPUT_FIELD = Pattern.compile("^\\d+\\. `(\\w+)`", Pattern.MULTILINE);
    private static final String TICKET = "[[ ## ticket_text ## ]]\n";
    private static final String MODULE_NAMES = "[[ ## module_names ## ]]\n";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|'([^']+)'");

    /** How often each sampled task request has been seen, to draw afresh for each repetition. */
    private final ConcurrentHashMap<String, AtomicInteger> repetitions = new ConcurrentHashMap<>();

    @Override
    public Reply respond(RecordedRequest request) {
        JsonNode messages = request.json().path("messages");
        String first = messages.get(0).path("content").asString("");
        if (!"system".equals(messages.get(0).path("role").asString(""))) {
            // GEPA's reflection prompt: one user message, the new instruction expected in a ``` block
            String proposal = first.contains(LABEL_SET) ? GOOD_INSTRUCTION : VAGUE_INSTRUCTION;
            return Reply.text("```\n" + proposal + "\n```");
        }
        List<String> outputs = outputFields(first);
        if (outputs.equals(List.of("category"))) {
            String user = request.lastUserText();
            String draw = "";
            if (request.json().path("temperature").asDouble(0.0) >= 1.0) {
                String key = request.json().path("messages").toString();
                draw = "#" + repetitions.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
            }
            return Reply.text(field("category", classify(first, user, draw)) + "[[ ## completed ## ]]");
        }
        if (outputs.equals(List.of("discussion", "module_advice"))) {
            return Reply.text(field("discussion", "The worse run did not keep to the valid queues.")
                    + field("module_advice", moduleAdvice(request.lastUserText())) + "[[ ## completed ## ]]");
        }
        int n = Math.max(1, request.json().path("n").asInt(1));
        int seed = request.lastUserText().hashCode();
        String[] choices = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder reply = new StringBuilder();
            for (String name : outputs) {
                String value = switch (name) {
                    case "proposed_instruction" -> Math.floorMod(seed + i, 2) == 0 ? GOOD_INSTRUCTION : VAGUE_INSTRUCTION;
                    case "proposed_prefix_for_output_field" -> "Category:";
                    default -> "About " + name + ".";
                };
                reply.append(field(name, value));
            }
            choices[i] = reply.append("[[ ## completed ## ]]").toString();
        }
        return Reply.texts(choices);
    }

    /** The model's answer: the ticket's true queue on a share of tickets that depends on the instruction. */
    private static String classify(String system, String user, String draw) {
        int start = user.indexOf(TICKET) + TICKET.length();
        int end = user.indexOf("\n\n", start);
        String ticket = user.substring(start, end < 0 ? user.length() : end).strip();
        String truth = truth(ticket);
        int percentRight = system.contains(LABEL_SET) ? 90 : 40;
        boolean right = Math.floorMod(mix(ticket + draw), 100) < percentRight;
        return right ? truth : LABELS.get((LABELS.indexOf(truth) + 1) % LABELS.size());
    }

    /** The queue a ticket belongs in, from its keywords (the data below is written to match). */
    public static String truth(String ticket) {
        String text = ticket.toLowerCase(Locale.ROOT);
        if (text.contains("charged") || text.contains("invoice") || text.contains("refund")) {
            return "billing";
        }
        return text.contains("password") || text.contains("login") ? "account" : "technical";
    }

    /** {@code count} tickets, labelled by {@link #truth}, the three queues interleaved. */
    public static List<Example> tickets(String prefix, int count) {
        String[] billing = {"I was charged twice for %s.", "The invoice for %s shows the wrong plan.",
                "Please refund %s, I cancelled it."};
        String[] technical = {"The app crashes when I open %s.", "Exports of %s come out empty.",
                "Sync of %s has been stuck for hours."};
        String[] account = {"I cannot reset the password for %s.", "The login page rejects me on %s.",
                "Two-factor login for %s never sends a code."};
        String[][] byQueue = {billing, technical, account};
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] templates = byQueue[i % 3];
            String ticket = String.format(templates[(i / 3) % templates.length], prefix + " item " + i);
            out.add(Example.of("ticket_text", ticket, "category", truth(ticket)).withInputs("ticket_text"));
        }
        return List.copyOf(out);
    }

    /** {@value #ADVICE} for each module the feedback prompt names ({@code self} if none), as a JSON object. */
    private static String moduleAdvice(String user) {
        List<String> names = new ArrayList<>();
        int start = user.indexOf(MODULE_NAMES);
        if (start >= 0) {
            start += MODULE_NAMES.length();
            int end = user.indexOf("\n\n", start);
            Matcher m = QUOTED.matcher(user.substring(start, end < 0 ? user.length() : end));
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        if (names.isEmpty()) {
            names.add("self");
        }
        StringBuilder json = new StringBuilder("{");
        for (String name : names) {
            json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": \"").append(ADVICE)
                    .append('"');
        }
        return json.append('}').toString();
    }

    private static List<String> outputFields(String system) {
        int from = system.indexOf("Your output fields are:");
        int to = system.indexOf("All interactions", from);
        List<String> names = new ArrayList<>();
        if (from < 0 || to < 0) {
            return names;
        }
        Matcher m = OUTPUT_FIELD.matcher(system.substring(from, to));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String field(String name, String value) {
        return "[[ ## " + name + " ## ]]\n" + value + "\n\n";
    }

    private static int mix(String text) {
        int h = text.hashCode() * 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
