package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.data.Example;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.SimulatedRagModel;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The CLI paths of {@code optimize --optimizer copro}, {@code optimize --optimizer gepa-light} and
 * {@code evaluate --metric semantic-f1}, run end to end as a user would: JSON lines files, a
 * signature, a saved program, reports, against a loopback server with a simulated model.
 */
class InstructionOptimizersAndJudgeTest {

    private static final String SIGNATURE = "ticket_text -> category";
    private static final Pattern SCORE = Pattern.compile("\\| (\\S+) +\\| +([0-9.]+)% \\|");

    @TempDir
    Path dir;

    FakeLmServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private FakeLmServer ticketServer() {
        server = FakeLmServer.start(Dialect.OPENAI).requireApiKey(CliHarness.API_KEY)
                .respondWith(new SimulatedTicketModel());
        return server;
    }

    /** {@code command} with the LM options (the loopback server, no retries) and then {@code rest}. */
    private CliHarness.Result cli(String command, String... rest) {
        List<String> args = new ArrayList<>(List.of(command, "--lm", "openai/gpt-4o-mini",
                "--base-url", server.baseUrl().toString(), "--max-retries", "0"));
        args.addAll(List.of(rest));
        return CliHarness.run("", args.toArray(String[]::new));
    }

    private Path tickets(String name, String prefix, int count) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (Example ticket : SimulatedTicketModel.tickets(prefix, count)) {
            lines.append(JsonLines.write(JsonLines.toJson(Map.of("ticket_text", ticket.get("ticket_text"),
                    "category", ticket.get("category"))))).append('\n');
        }
        return Files.writeString(dir.resolve(name), lines);
    }

    /** The score the table of {@code evaluate} prints for the metric, in percent. */
    private static double score(CliHarness.Result result, String metric) {
        Matcher row = SCORE.matcher(result.out());
        while (row.find()) {
            if (row.group(1).equals(metric)) {
                return Double.parseDouble(row.group(2));
            }
        }
        throw new AssertionError("no score row for " + metric + " in:\n" + result.out() + result.err());
    }

    private static String savedInstructions(Path program) throws Exception {
        JsonNode saved = JsonLines.MAPPER.readTree(Files.readString(program));
        // a single Predict is saved as its own state, as DSPy saves it
        JsonNode predictor = saved.has("self") ? saved.path("self") : saved;
        return predictor.path("signature").path("instructions").asString("");
    }

    @Test
    void coproFindsTheInstructionThatNamesTheLabelsAndEvaluateScoresTheSavedProgramHigher() throws Exception {
        // given: the simulated model is right on 40 % of tickets with a vague instruction, 90 % with the labels
        ticketServer();
        Path train = tickets("train.jsonl", "train", 9);
        Path dev = tickets("dev.jsonl", "dev", 12);
        Path optimized = dir.resolve("copro.json");

        // when: optimize, then evaluate the zero-shot program and the saved one on the dev set
        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--metric", "exact-match", "--optimizer", "copro", "--out", optimized.toString(),
                "--report", dir.resolve("copro.html").toString());
        CliHarness.Result before = cli("evaluate", "--signature", SIGNATURE, "--devset", dev.toString(),
                "--report", dir.resolve("before.json").toString());
        CliHarness.Result after = cli("evaluate", "--signature", SIGNATURE, "--program", optimized.toString(),
                "--devset", dev.toString(), "--report", dir.resolve("after.csv").toString(), "--show", "2");

        // then: COPRO's proposer was asked, and the saved program holds the instruction that names the labels
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requests()).anySatisfy(request ->
                assertThat(request.bodyText()).contains("proposed_instruction"));
        assertThat(savedInstructions(optimized)).isEqualTo(SimulatedTicketModel.GOOD_INSTRUCTION);
        assertThat(result.out()).contains("self: 0 demos, instructions: Route the support ticket");
        assertThat(result.err()).contains("saved " + optimized, "wrote " + dir.resolve("copro.html"));
        assertThat(Files.readString(dir.resolve("copro.html"))).contains("<html", SimulatedTicketModel.LABEL_SET);
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(score(after, "exact-match")).isGreaterThan(score(before, "exact-match") + 30);
        assertThat(Files.readString(dir.resolve("before.json"))).contains("ticket_text", "category");
        assertThat(Files.readString(dir.resolve("after.csv")).lines().count()).isEqualTo(13);
        assertThat(result.out() + result.err() + after.out() + after.err()).doesNotContain(CliHarness.API_KEY);
    }

    @Test
    void coproSavesToTheFileGivenWithOutputAsRunDoes() throws Exception {
        // given: --output, the name run uses for its output file
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);
        Path optimized = dir.resolve("copro.json");

        // when
        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--optimizer", "copro", "--output", optimized.toString());

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(optimized).exists();
    }

    @Test
    void coproRefusesATrainsetWithoutTheLabelColumnBeforeCallingTheLm() throws Exception {
        // given: the trainset has tickets but no category
        ticketServer();
        Path train = Files.writeString(dir.resolve("train.jsonl"), "{\"ticket_text\": \"I was charged twice.\"}\n");

        // when
        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--optimizer", "copro", "--out", dir.resolve("copro.json").toString());

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("--trainset, example 1: no gold field \"category\"");
        assertThat(server.requestCount()).isZero();
        assertThat(dir.resolve("copro.json")).doesNotExist();
    }

    @Test
    void anUnknownOptimizerIsAUsageErrorNamingTheKnownOnes() throws Exception {
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);

        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--optimizer", "gepa", "--out", dir.resolve("gepa.json").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--optimizer gepa is not one of bootstrap, mipro-light, copro, gepa-light");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void gepaLightReflectsWithTheTaskLmWithinTheCallBudgetAndSavesALoadableProgram() throws Exception {
        // given: a small trainset and valset, and a budget of LM calls that ends the run early
        ticketServer();
        Path train = tickets("train.jsonl", "train", 6);
        Path val = tickets("val.jsonl", "val", 6);
        Path optimized = dir.resolve("gepa.json");

        // when
        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--valset", val.toString(), "--optimizer", "gepa-light", "--max-lm-calls", "40",
                "--out", optimized.toString());
        int calls = server.requestCount();
        CliHarness.Result evaluated = cli("evaluate", "--signature", SIGNATURE, "--program", optimized.toString(),
                "--devset", val.toString(), "--report", dir.resolve("gepa.html").toString());

        // then: the task LM was shown GEPA's reflection prompt (one user message, no system message)
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(calls).isLessThanOrEqualTo(40);
        assertThat(result.err()).contains("the budget of 40 LM calls ran out; saving the best program found");
        assertThat(server.requests()).anySatisfy(request -> assertThat(isReflection(request)).isTrue());
        assertThat(savedInstructions(optimized)).isNotBlank();
        assertThat(result.out()).contains("self: 0 demos, instructions:");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("exact-match", "|        6 |      0 |");
        assertThat(Files.readString(dir.resolve("gepa.html"))).contains("<html", "ticket_text");
    }

    @Test
    void aReportIsAUsageErrorForBootstrapWhichHasNoTrials() throws Exception {
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);

        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--optimizer", "bootstrap", "--report", dir.resolve("r.html").toString(),
                "--out", dir.resolve("b.json").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--report: bootstrap has no trials to report");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aBudgetOfNoLmCallsIsAUsageError() throws Exception {
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);

        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--optimizer", "gepa-light", "--max-lm-calls", "0", "--out", dir.resolve("g.json").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--max-lm-calls must be 1 or more, got 0");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void gepaLightRefusesAValsetWithoutTheLabelColumn() throws Exception {
        // given: the valset lacks the category
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);
        Path val = Files.writeString(dir.resolve("val.jsonl"), "{\"ticket_text\": \"The app crashes.\"}\n");

        // when
        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--valset", val.toString(), "--optimizer", "gepa-light", "--out", dir.resolve("g.json").toString());

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("--valset, example 1: no gold field \"category\"");
        assertThat(server.requestCount()).isZero();
    }

    private static boolean isReflection(RecordedRequest request) {
        JsonNode messages = request.json().path("messages");
        return messages.size() == 1 && "user".equals(messages.get(0).path("role").asString(""));
    }

    // ---- evaluate --metric semantic-f1

    /**
     * The task answers as CliHarness's server does, using 10 prompt and 1 completion tokens; the
     * judge's prompts go to SimulatedRagModel (word overlap), using 100 and 20.
     */
    private FakeLmServer judgeServer() {
        SimulatedRagModel judge = new SimulatedRagModel();
        server = FakeLmServer.start(Dialect.OPENAI).requireApiKey(CliHarness.API_KEY).respondWith(request ->
                isJudge(request) ? judge.respond(request).withUsage(100, 20)
                        : CliHarness.answer(request).withUsage(10, 1));
        return server;
    }

    private static boolean isJudge(RecordedRequest request) {
        return request.bodyText().contains("system_response");
    }

    @Test
    void semanticF1AsksTheJudgeOncePerExampleAndReportsItsScore() throws Exception {
        // given: two answers exactly right, one wrong, one half right (the judge's word overlap: recall 0.5,
        // precision 1.0, F1 0.67)
        judgeServer();
        Path dev = Files.writeString(dir.resolve("dev.jsonl"), """
                {"question": "What is the capital of France?", "answer": "Paris"}
                {"question": "What is 2 + 2?", "answer": "4"}
                {"question": "Which planet is red?", "answer": "Venus"}
                {"question": "Who wrote Hamlet?", "answer": "I don't know the author of it"}
                """);
        Path report = dir.resolve("report.json");

        // when
        CliHarness.Result result = cli("evaluate", "--signature", "question -> answer", "--devset", dev.toString(),
                "--metric", "semantic-f1", "--concurrency", "2", "--report", report.toString());

        // then: four task calls, four judge calls, each judge call comparing the gold and the predicted answer
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<RecordedRequest> judged = new ArrayList<>();
        server.requests().stream().filter(InstructionOptimizersAndJudgeTest::isJudge).forEach(judged::add);
        assertThat(judged).hasSize(4);
        assertThat(server.requestCount()).isEqualTo(8);
        assertThat(judged).anySatisfy(request -> assertThat(request.lastUserText())
                .contains("[[ ## question ## ]]\nWhich planet is red?", "[[ ## ground_truth ## ]]\nVenus",
                        "[[ ## system_response ## ]]\nMars"));
        double expected = (1.0 + 1.0 + 0.0 + 2 * 0.5 * 1.0 / 1.5) / 4 * 100;
        assertThat(score(result, "semantic-f1")).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.01));
        String json = Files.readString(report);
        assertThat(json).contains("semantic-f1", "Venus", "Mars");
    }

    @Test
    void semanticF1SaysWhyExamplesFailedWhenTheJudgeCannotBeParsed() throws Exception {
        // given: the ticket model answers the judge's prompt with text where numbers belong
        ticketServer();
        Path dev = tickets("dev.jsonl", "dev", 3);

        // when
        CliHarness.Result result = cli("evaluate", "--signature", SIGNATURE, "--devset", dev.toString(),
                "--metric", "semantic-f1");

        // then: the table counts the errors and stderr says why
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("| semantic-f1 |", "|        3 |      3 |");
        assertThat(result.err()).startsWith("dspy4j evaluate: 3 of 3 examples failed and score 0; the first: "
                + "AdapterParseException: ");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void semanticF1RefusesADevsetWithoutTheLabelColumnBeforeCallingTheLm() throws Exception {
        judgeServer();
        Path dev = Files.writeString(dir.resolve("dev.jsonl"), """
                {"question": "What is 2 + 2?", "answer": "4"}
                {"question": "Which planet is red?", "gold": "Mars"}
                """);

        CliHarness.Result result = cli("evaluate", "--signature", "question -> answer", "--devset", dev.toString(),
                "--metric", "semantic-f1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).contains("--devset, example 2: no gold field \"answer\" (choose another with --field)");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void semanticF1JudgeCallsCountInTheLmCallBudgetOfEveryOptimizer() throws Exception {
        // given: judged optimization, where each program run costs a task call and a judge call
        judgeServer();
        String rows = """
                {"question": "What is the capital of France?", "answer": "Paris"}
                {"question": "What is 2 + 2?", "answer": "4"}
                {"question": "Which planet is red?", "answer": "Venus"}
                """;
        Path train = Files.writeString(dir.resolve("train.jsonl"), rows + rows.replace("?\"", "??\"")
                + rows.replace("?\"", "???\""));

        for (String optimizer : List.of("bootstrap", "copro", "gepa-light")) {
            server.reset();

            // when
            CliHarness.Result result = cli("optimize", "--signature", "question -> answer", "--trainset",
                    train.toString(), "--metric", "semantic-f1", "--optimizer", optimizer, "--concurrency", "1",
                    "--max-lm-calls", "7", "--out", dir.resolve(optimizer + ".json").toString());

            // then: the judge was called, and the budget held for its calls too
            assertThat(result.exitCode()).as(optimizer + ": " + result.err()).isZero();
            assertThat(server.requests()).as(optimizer)
                    .anySatisfy(request -> assertThat(isJudge(request)).isTrue())
                    .hasSizeLessThanOrEqualTo(7);
            assertThat(dir.resolve(optimizer + ".json")).as(optimizer).exists();
        }
    }

    @Test
    void semanticF1JudgeCallsCountInTheUsageOfTheirExampleInTheReport() throws Exception {
        // given
        judgeServer();
        Path dev = Files.writeString(dir.resolve("dev.jsonl"),
                "{\"question\": \"What is 2 + 2?\", \"answer\": \"4\"}\n");
        Path report = dir.resolve("report.json");

        // when
        CliHarness.Result result = cli("evaluate", "--signature", "question -> answer", "--devset", dev.toString(),
                "--metric", "semantic-f1", "--report", report.toString());

        // then: the example's usage holds the tokens of the task call and of the judge's call
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode usage = JsonLines.MAPPER.readTree(Files.readString(report)).path("results").path(0).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(110);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(21);
    }

    @Test
    void coproSaysThatItScoresOnTheTrainsetWhenAValsetIsGiven() throws Exception {
        ticketServer();
        Path train = tickets("train.jsonl", "train", 3);
        Path val = tickets("val.jsonl", "val", 3);

        CliHarness.Result result = cli("optimize", "--signature", SIGNATURE, "--trainset", train.toString(),
                "--valset", val.toString(), "--optimizer", "copro", "--out", dir.resolve("c.json").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("copro scores candidates on --trainset; --valset is not used");
        assertThat(server.requests()).noneSatisfy(request ->
                assertThat(request.bodyText()).contains("val item"));
    }
}
