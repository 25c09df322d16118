package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.ExampleResult;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.SimulatedRagModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-hop RAG example end to end against a real loopback OpenAI-compatible server whose
 * model is {@link SimulatedRagModel}: BM25 over the whole Debian corpus, SemanticF1 judged by the
 * same model, BootstrapFewShot compile, save and load. The flow runs once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHopRagExampleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private FakeLmServer server;
    private Lm lm;
    private MultiHopRagExample.Outcome outcome;

    @BeforeAll
    void runTheExampleAgainstTheLoopbackServer(@TempDir Path dir) {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(new SimulatedRagModel());
        lm = Lms.of("openai/simulated-rag", Map.of("OPENAI_BASE_URL", server.baseUrl().toString(),
                "OPENAI_API_KEY", "sk-rag-test"));
        outcome = MultiHopRagExample.run(lm, null, dir.resolve("multihop-rag.json"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stopTheServer() {
        server.close();
    }

    @Test
    void compilingWithBootstrapFewShotRaisesSemanticF1() {
        assertThat(outcome.baseline().score()).isLessThan(outcome.compiled().score());
        assertThat(outcome.compiled().score() - outcome.baseline().score()).as("the gain").isGreaterThan(10.0);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(String.format("| baseline (no demos) | %.1f |", outcome.baseline().score()))
                .contains(String.format("| BootstrapFewShot, 16 two-hop train questions | %.1f |", outcome.compiled().score()));
    }

    @Test
    void theSavedProgramHasDspysPathsAndItsDemosAndScoresTheSameLoadedBack() throws IOException {
        assertThat(Files.readString(outcome.saved())).contains("\"generate_query[1].predict\"")
                .contains("\"generate_answer.predict\"").contains("\"demos\"");
        Module loaded = outcome.program();
        assertThat(loaded.namedPredictors().keySet()).containsExactly(
                "generate_query[0].predict", "generate_query[1].predict", "generate_answer.predict");
        assertThat(loaded.state().predictor("generate_query[1].predict").demos()).isNotEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(String.format("| saved and loaded back | %.1f |", outcome.compiled().score()));
    }

    @Test
    void everyAnswerIsGroundedInThePassagesTheProgramRetrieved() {
        for (ExampleResult result : outcome.compiled().results()) {
            String answer = result.prediction().getString("answer");
            List<String> context = ((List<?>) result.prediction().get("context")).stream().map(String::valueOf).toList();
            assertThat(context).as("context of %s", result.example().get("question"))
                    .anySatisfy(passage -> assertThat(passage.lines().findFirst().orElseThrow())
                            .satisfiesAnyOf(first -> assertThat(first).startsWith(answer + ": "),
                                    first -> assertThat(first).endsWith(": " + answer)));
        }
    }

    @Test
    void theCompiledProgramFindsMoreLibrariesThroughTheDependsLine() {
        long before = rightTwoHop(outcome.baseline());
        long after = rightTwoHop(outcome.compiled());
        assertThat(after).isGreaterThan(before);
        // the right library's passage is in the context of every right answer: it was retrieved, not guessed
        for (ExampleResult result : outcome.compiled().results()) {
            if (result.score() == 1.0 && result.example().getString("question").contains("depends on")) {
                assertThat(((List<?>) result.prediction().get("context")).stream().map(String::valueOf))
                        .anySatisfy(p -> assertThat(p).contains(": " + result.example().getString("answer") + "\n"));
            }
        }
    }

    private static long rightTwoHop(EvaluationResult result) {
        return result.results().stream().filter(r -> r.example().getString("question").contains("depends on"))
                .filter(r -> r.example().getString("answer").equals(r.prediction().getString("answer"))).count();
    }

    @Test
    void withNothingConfiguredItExplainsHowToPointItAtAProvider() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MultiHopRagExample.run(Map.of(), new String[0], new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DSPY4J_MODEL");
    }

    @Test
    void anUnknownArgumentIsNamedWithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MultiHopRagExample.run(Map.of(), new String[] {"--hybird"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--hybird").contains("usage: MultiHopRagExample");
    }
}
