package dev.dspy4j.cli;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.testkit.server.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with captured streams, and a loopback LM server that knows some answers. */
final class CliHarness {

    /** The API key the tests hand the CLI; no output may ever contain it. */
    static final String API_KEY = "sk-test-cli-secret-4242";

    /** The questions the server knows; any other question gets an answer, "break" gets no parsable one. */
    static final Map<String, String> ANSWERS = Map.of(
            "What is the capital of France?", "Paris",
            "What is 2 + 2?", "4",
            "Which planet is red?", "Mars");

    /**
     * What a command did.
     *
     * @param exitCode the exit code
     * @param out standard output
     * @param err standard error
     */
    record Result(int exitCode, String out, String err) {}

    private CliHarness() {}

    static FakeLmServer server() {
        return FakeLmServer.start(Dialect.OPENAI).requireApiKey(API_KEY).respondWith(CliHarness::answer);
    }

    /** ChatAdapter's format: the answer field, then the completed marker; no markers for "break". */
    static Reply answer(RecordedRequest request) {
        String question = between(request.lastUserText(), "[[ ## question ## ]]\n", "\n\n");
        if (question.equals("break")) {
            return Reply.text("I refuse to use your format.");
        }
        String answer = ANSWERS.getOrDefault(question, "I don't know");
        String system = request.json().path("messages").path(0).path("content").asString("");
        int outputs = system.indexOf("Your output fields are:");
        if (outputs < 0 || system.indexOf("`answer`", outputs) >= 0) {
            return Reply.text("[[ ## answer ## ]]\n" + answer + "\n\n[[ ## completed ## ]]");
        }
        // another signature (an optimizer's proposer): a plain text for each of its output fields
        StringBuilder reply = new StringBuilder();
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("\\n\\d+\\. `(\\w+)`")
                .matcher(system.substring(outputs, system.indexOf("All interactions", outputs)));
        while (field.find()) {
            reply.append("[[ ## ").append(field.group(1)).append(" ## ]]\nAnswer the question briefly.\n\n");
        }
        return Reply.text(reply.append("[[ ## completed ## ]]").toString());
    }

    static Result run(String stdin, String... args) {
        return run(stdin, Map.of("OPENAI_API_KEY", API_KEY), args);
    }

    static Result run(String stdin, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliIo io = new CliIo(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment, false);
        int code = Dspy4jCli.execute(io, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path shared() {
        return Path.of(System.getProperty("dspy4j.shared", "../../shared"));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            return "";
        }
        from += start.length();
        int to = text.indexOf(end, from);
        return to < 0 ? text.substring(from) : text.substring(from, to);
    }
}
