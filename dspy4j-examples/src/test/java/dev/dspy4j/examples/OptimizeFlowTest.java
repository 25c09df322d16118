package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.examples.ClassifySupport.Ticket;
import dev.dspy4j.examples.ClassifySupport.Triage;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.optimize.BootstrapFewShot;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimize flow end to end against a local OpenAI-compatible server whose answers get better
 * when the prompt holds demos with the query's label: the compiled program must beat the zero-shot
 * one on held-out tickets, and a saved-and-loaded copy must send byte-identical messages.
 */
class OptimizeFlowTest {

    private static final List<String> CATEGORIES = List.of("billing", "technical", "account");
    private static final Map<String, String> LABELS = new HashMap<>();

    static {
        for (Example ticket : SupportTickets.load()) {
            LABELS.put(ticket.getString("ticket_text"), ticket.getString("category"));
        }
    }

    @TempDir
    Path dir;

    /**
     * Correct with probability 0.3 + 0.25 per demo in the prompt whose label is the query's
     * (at most 0.95); otherwise a wrong category. Deterministic: the draw is seeded by the prompt.
     */
    private static Reply answer(RecordedRequest request) {
        String query = between(request.lastUserText(), "[[ ## ticket_text ## ]]\n", "\n\n");
        String truth = LABELS.getOrDefault(query, "technical");
        int helpful = 0;
        for (var message : request.json().path("messages")) {
            if (message.path("role").asString("").equals("assistant")
                    && message.path("content").asString("").contains("[[ ## category ## ]]\n" + truth + "\n")) {
                helpful++;
            }
        }
        double p = Math.min(0.95, 0.3 + 0.25 * helpful);
        SplittableRandom random = new SplittableRandom(request.bodyText().hashCode());
        String category = random.nextDouble() < p ? truth
                : CATEGORIES.get((CATEGORIES.indexOf(truth) + 1 + random.nextInt(2)) % 3);
        return Reply.text("[[ ## reasoning ## ]]\nThe ticket reads like a " + category + " issue.\n\n"
                + "[[ ## category ## ]]\n" + category + "\n\n[[ ## completed ## ]]");
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

    @Test
    void compiledProgramBeatsZeroShotAndSurvivesSaveAndLoadByteForByte() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(OptimizeFlowTest::answer);
            Lm lm = Lms.client("openai/gpt-4o-mini", Map.of("OPENAI_BASE_URL", server.baseUrl().toString(),
                    "OPENAI_API_KEY", "sk-test"));
            DspyContext context = DspyContext.of(lm);
            List<Example> tickets = SupportTickets.load();
            List<Example> trainset = tickets.subList(0, 15);
            List<Example> heldOut = tickets.subList(15, 30);
            Module program = ChainOfThought.typed(Ticket.class, Triage.class).module();
            Evaluate evaluate = Evaluate.builder().devset(heldOut).metric(Optimize.CATEGORY_MATCHES).build();

            double zeroShot = evaluate.run(program, context).score();
            Module compiled = BootstrapFewShot.builder().metric(Optimize.CATEGORY_MATCHES)
                    .maxBootstrappedDemos(4).maxLabeledDemos(4).build().compile(program, trainset, context);
            double optimized = evaluate.run(compiled, context).score();

            assertThat(optimized).as("zero-shot %s, compiled %s", zeroShot, optimized).isGreaterThan(zeroShot);
            assertThat(program.state().predictor("predict").demos()).as("the student is untouched").isEmpty();

            Path saved = dir.resolve("triage.json");
            compiled.save(saved);
            Module loaded = ChainOfThought.typed(Ticket.class, Triage.class).module().load(saved);
            Map<String, Object> inputs = heldOut.get(0).inputs().toMap();
            server.reset();
            compiled.call(inputs, context);
            loaded.call(inputs, context);
            List<RecordedRequest> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).json().get("messages")).isEqualTo(requests.get(0).json().get("messages"));
            assertThat(requests.get(0).json().get("messages").size()).isGreaterThan(2);
        }
    }

    @Test
    void theOptimizeCommandPrintsBothScoresAndChecksTheLoadedPrompts() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(OptimizeFlowTest::answer);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = Optimize.run(Map.of("DSPY4J_MODEL", "openai/gpt-4o-mini",
                            "OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-test"),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    dir.resolve("optimized.json"));

            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("zero-shot score", "optimized score", "renders identical prompts: true");
            assertThat(dir.resolve("optimized.json")).exists();
        }
    }

    @Test
    void withNothingConfiguredTheOptimizeCommandExplainsHowToConfigure() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Optimize.run(Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir.resolve("x.json"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
    }
}
