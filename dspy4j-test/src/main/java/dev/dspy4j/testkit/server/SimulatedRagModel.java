package dev.dspy4j.testkit.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated model behind a {@code FakeLmServer} for multi-hop retrieval over package
 * descriptions (the examples' Debian corpus): weak but plausible, it reads only what the prompt
 * shows it, so wrong retrieval gives wrong answers, and it gets better when the prompt's demos show
 * it how to make the second hop, so that BootstrapFewShot has something real to find.
 *
 * <p>The rules, by the prompt's output fields (ChatAdapter prompts; {@code reasoning} is answered
 * first when asked for):
 *
 * <ul>
 *   <li><b>{@code query}</b> (a search-query prompt with {@code context} and {@code question}). The
 *       question's key phrase is its quoted text, else what follows its last colon. With an empty
 *       context the query is the key phrase. With a context, the model finds the <em>anchor</em>:
 *       the passage whose first line ({@code name: synopsis}) shares most words with the key
 *       phrase. When the question asks about something the package <em>depends on</em>, the model
 *       follows the dependency strategy (the query is the library names on the anchor's
 *       {@code Depends:} line, leaving out the {@linkplain #GENERIC_LIBRARIES generic runtime
 *       libraries} any model knows nearly every package uses) when a demo in the prompt shows it (a
 *       demo whose query names a package on a {@code Depends:} line of that demo's context), and
 *       otherwise only on {@value #PERCENT_WITHOUT_DEMOS} % of questions (chosen by a hash of the
 *       question); else it repeats the key phrase.</li>
 *   <li><b>{@code answer}</b>, from the {@code context} alone. For a question about a dependency:
 *       the synopsis of a context passage named on the anchor's {@code Depends:} line, else (a
 *       wrong guess) the synopsis of the first other passage, else {@code "unknown"}. For any other
 *       question: the name of the anchor.</li>
 *   <li><b>{@code recall} and {@code precision}</b> (SemanticF1's judge): computed honestly from
 *       {@code ground_truth} and {@code system_response} as word overlap (lower-cased letters and
 *       digits): recall is the share of the ground truth's distinct words found in the response,
 *       precision the share of the response's distinct words found in the ground truth.</li>
 *   <li>Any other prompt: a placeholder for each output field.</li>
 * </ul>
 *
 * <p>No answer to any particular question is stored: everything comes from the prompt's text.
 * For tests and examples: {@code FakeLmServer.start(Dialect.OPENAI).respondWith(new
 * SimulatedRagModel())}. Deterministic, stateless and thread-safe.
 */
public final class SimulatedRagModel implements Responder {

    /** On what share of dependency questions the model makes the dependency hop without a demo showing it. */
    public static final int PERCENT_WITHOUT_DEMOS = 30;

    /**
     * Runtime libraries that nearly every program depends on, which a model knows are not what a
     * question about "the library it depends on" is after.
     */
    public static final Set<String> GENERIC_LIBRARIES = Set.of("libc6", "libstdc++6", "libgcc-s1",
            "libglib2.0-0", "zlib1g", "libx11-6", "libqt5core5a", "libqt5widgets5", "libqt5gui5", "libgtk-3-0",
            "libgtk2.0-0", "libcairo2", "libpango-1.0-0", "libpangocairo-1.0-0", "libgdk-pixbuf-2.0-0",
            "libatk1.0-0", "libssl3", "libxml2", "libtinfo6", "libgomp1", "libxext6");

    private static final Pattern OUTPUT_FIELD = Pattern.compile("^\\d+\\. `(\\w+)`", Pattern.MULTILINE);
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Reply respond(RecordedRequest request) {
        JsonNode messages = request.json().path("messages");
        String system = messages.path(0).path("content").asString("");
        List<String> outputs = outputFields(system);
        String user = request.lastUserText();
        StringBuilder reply = new StringBuilder();
        if (outputs.contains("query")) {
            Output q = query(user, demosShowDependencyHop(messages));
            append(reply, outputs, "reasoning", q.reasoning());
            append(reply, outputs, "query", q.value());
        } else if (outputs.contains("answer")) {
            Output a = answer(user);
            append(reply, outputs, "reasoning", a.reasoning());
            append(reply, outputs, "answer", a.value());
        } else if (outputs.contains("recall") && outputs.contains("precision")) {
            Set<String> truth = words(field(user, "ground_truth"));
            Set<String> response = words(field(user, "system_response"));
            long common = truth.stream().filter(response::contains).count();
            double recall = truth.isEmpty() ? 0.0 : (double) common / truth.size();
            double precision = response.isEmpty() ? 0.0 : (double) common / response.size();
            append(reply, outputs, "reasoning", "The response shares " + common + " of the ground truth's "
                    + truth.size() + " words and has " + response.size() + " words.");
            append(reply, outputs, "recall", String.format(Locale.ROOT, "%.2f", recall));
            append(reply, outputs, "precision", String.format(Locale.ROOT, "%.2f", precision));
        }
        for (String name : outputs) {
            if (reply.indexOf("[[ ## " + name + " ## ]]") < 0) {
                reply.append(field(name) + "About " + name + ".\n\n");
            }
        }
        return Reply.text(reply.append("[[ ## completed ## ]]").toString());
    }

    /** A reply's two fields: the reasoning and the value of the query or answer field. */
    private record Output(String reasoning, String value) {}

    private static Output query(String user, boolean shownHow) {
        String question = field(user, "question");
        List<String> context = context(user);
        String key = keyPhrase(question);
        if (context.isEmpty()) {
            return new Output("Search for the package the question describes.", key);
        }
        boolean follows = shownHow || Math.floorMod(mix(question), 100) < PERCENT_WITHOUT_DEMOS;
        if (asksAboutDependency(question) && follows) {
            String anchor = anchor(context, key);
            List<String> libraries = depends(anchor).stream()
                    .filter(name -> name.startsWith("lib") && !GENERIC_LIBRARIES.contains(name)).toList();
            if (!libraries.isEmpty()) {
                return new Output("The package is " + name(anchor) + "; its Depends line names the libraries "
                        + String.join(", ", libraries) + ", so search for them.", String.join(" ", libraries));
            }
        }
        return new Output("Search again for the package the question describes.", key);
    }

    private static Output answer(String user) {
        String question = field(user, "question");
        List<String> context = context(user);
        if (context.isEmpty()) {
            return new Output("The context is empty.", "unknown");
        }
        String anchor = anchor(context, keyPhrase(question));
        if (!asksAboutDependency(question)) {
            return new Output("The passage that matches the description is " + name(anchor) + ".", name(anchor));
        }
        List<String> depends = depends(anchor);
        for (String passage : context) {
            if (!passage.equals(anchor) && depends.contains(name(passage))) {
                return new Output(name(anchor) + " depends on " + name(passage) + ", whose passage says what it is for.",
                        synopsis(passage));
            }
        }
        for (String passage : context) {
            if (!passage.equals(anchor)) {
                return new Output("No library on the Depends line is in the context; guessing from "
                        + name(passage) + ".", synopsis(passage));
            }
        }
        return new Output("Only the package itself is in the context.", "unknown");
    }

    /** Whether a demo (a user/assistant pair before the last message) makes a query from a Depends line. */
    private static boolean demosShowDependencyHop(JsonNode messages) {
        for (int i = 1; i + 1 < messages.size() - 1; i++) {
            if (!"user".equals(messages.get(i).path("role").asString(""))
                    || !"assistant".equals(messages.get(i + 1).path("role").asString(""))) {
                continue;
            }
            String query = field(messages.get(i + 1).path("content").asString(""), "query");
            Set<String> queried = new HashSet<>(Arrays.asList(query.strip().split("\\s+")));
            for (String passage : context(messages.get(i).path("content").asString(""))) {
                if (depends(passage).stream().anyMatch(queried::contains)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean asksAboutDependency(String question) {
        return question.toLowerCase(Locale.ROOT).contains("depends on");
    }

    /** The quoted text of the question, else what follows its last colon, without a final '?'. */
    private static String keyPhrase(String question) {
        int open = question.indexOf('"');
        int close = open < 0 ? -1 : question.indexOf('"', open + 1);
        String key = close > open ? question.substring(open + 1, close)
                : question.substring(question.lastIndexOf(':') + 1);
        key = key.strip();
        return key.endsWith("?") ? key.substring(0, key.length() - 1) : key;
    }

    /** The passage whose first line shares most words with the key phrase (the first on ties). */
    private static String anchor(List<String> context, String key) {
        Set<String> wanted = words(key);
        String best = context.get(0);
        long bestScore = -1;
        for (String passage : context) {
            long score = words(passage.lines().findFirst().orElse("")).stream().filter(wanted::contains).count();
            if (score > bestScore) {
                best = passage;
                bestScore = score;
            }
        }
        return best;
    }

    private static String name(String passage) {
        String first = passage.lines().findFirst().orElse("");
        int colon = first.indexOf(':');
        return (colon < 0 ? first : first.substring(0, colon)).strip();
    }

    private static String synopsis(String passage) {
        String first = passage.lines().findFirst().orElse("");
        return first.substring(first.indexOf(':') + 1).strip();
    }

    private static List<String> depends(String passage) {
        return passage.lines().filter(line -> line.startsWith("Depends:"))
                .flatMap(line -> Arrays.stream(line.substring("Depends:".length()).split(",")))
                .map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** The {@code context} field: a JSON list of passages (empty when absent or not a list). */
    private static List<String> context(String message) {
        String value = field(message, "context").strip();
        List<String> out = new ArrayList<>();
        if (value.startsWith("[")) {
            try {
                for (JsonNode item : JSON.readTree(value)) {
                    out.add(item.asString(""));
                }
            } catch (RuntimeException e) {
                return List.of();
            }
        }
        return out;
    }

    /** The text of field {@code name} in a message: from its header to the next header or the closing request. */
    private static String field(String message, String name) {
        String header = field(name);
        int start = message.indexOf(header);
        if (start < 0) {
            return "";
        }
        start += header.length();
        int end = message.indexOf("\n\n[[ ## ", start);
        int respond = message.indexOf("\n\nRespond with the corresponding output fields", start);
        if (end < 0 || (respond >= 0 && respond < end)) {
            end = respond;
        }
        return message.substring(start, end < 0 ? message.length() : end).strip();
    }

    private static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
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

    private static void append(StringBuilder reply, List<String> outputs, String name, String value) {
        if (outputs.contains(name)) {
            reply.append(field(name)).append(value).append("\n\n");
        }
    }

    private static String field(String name) {
        return "[[ ## " + name + " ## ]]\n";
    }

    private static int mix(String text) {
        int h = text.hashCode() * 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
