package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.module.Retrieve;
import dev.dspy4j.module.StateLoadException;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Retrieve}'s {@code k} is saved and loaded as DSPy does ({@code "retrieve": {"k": 3}},
 * a named parameter between the predictors), and a loaded program searches with it.
 */
class RetrieveStateTest {

    /**
     * A file in DSPy 3.3's format (orjson, 2-space indent) for DSPy's multi-hop RAG program:
     * {@code self.generate_query = [dspy.ChainOfThought(...) for _ in range(2)]},
     * {@code self.retrieve = dspy.Retrieve(k=5)}, {@code self.generate_answer = dspy.ChainOfThought(...)}.
     * ChainOfThought's predictor is its {@code predict} attribute, so the paths are
     * {@code generate_query[0].predict}, ..., {@code retrieve}, {@code generate_answer.predict}.
     */
    static final String DSPY_FILE = """
            {
              "generate_query[0].predict": {
                "traces": [],
                "train": [],
                "demos": [],
                "signature": {
                  "instructions": "Write a search query that finds what is still missing.",
                  "fields": [
                    {
                      "prefix": "Context:",
                      "description": "${context}"
                    },
                    {
                      "prefix": "Question:",
                      "description": "${question}"
                    },
                    {
                      "prefix": "Reasoning:",
                      "description": "${reasoning}"
                    },
                    {
                      "prefix": "Query:",
                      "description": "${query}"
                    }
                  ]
                },
                "lm": null
              },
              "generate_query[1].predict": {
                "traces": [],
                "train": [],
                "demos": [],
                "signature": {
                  "instructions": "Write a search query that finds what is still missing.",
                  "fields": [
                    {
                      "prefix": "Context:",
                      "description": "${context}"
                    },
                    {
                      "prefix": "Question:",
                      "description": "${question}"
                    },
                    {
                      "prefix": "Reasoning:",
                      "description": "${reasoning}"
                    },
                    {
                      "prefix": "Query:",
                      "description": "${query}"
                    }
                  ]
                },
                "lm": null
              },
              "retrieve": {
                "k": 5
              },
              "generate_answer.predict": {
                "traces": [],
                "train": [],
                "demos": [
                  {
                    "augmented": true,
                    "context": [
                      "Oslo is the capital of Norway."
                    ],
                    "question": "What is the capital of Norway?",
                    "reasoning": "The context says so.",
                    "answer": "Oslo"
                  }
                ],
                "signature": {
                  "instructions": "Answer the question from the context.",
                  "fields": [
                    {
                      "prefix": "Context:",
                      "description": "${context}"
                    },
                    {
                      "prefix": "Question:",
                      "description": "${question}"
                    },
                    {
                      "prefix": "Reasoning:",
                      "description": "${reasoning}"
                    },
                    {
                      "prefix": "Answer:",
                      "description": "${answer}"
                    }
                  ]
                },
                "lm": null
              },
              "metadata": {
                "dependency_versions": {
                  "python": "3.11",
                  "dspy": "3.3.1",
                  "cloudpickle": "3.1"
                }
              }
            }
            """;

    /** The Java counterpart of DSPy's multi-hop RAG module; its code sets k = 3. */
    static final class MultiHopRag extends Module {
        final List<ChainOfThought> generateQuery = List.of(
                ChainOfThought.of("context: list[str], question -> query"),
                ChainOfThought.of("context: list[str], question -> query"));
        final Retrieve retrieve = new Retrieve(3);
        final ChainOfThought generateAnswer = ChainOfThought.of("context: list[str], question -> answer");

        @Override
        protected Prediction forward(Example inputs) {
            List<Object> context = new ArrayList<>();
            for (ChainOfThought hop : generateQuery) {
                String query = hop.call(Map.of("context", List.copyOf(context), "question", inputs.get("question")))
                        .getString("query");
                context.addAll((List<?>) retrieve.call(Map.of("query", query)).get("passages"));
            }
            return generateAnswer.call(Map.of("context", List.copyOf(context), "question", inputs.get("question")));
        }
    }

    /** Returns k passages "query #i" and records each k it was asked for. */
    static final class Recording implements Retriever {
        final List<Integer> ks = new CopyOnWriteArrayList<>();

        @Override
        public List<Passage> search(String query, int k) {
            ks.add(k);
            List<Passage> hits = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                hits.add(Passage.of(Integer.toString(i), query + " #" + i));
            }
            return hits;
        }
    }

    static ScriptedLm lm() {
        return ScriptedLm.answering((LmRequest request) -> request.messages().get(0).text().contains("`query`")
                ? ScriptedLm.chatCompletion(Map.of("reasoning", "r", "query", "q"))
                : ScriptedLm.chatCompletion(Map.of("reasoning", "r", "answer", "Oslo")));
    }

    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void retrievesAreNamedParametersBetweenThePredictorsInAttributeOrder() {
        MultiHopRag program = new MultiHopRag();

        assertThat(program.namedParameters().keySet()).containsExactly(
                "generate_query[0].predict", "generate_query[1].predict", "retrieve", "generate_answer.predict");
        assertThat(program.namedParameters().get("retrieve")).isSameAs(program.retrieve);
        assertThat(program.namedPredictors().keySet()).containsExactly(
                "generate_query[0].predict", "generate_query[1].predict", "generate_answer.predict");
        assertThat(new Retrieve().namedParameters().keySet()).containsExactly("self");
        assertThat(new Retrieve().namedPredictors()).isEmpty();
    }

    @Test
    void retrievesInSubModulesListsAndMapsAreNamedAsDspyNamesThem() {
        Module nested = new Module() {
            final MultiHopRag inner = new MultiHopRag();
            final List<Retrieve> shards = List.of(new Retrieve(1), new Retrieve(2));
            final Map<String, Retrieve> byName = new LinkedHashMap<>(Map.of("web", new Retrieve(4)));
            final Retrieve again = shards.get(0); // the same object again: listed once

            @Override
            protected Prediction forward(Example inputs) {
                return Prediction.of(Map.of());
            }
        };

        assertThat(nested.state().retrieveKs()).containsExactly(
                Map.entry("inner.retrieve", 3), Map.entry("shards[0]", 1), Map.entry("shards[1]", 2),
                Map.entry("by_name['web']", 4));
    }

    @Test
    void aDspyFileWithARetrieveLoadsSearchesWithItsKAndResavesByteForByte() throws IOException {
        // given: DSPy's file, with k = 5 where the code says 3
        Path file = write("rag.json", DSPY_FILE);
        MultiHopRag program = new MultiHopRag();
        Recording retriever = new Recording();

        // when
        Module loaded = program.load(file);
        Prediction answer = loaded.call(Map.of("question", "What is the capital of Norway?"),
                DspyContext.of(lm()).withRetriever(retriever));
        loaded.save(dir.resolve("resaved.json"));

        // then: both hops searched for 5 passages; the code's program still has 3
        assertThat(answer.getString("answer")).isEqualTo("Oslo");
        assertThat(retriever.ks).containsExactly(5, 5);
        assertThat(loaded.state().retrieveK("retrieve")).isEqualTo(5);
        assertThat(loaded.state().predictor("generate_answer.predict").demos()).hasSize(1);
        assertThat(program.state().retrieveK("retrieve")).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("resaved.json"))).isEqualTo(DSPY_FILE);
    }

    @Test
    void theOriginalProgramKeepsSearchingWithTheKInItsCode() {
        MultiHopRag program = new MultiHopRag();
        Recording retriever = new Recording();
        program.load(writeUnchecked("rag.json", DSPY_FILE));

        program.call(Map.of("question", "Q"), DspyContext.of(lm()).withRetriever(retriever));

        assertThat(retriever.ks).containsExactly(3, 3);
    }

    @Test
    void savingAProgramWritesEachRetrievesKWhereDspyWritesIt() {
        String json = new MultiHopRag().state().toJson();

        assertThat(json).contains("""
                  },
                  "retrieve": {
                    "k": 3
                  },
                  "generate_answer.predict": {
                """);
        assertThat(json.indexOf("\"generate_query[1].predict\"")).isLessThan(json.indexOf("\"retrieve\""));
    }

    @Test
    void aPerCallKStillWinsOverTheStatesK() {
        Retrieve retrieve = new Retrieve(3);
        Module seven = retrieve.withState(retrieve.state().withRetrieveK("self", 7));
        Recording retriever = new Recording();
        DspyContext context = DspyContext.empty().withRetriever(retriever);

        seven.call(Map.of("query", "q"), context);
        seven.call(Map.of("query", "q", "k", 2), context);
        retrieve.call(Map.of("query", "q"), context);

        assertThat(retriever.ks).containsExactly(7, 2, 3);
    }

    @Test
    void searchInsideAProgramUsesTheStatesK() {
        Module searching = new Module() {
            final Retrieve retrieve = new Retrieve(3);

            @Override
            protected Prediction forward(Example inputs) {
                return Prediction.of(Map.of("hits", retrieve.search(inputs.getString("query")).size()));
            }
        };
        Module six = searching.withState(searching.state().withRetrieveK("retrieve", 6));
        DspyContext context = DspyContext.empty().withRetriever(new Recording());

        assertThat(six.call(Map.of("query", "q"), context).get("hits")).isEqualTo(6);
        assertThat(searching.call(Map.of("query", "q"), context).get("hits")).isEqualTo(3);
    }

    @Test
    void aBareRetrieveSavesFlatAsItsOwnStateAndLoadsBack() throws IOException {
        Path file = dir.resolve("retrieve.json");
        Retrieve retrieve = new Retrieve(4);

        retrieve.save(file);
        Module loaded = new Retrieve().load(file);

        assertThat(Files.readString(file)).startsWith("{\n  \"k\": 4,\n  \"metadata\": {");
        assertThat(loaded.state().retrieveK("self")).isEqualTo(4);
    }

    @Test
    void aKThatIsNotAnIntegerOfAtLeastOneIsRejectedNamingTheFileAndTheRetrieve() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"k\": \"5\"}", "has a 'k' that is a string, not an integer");
        cases.put("{\"k\": 2.5}", "has a 'k' that is double 2.5, not an integer");
        cases.put("{\"k\": true}", "has a 'k' that is boolean true, not an integer");
        cases.put("{\"k\": null}", "has a 'k' that is null, not an integer");
        cases.put("{\"k\": 0}", "has 'k' = 0, out of range");
        cases.put("{\"k\": -1}", "has 'k' = -1, out of range");
        cases.put("{\"k\": 3000000000}", "has 'k' = 3000000000, out of range");
        cases.put("{}", "has no 'k'");
        cases.put("5", "must be a JSON object like {\"k\": 3}, not long 5");
        cases.forEach((entry, problem) -> {
            Path file = writeUnchecked("bad.json", DSPY_FILE.replace("{\n    \"k\": 5\n  }", entry));

            assertThatThrownBy(() -> new MultiHopRag().load(file))
                    .as(entry)
                    .isInstanceOf(StateLoadException.class)
                    .hasMessageStartingWith("Saved program " + file + ": Retrieve 'retrieve' " + problem)
                    .hasMessageContaining("DSPy saves a Retrieve as {\"k\": <passages per search>}");
        });
    }

    @Test
    void aFileWithoutEveryRetrieveIsRejectedAsDspyRejectsIt() {
        Module twoRetrieves = new Module() {
            final Retrieve first = new Retrieve(1);
            final Predict answer = Predict.of("question -> answer");
            final Retrieve second = new Retrieve(2);

            @Override
            protected Prediction forward(Example inputs) {
                return answer.call(inputs.toMap());
            }
        };
        String saved = twoRetrieves.state().toJson();
        Path file = writeUnchecked("partial.json", saved.replace("  \"second\": {\n    \"k\": 2\n  },\n", ""));

        assertThatThrownBy(() -> twoRetrieves.load(file))
                .isInstanceOf(StateLoadException.class)
                .hasMessageContaining("the file holds parameters [first, answer]")
                .hasMessageContaining("the program has predictors and Retrieves [first, answer, second]")
                .hasMessageContaining("no state for [second]");
    }

    @Test
    void aFileWithARetrieveTheProgramLacksIsRejected() {
        Path file = writeUnchecked("rag.json", DSPY_FILE);
        Module noRetrieve = new Module() {
            final List<ChainOfThought> generateQuery = List.of(
                    ChainOfThought.of("context: list[str], question -> query"),
                    ChainOfThought.of("context: list[str], question -> query"));
            final ChainOfThought generateAnswer = ChainOfThought.of("context: list[str], question -> answer");

            @Override
            protected Prediction forward(Example inputs) {
                return generateAnswer.call(inputs.toMap());
            }
        };

        assertThatThrownBy(() -> noRetrieve.load(file))
                .isInstanceOf(StateLoadException.class)
                .hasMessageContaining("not in the program: [retrieve]");
    }

    @Test
    void aFileSavedByAnOlderDspy4jWithoutAnyRetrieveLoadsWithTheKsInTheCode() throws IOException {
        // given: the file an older dspy4j saved: every predictor, no "retrieve"
        Path file = write("old.json", DSPY_FILE.replace("  \"retrieve\": {\n    \"k\": 5\n  },\n", ""));

        // when
        Module loaded = new MultiHopRag().load(file);
        loaded.save(dir.resolve("resaved.json"));

        // then: k comes from the code, and saving again writes it where DSPy expects it
        assertThat(loaded.state().retrieveK("retrieve")).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("resaved.json")))
                .isEqualTo(DSPY_FILE.replace("\"k\": 5", "\"k\": 3"));
    }

    @Test
    void stateEqualityAndTextIncludeEachRetrievesK() {
        ProgramState three = new MultiHopRag().state();
        ProgramState five = three.withRetrieveK("retrieve", 5);

        assertThat(five).isNotEqualTo(three).isEqualTo(three.withRetrieveK("retrieve", 5));
        assertThat(five.hashCode()).isEqualTo(three.withRetrieveK("retrieve", 5).hashCode());
        assertThat(five.predictors()).isEqualTo(three.predictors());
        assertThat(five).hasToString("ProgramState[generate_query[0].predict, generate_query[1].predict, "
                + "retrieve (k=5), generate_answer.predict]");
        assertThatThrownBy(() -> three.withRetrieveK("retrieve", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> three.retrieveK("generate_answer.predict")).isInstanceOf(DspyException.class)
                .hasMessageContaining("Retrieve paths are [retrieve]");
    }

    @Test
    void stateBuiltFromMapsRunsAndSavesInTheProgramsOrder() {
        MultiHopRag program = new MultiHopRag();
        ProgramState built = ProgramState.of(program.state().predictors(), Map.of("retrieve", 5));

        Module withState = program.withState(built);

        assertThat(withState.state().toJson())
                .isEqualTo(program.state().withRetrieveK("retrieve", 5).toJson());
        assertThatThrownBy(() -> program.withState(ProgramState.of(program.state().predictors())))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("Retrieve paths [] do not match the program's [retrieve]");
    }

    @Test
    void mapStateKeepsEachRetrievesK() {
        Module loaded = new MultiHopRag().load(writeUnchecked("rag.json", DSPY_FILE));

        Module edited = loaded.mapState((path, state) -> state.withDemos(List.of()));

        assertThat(edited.state().retrieveK("retrieve")).isEqualTo(5);
        assertThat(edited.state().predictor("generate_answer.predict").demos()).isEmpty();
    }

    private Path writeUnchecked(String name, String json) {
        try {
            return write(name, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
