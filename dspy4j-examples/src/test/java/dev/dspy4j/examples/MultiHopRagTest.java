package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Module;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiHopRagTest {

    /** DSPy's saved multi-hop program (three query hops, then the answer), from the shared test data. */
    private static final Path DSPY_SAVED = Path.of(System.getProperty("dspy4j.shared", "../../shared"))
            .resolve("dspy-saved/04_multihop_list_of_cot/program.json");

    private static String reply(String field, String value) {
        return "[[ ## reasoning ## ]]\nThinking.\n\n[[ ## " + field + " ## ]]\n" + value + "\n\n[[ ## completed ## ]]";
    }

    private static String lastText(ScriptedLm lm, int request) {
        List<Message> messages = lm.requests().get(request).messages();
        return messages.get(messages.size() - 1).text();
    }

    @Test
    void aProgramOfTheSameShapeSavedByDspyLoadsAndSavesBackUnchanged() throws Exception {
        Module loaded = new MultiHopRag(3, 2).load(DSPY_SAVED);

        assertThat(loaded.namedPredictors().keySet()).containsExactly("generate_query[0].predict",
                "generate_query[1].predict", "generate_query[2].predict", "generate_answer.predict");
        // the file has no Retrieve entry (its Python program had none), so it loads with the code's k
        // and saves with the entry where DSPy's named_parameters() order puts it
        assertThat(loaded.state().retrieveK("retrieve")).isEqualTo(2);
        assertThat(loaded.state().toJson()).isEqualTo(Files.readString(DSPY_SAVED)
                .replace("\n  \"generate_answer.predict\"", "\n  \"retrieve\": {\n    \"k\": 2\n  },\n  \"generate_answer.predict\""));
    }

    @Test
    void savesTheRetrievesKAsDspyDoesAndLoadsItBack(@TempDir Path dir) throws Exception {
        // DSPy's Retrieve is a Parameter: a program with self.retrieve saves {"retrieve": {"k": 3}} too
        Path saved = dir.resolve("program.json");
        new MultiHopRag().save(saved);
        String json = Files.readString(saved);
        assertThat(json).contains("\"retrieve\": {\n    \"k\": 3\n  }");
        Files.writeString(saved, json.replace("\"k\": 3", "\"k\": 5"));

        Module loaded = new MultiHopRag().load(saved);

        assertThat(loaded.namedPredictors()).hasSize(3);
        assertThat(loaded.state().retrieveK("retrieve")).isEqualTo(5);
    }

    @Test
    void eachHopSearchesWithItsQueryAndTheAnswerSeesTheDeduplicatedPassagesInOrder() {
        // given: a retriever that returns the same passage for both queries, plus one new one for the second
        Retriever retriever = new Retriever() {
            @Override
            public List<Passage> search(String query, int k) {
                return query.equals("first")
                        ? List.of(Passage.of("a", "alpha"), Passage.of("b", "beta"))
                        : List.of(Passage.of("b", "beta"), Passage.of("c", "gamma"));
            }
        };
        ScriptedLm lm = ScriptedLm.replying(reply("query", "first"), reply("query", "second"), reply("answer", "gamma"));

        // when
        Prediction out = new MultiHopRag(2, 2).call(Map.of("question", "q?"), DspyContext.of(lm).withRetriever(retriever));

        // then
        assertThat(out.get("context")).isEqualTo(List.of("alpha", "beta", "gamma"));
        assertThat(out.getString("answer")).isEqualTo("gamma");
        assertThat(lastText(lm, 1)).contains("[[ ## context ## ]]\n[\"alpha\", \"beta\"]\n");
        assertThat(lastText(lm, 2)).contains("[[ ## context ## ]]\n[\"alpha\", \"beta\", \"gamma\"]\n");
    }
}
