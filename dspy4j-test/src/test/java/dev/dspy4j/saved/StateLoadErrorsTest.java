package dev.dspy4j.saved;

import static dev.dspy4j.saved.SavedPrograms.JSON;
import static dev.dspy4j.saved.SavedPrograms.list;
import static dev.dspy4j.saved.SavedPrograms.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.module.StateLoadException;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading saved state that does not fit the program fails with a message naming the file and the
 * predictor, and changes nothing; saving and loading round-trip; secrets are never written; a
 * loaded program and its original run side by side.
 */
class StateLoadErrorsTest {

    /** A two-predictor program: paths {@code draft} and {@code refine.predict}. */
    static final class Drafter extends Module {

        final Predict draft;
        final ChainOfThought refine = ChainOfThought.of("question, draft -> answer");

        Drafter(List<Example> draftDemos) {
            this.draft = Predict.of("question -> draft").withDemos(draftDemos);
        }

        @Override
        protected Prediction forward(Example inputs) {
            String question = inputs.getString("question");
            String drafted = draft.call(Map.of("question", question)).getString("draft");
            return refine.call(Map.of("question", question, "draft", drafted));
        }
    }

    /** Replies to whichever predictor asks, in ChatAdapter format. */
    static String reply(LmRequest request) {
        String last = request.messages().get(request.messages().size() - 1).text();
        if (last.contains("starting with the field `[[ ## draft ## ]]`")) {
            return "[[ ## draft ## ]]\na draft\n\n[[ ## completed ## ]]";
        }
        return "[[ ## reasoning ## ]]\nsome reasoning\n\n[[ ## answer ## ]]\nan answer\n\n[[ ## completed ## ]]";
    }

    @TempDir
    Path dir;

    private Module program;
    private Map<String, Object> valid;

    @BeforeEach
    void loadAValidStateFirst() throws IOException {
        Map<String, Object> state = object(JSON.readValue(new Drafter(List.of()).state().toJson(), Object.class));
        object(state.get("draft")).put("demos", new ArrayList<>(List.of(
                demo("What is 2 + 2?", "4"))));
        object(object(state.get("refine.predict")).get("signature")).put("instructions", "Refine the draft.");
        valid = state;
        program = new Drafter(List.of()).load(write("valid.json", state));
        assertThat(program.state().predictor("draft").demos()).hasSize(1);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void malformedJsonIsRejectedNamingTheFile() throws IOException {
        Path file = writeText("malformed.json", "{\"draft\": {\"demos\": [}");

        assertRejected(file).hasMessageContaining("not valid JSON");
    }

    @Test
    void aTopLevelValueThatIsNotAnObjectIsRejectedNamingTheFile() throws IOException {
        Path file = writeText("array.json", "[1, 2, 3]");

        assertRejected(file).hasMessageContaining("object");
    }

    @Test
    void aMissingPredictorIsRejectedNamingItsPath() throws IOException {
        Path file = edited("missing.json", s -> s.remove("refine.predict"));

        assertRejected(file).hasMessageContaining("refine.predict");
    }

    @Test
    void anExtraPredictorIsRejectedNamingItsPath() throws IOException {
        Path file = edited("extra.json", s -> s.put("polish.predict", s.get("refine.predict")));

        assertRejected(file).hasMessageContaining("polish.predict");
    }

    @Test
    void aMismatchNamesThePathsInTheFileAndThePathsInTheProgram() throws IOException {
        Path file = edited("renamed.json", s -> s.put("polish.predict", s.remove("refine.predict")));

        assertRejected(file)
                .hasMessageContaining("the file holds predictors [draft, polish.predict]")
                .hasMessageContaining("the program has [draft, refine.predict]")
                .hasMessageContaining("no state for [refine.predict]")
                .hasMessageContaining("not in the program: [polish.predict]");
    }

    @Test
    void aFileOfSeveralPredictorsIsRejectedByABarePredictInsteadOfLoadingAsEmptyState() throws IOException {
        // given: a file saved from the two-predictor Drafter, and a bare Predict (path "self", saved flat)
        Path file = write("drafter.json", valid);
        Predict bare = Predict.of("question -> answer");

        // when / then: DSPy would fail on the missing "signature" key; silently loading no demos
        // and the code's instructions would hide the mistake
        assertThatThrownBy(() -> bare.load(file))
                .isInstanceOf(StateLoadException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("the file holds predictors [draft, refine.predict]")
                .hasMessageContaining("the program has [self]");
    }

    @Test
    void aBarePredictorsFlatFileIsRejectedByAProgramOfSeveralPredictors() throws IOException {
        // given: a bare Predict saved flat, as DSPy saves it
        Path file = dir.resolve("bare.json");
        Predict.of("question -> draft").withDemos(List.of(Example.of("question", "q", "draft", "d"))).save(file);

        // when / then
        assertRejected(file)
                .hasMessageContaining("the file holds a single predictor saved flat (path 'self')")
                .hasMessageContaining("the program has [draft, refine.predict]");
    }

    @Test
    void aBarePredictStillLoadsItsFlatFileAndAFileKeyedBySelf() throws IOException {
        // given: DSPy saves a bare Predict flat; a file keyed by "self" is accepted too
        Path flat = dir.resolve("flat.json");
        Predict.of("question -> answer").withDemos(List.of(Example.of("question", "q", "answer", "a"))).save(flat);
        Map<String, Object> flatState = object(JSON.readValue(Files.readString(flat), Object.class));
        Map<String, Object> keyed = new LinkedHashMap<>();
        keyed.put("self", new LinkedHashMap<>(flatState));
        object(keyed.get("self")).remove("metadata");
        keyed.put("metadata", flatState.get("metadata"));
        Path bySelf = write("by-self.json", keyed);

        // when
        Module fromFlat = Predict.of("question -> answer").load(flat);
        Module fromSelf = Predict.of("question -> answer").load(bySelf);

        // then
        assertThat(fromFlat.state().predictor("self").demos()).hasSize(1);
        assertThat(fromSelf.state()).isEqualTo(fromFlat.state());
    }

    @Test
    void aMissingFileIsReportedAsNotFoundWithItsPath() {
        Path file = dir.resolve("no-such-program.json");

        assertRejected(file).hasMessageContaining("not found").hasMessageContaining(file.toAbsolutePath().toString());
    }

    @Test
    void aMismatchNamesTheUsersProgramClassEvenWhenLoadedIntoALoadedProgram() throws IOException {
        Path file = edited("missing-again.json", s -> s.remove("draft"));

        assertRejected(file).hasMessageContaining("Drafter").hasMessageNotContaining("StatefulModule");
    }

    @Test
    void aFieldCountMismatchIsRejectedNamingThePredictor() throws IOException {
        Path file = edited("fields.json", s -> list(signatureOf(s, "refine.predict").get("fields")).remove(0));

        assertRejected(file).hasMessageContaining("refine.predict").hasMessageContaining("fields");
    }

    @Test
    void demosThatAreNotAListAreRejectedNamingThePredictor() throws IOException {
        Path file = edited("demos.json", s -> object(s.get("draft")).put("demos", "not a list"));

        assertRejected(file).hasMessageContaining("draft").hasMessageContaining("demos");
    }

    @Test
    void aNonStringInstructionIsRejectedNamingThePredictor() throws IOException {
        Path file = edited("instructions.json", s -> signatureOf(s, "refine.predict").put("instructions", 42));

        assertRejected(file).hasMessageContaining("refine.predict").hasMessageContaining("instructions");
    }

    @Test
    void aSavedLmWithoutAResolverIsRejectedNamingThePredictor() throws IOException {
        Path file = edited("lm.json", s -> object(s.get("draft")).put("lm", dspyLmState()));

        assertRejected(file).hasMessageContaining("draft").hasMessageContaining("openai/gpt-4o-mini");
    }

    @Test
    void anLmResolverThatReturnsNullIsRejectedNamingThePredictor() throws IOException {
        Path file = edited("lm-null.json", s -> object(s.get("draft")).put("lm", dspyLmState()));
        String before = program.state().toJson();

        assertThatThrownBy(() -> program.load(file, settings -> null))
                .isInstanceOf(StateLoadException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("draft");
        assertThat(program.state().toJson()).isEqualTo(before);
    }

    @Test
    void anLmResolverReceivesModelAndOptionsButNeverCredentials() throws IOException {
        Path file = edited("lm-resolved.json", s -> object(s.get("draft")).put("lm", dspyLmState()));
        AtomicReference<Map<String, Object>> received = new AtomicReference<>();
        ScriptedLm draftLm = ScriptedLm.answering(StateLoadErrorsTest::reply);
        ScriptedLm contextLm = ScriptedLm.answering(StateLoadErrorsTest::reply);

        Module loaded = program.load(file, settings -> {
            received.set(Map.copyOf(settings.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
            return savingLm(draftLm, settings);
        });
        loaded.call(Map.of("question", "Who wrote Dune?"), DspyContext.of(contextLm).withAdapter(ChatAdapter.DEFAULT));

        assertThat(received.get())
                .containsEntry("model", "openai/gpt-4o-mini")
                .containsEntry("temperature", 0.0)
                .containsEntry("max_tokens", 4000L)
                .doesNotContainKeys("api_key", "api_base");
        assertThat(draftLm.callCount()).as("calls to the draft predictor's own LM").isEqualTo(1);
        assertThat(contextLm.callCount()).as("calls to the context's LM").isEqualTo(1);
        String resaved = loaded.state().toJson();
        assertThat(resaved).contains("openai/gpt-4o-mini").doesNotContain("api_key", "sk-live-secret", "api_base");
    }

    // ------------------------------------------------------------------ round trip and secrets

    @Test
    void savingAndLoadingDemosWithNestedValuesNonAsciiTextAndFloatsGivesEqualState() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", "Zürich ☃ 東京 «quotes» \"escaped\" \\ back\tslash\n🚀");
        meta.put("weights", List.of(0.1, 1.0E-7, 100.0, 1.5E300, -0.0, 2.5));
        // whole numbers are Longs, as the adapters parse them and as loading reads them
        meta.put("nested", List.of(List.of(1L, 2L), List.of(Map.of("k", "v")), List.of()));
        meta.put("empty", Map.of());
        meta.put("flag", true);
        meta.put("nothing", null);
        Example draftDemo = Example.of("question", "Wie heißt die Hauptstadt von Japan?", "draft", "Tōkyō",
                "meta", meta);
        Example refineDemo = Example.of("augmented", true, "question", "¿Qué?", "draft", "d",
                "reasoning", "multi\nline\n\n  indented", "answer", "ok", "score", 0.95);
        Module original = new Drafter(List.of()).mapState((path, s) -> path.equals("draft")
                ? s.withDemos(List.of(draftDemo))
                : s.withDemos(List.of(refineDemo))
                        .withSignature(s.signature().withInstructions("Line one.\nLine two.\n\nLast line.")
                                .withField("answer", f -> f.withDescription("a short answer")
                                        .withPrefix("Final Answer:"))));
        Path file = dir.resolve("roundtrip.json");

        original.save(file);
        Module loaded = new Drafter(List.of()).load(file);

        assertThat(loaded.state()).isEqualTo(original.state());
        assertThat(loaded.state().predictors()).isEqualTo(original.state().predictors());
        assertThat(loaded.state().toJson()).isEqualTo(original.state().toJson());
    }

    @Test
    void integerDemoValuesParsedAsLongComeBackEqualAfterARoundTrip() {
        // The adapter parses int outputs to Long, so bootstrapped demos hold Longs.
        Example demo = Example.of("question", "How many moons has Mars?", "draft", "two", "count", 2L);
        Module original = new Drafter(List.of(demo));
        Path file = dir.resolve("longs.json");

        original.save(file);
        Module loaded = new Drafter(List.of()).load(file);

        assertThat(loaded.state().predictor("draft").demos().get(0).get("count")).isEqualTo(2L);
        assertThat(loaded.state()).isEqualTo(original.state());
    }

    @Test
    void nonFiniteFloatsInDemosStillSaveAsValidJson() {
        // orjson, which DSPy saves with, writes NaN and infinities as null.
        Example demo = Example.of("question", "q", "draft", "d", "weights",
                List.of(Double.NaN, Double.POSITIVE_INFINITY, 0.5));
        Module original = new Drafter(List.of(demo));
        Path file = dir.resolve("nan.json");

        original.save(file);

        Map<String, Object> saved = SavedPrograms.readObject(file);
        Map<String, Object> savedDemo = SavedPrograms.objects(object(saved.get("draft")).get("demos")).get(0);
        assertThat(list(savedDemo.get("weights"))).containsExactly(null, null, 0.5);
        assertThat(new Drafter(List.of()).load(file).state().predictor("draft").demos()).hasSize(1);
    }

    @Test
    void savingNeverWritesAnApiKeyEvenIfTheLmReportsOne() {
        Lm leaky = new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, Object> savedState() {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("model", "openai/gpt-4o-mini");
                state.put("temperature", 0.0);
                state.put("api_key", "sk-live-secret");
                state.put("API_KEY", "sk-upper-secret");
                state.put("api_base", "https://internal.example/v1");
                return state;
            }
        };
        Module withLm = new Drafter(List.of()).withLm(leaky);
        Path file = dir.resolve("secrets.json");

        withLm.save(file);
        String json = withLm.state().toJson();

        assertThat(json).contains("\"model\": \"openai/gpt-4o-mini\"").contains("\"_dspy_lm_class\"")
                .doesNotContainIgnoringCase("api_key").doesNotContain("sk-live-secret", "sk-upper-secret",
                        "internal.example");
        assertThat(SavedPrograms.text(file)).isEqualTo(json);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void aLoadedProgramAndItsOriginalRunConcurrentlyEachWithItsOwnDemos() throws Exception {
        Module original = new Drafter(List.of(Example.of("question", "ORIGINAL question", "draft", "ORIGINAL draft")));
        Path file = edited("concurrent.json", s -> object(s.get("draft")).put("demos", new ArrayList<>(List.of(
                demo("LOADED question", "LOADED draft")))));
        Module loaded = original.load(file);
        ScriptedLm originalLm = ScriptedLm.answering(StateLoadErrorsTest::reply);
        ScriptedLm loadedLm = ScriptedLm.answering(StateLoadErrorsTest::reply);
        int rounds = 200;
        CountDownLatch start = new CountDownLatch(1);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> runRepeatedly(original, originalLm, rounds, start));
            Future<?> b = pool.submit(() -> runRepeatedly(loaded, loadedLm, rounds, start));
            start.countDown();
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(originalLm.requests()).hasSize(2 * rounds);
        assertThat(loadedLm.requests()).hasSize(2 * rounds);
        assertThat(draftPrompts(originalLm)).hasSize(rounds).allSatisfy(prompt -> assertThat(prompt)
                .contains("ORIGINAL question").doesNotContain("LOADED"));
        assertThat(draftPrompts(loadedLm)).hasSize(rounds).allSatisfy(prompt -> assertThat(prompt)
                .contains("LOADED question").doesNotContain("ORIGINAL"));
        assertThat(refinePrompts(loadedLm)).allSatisfy(prompt -> assertThat(prompt).contains("Refine the draft."));
        assertThat(refinePrompts(originalLm)).allSatisfy(prompt -> assertThat(prompt).doesNotContain("Refine the draft."));
    }

    private static void runRepeatedly(Module module, ScriptedLm lm, int rounds, CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        DspyContext context = DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT);
        for (int i = 0; i < rounds; i++) {
            assertThat(module.call(Map.of("question", "Q" + i), context).getString("answer")).isEqualTo("an answer");
        }
    }

    private static List<String> draftPrompts(ScriptedLm lm) {
        return prompts(lm, true);
    }

    private static List<String> refinePrompts(ScriptedLm lm) {
        return prompts(lm, false);
    }

    private static List<String> prompts(ScriptedLm lm, boolean draft) {
        return lm.requests().stream()
                .filter(r -> r.messages().get(r.messages().size() - 1).text()
                        .contains("starting with the field `[[ ## draft ## ]]`") == draft)
                .map(r -> String.join("\n---\n", r.messages().stream().map(Message::text).toList()))
                .toList();
    }

    // ------------------------------------------------------------------ helpers

    /** Loading {@code file} into the program fails naming the file, and leaves its state as it was. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Path file) {
        ProgramState before = program.state();
        String beforeJson = before.toJson();

        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(() -> program.load(file))
                .isInstanceOf(StateLoadException.class)
                .hasMessageContaining(file.toString());

        assertThat(program.state()).isEqualTo(before);
        assertThat(program.state().toJson()).isEqualTo(beforeJson);
        return thrown;
    }

    private Path edited(String name, Consumer<Map<String, Object>> edit) throws IOException {
        Map<String, Object> copy = object(JSON.readValue(JSON.writeValueAsString(valid), Object.class));
        edit.accept(copy);
        return write(name, copy);
    }

    private static Map<String, Object> demo(String question, String draft) {
        Map<String, Object> demo = new LinkedHashMap<>();
        demo.put("question", question);
        demo.put("draft", draft);
        return demo;
    }

    private static Map<String, Object> signatureOf(Map<String, Object> state, String path) {
        return object(object(state.get(path)).get("signature"));
    }

    private Path write(String name, Object json) throws IOException {
        return writeText(name, JSON.writeValueAsString(json));
    }

    private Path writeText(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** An {@code lm} entry as DSPy 3.3 saves it, here with credentials a careless tool left in. */
    private static Map<String, Object> dspyLmState() {
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("_dspy_lm_class", "dspy.clients.lm.LM");
        lm.put("model", "openai/gpt-4o-mini");
        lm.put("model_type", "chat");
        lm.put("cache", true);
        lm.put("num_retries", 3);
        lm.put("temperature", 0.0);
        lm.put("max_tokens", 4000);
        lm.put("api_key", "sk-live-secret");
        lm.put("api_base", "https://internal.example/v1");
        lm.put("finetuning_model", null);
        lm.put("launch_kwargs", Map.of());
        lm.put("train_kwargs", Map.of());
        return lm;
    }

    /** An LM that answers like {@code delegate} and saves {@code settings}, as a real client would. */
    private static Lm savingLm(ScriptedLm delegate, Map<String, Object> settings) {
        Map<String, Object> saved = new LinkedHashMap<>(settings);
        Function<LmRequest, LmResponse> call = delegate::call;
        return new Lm() {
            @Override
            public LmResponse call(LmRequest request) {
                return call.apply(request);
            }

            @Override
            public String model() {
                return String.valueOf(saved.get("model"));
            }

            @Override
            public Map<String, Object> savedState() {
                return new LinkedHashMap<>(saved);
            }
        };
    }
}
