package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.signature.Name;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ModuleStateTest {

    static final class Pipeline extends Module {
        final ChainOfThought draftAnswer = ChainOfThought.of("question -> answer");
        final List<Predict> critics = List.of(Predict.of("answer -> critique"), Predict.of("answer -> critique"));
        final Map<String, Predict> byLanguage = new LinkedHashMap<>(Map.of("en", Predict.of("text -> summary")));
        @Name("final") final Predict finish = Predict.of("answer, critique -> verdict");
        final Predict alias = finish; // the same object again: listed once
        final String notAModule = "ignored";

        @Override
        protected Prediction forward(Example in) {
            Prediction draft = draftAnswer.call(Map.of("question", in.get("question")));
            String answer = draft.getString("answer");
            Prediction critique = critics.get(0).call(Map.of("answer", answer));
            return finish.call(Map.of("answer", answer, "critique", critique.get("critique")));
        }
    }

    @Test
    void namesPredictorsAsDspyDoes() {
        assertThat(new Pipeline().namedPredictors().keySet()).containsExactly(
                "draft_answer.predict", "critics[0]", "critics[1]", "by_language['en']", "final");
        assertThat(Predict.of("q -> a").namedPredictors().keySet()).containsExactly("self");
        assertThat(ChainOfThought.of("q -> a").namedPredictors().keySet()).containsExactly("predict");
    }

    @Test
    void withStateLeavesTheOriginalUntouched() {
        Predict qa = Predict.of("question -> answer");
        ProgramState learned = qa.state().with("self", qa.state().predictor("self")
                .withDemos(List.of(Example.of("question", "2+2?", "answer", "4")))
                .withSignature(qa.signature().withInstructions("Answer tersely.")));

        Module tuned = qa.withState(learned);

        assertThat(qa.state().predictor("self").demos()).isEmpty();
        assertThat(qa.signature().instructions()).startsWith("Given the fields");
        assertThat(tuned.state().predictor("self").demos()).hasSize(1);

        ScriptedLm lm = ScriptedLm.answering(request -> "[[ ## answer ## ]]\nx\n\n[[ ## completed ## ]]");
        tuned.call(Map.of("question", "Q"), DspyContext.of(lm));
        qa.call(Map.of("question", "Q"), DspyContext.of(lm));
        List<LmRequest> requests = lm.requests();
        assertThat(requests.get(0).messages()).hasSize(4);
        assertThat(requests.get(0).messages().get(0).text()).endsWith("Answer tersely.");
        assertThat(requests.get(1).messages()).hasSize(2);
    }

    @Test
    void manyCopiesWithDifferentStateRunAtOnceOnDifferentThreads() throws Exception {
        Pipeline program = new Pipeline();
        ScriptedLm lm = ScriptedLm.answering(request -> {
            String system = request.messages().get(0).text();
            int demos = (request.messages().size() - 2) / 2;
            String marker = "demos=" + demos;
            if (system.contains("`verdict`")) {
                return "[[ ## verdict ## ]]\n" + marker + "\n\n[[ ## completed ## ]]";
            }
            if (system.contains("`critique`")) {
                return "[[ ## critique ## ]]\nok\n\n[[ ## completed ## ]]";
            }
            return "[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\na\n\n[[ ## completed ## ]]";
        });
        List<Module> copies = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            int count = k;
            copies.add(program.mapState((path, state) -> path.equals("final")
                    ? state.withDemos(java.util.Collections.nCopies(count,
                            Example.of("answer", "a", "critique", "c", "verdict", "v")))
                    : state));
        }

        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 25; round++) {
                for (Module copy : copies) {
                    results.add(pool.submit(() -> copy.call(Map.of("question", "Q"), DspyContext.of(lm))
                            .getString("verdict")));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo("demos=" + (i % copies.size()));
            }
        }
        assertThat(program.state().predictor("final").demos()).isEmpty();
    }

    @Test
    void stateForAnotherProgramIsRejected() {
        ProgramState other = ChainOfThought.of("q -> a").state();

        assertThatThrownBy(() -> Predict.of("q -> a").withState(other))
                .isInstanceOf(DspyException.class)
                .hasMessageContaining("[predict]")
                .hasMessageContaining("[self]");
    }

    @Test
    void withLmSetsEveryPredictorsLm() {
        ScriptedLm lm = ScriptedLm.answering(request -> "[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\na\n\n"
                + "[[ ## critique ## ]]\nc\n\n[[ ## verdict ## ]]\nv\n\n[[ ## completed ## ]]");

        Module withLm = new Pipeline().withLm(lm);

        assertThat(withLm.state().predictors().values()).allSatisfy(s -> assertThat(s.lm()).isSameAs(lm));
        assertThat(withLm.call(Map.of("question", "Q"), DspyContext.empty()).getString("verdict")).isEqualTo("v");
        assertThat(lm.callCount()).isEqualTo(3);
    }
}
