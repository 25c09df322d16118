package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiling a typed program gives a typed program: no cast, same record types, learned state. */
class TypedProgramsTest {

    record Question(String question) {}

    record Answer(String answer) {}

    private static List<Example> demos(TypedModule<?, ?> program, String path) {
        return program.state().predictor(path).demos();
    }

    @Test
    void bootstrapFewShotCompilesATypedProgramIntoATypedProgram() {
        // given
        TypedModule<Question, Answer> student = Predict.typed(Question.class, Answer.class);
        ScriptedLm lm = Fixtures.oddCorrect();

        // when
        TypedModule<Question, Answer> compiled = BootstrapFewShot.builder().metric(Fixtures.EXACT)
                .maxBootstrappedDemos(2).maxLabeledDemos(2).build()
                .compile(student, Fixtures.trainset(6), DspyContext.of(lm));

        // then
        assertThat(compiled.inputType()).isEqualTo(Question.class);
        assertThat(compiled.outputType()).isEqualTo(Answer.class);
        assertThat(demos(compiled, "self")).containsExactly(Fixtures.demo(1), Fixtures.demo(3));
        assertThat(demos(student, "self")).isEmpty();
        assertThat(compiled.call(new Question("q5"), DspyContext.of(lm))).isEqualTo(new Answer("a5"));
        assertThat(lm.lastRequest().messages()).hasSize(1 + 2 * 2 + 1);
    }

    @Test
    void everyCompileOverloadKeepsTheTypes() {
        // given
        TypedModule<Question, Answer> student = ChainOfThought.typed(Question.class, Answer.class);
        LabeledFewShot optimizer = LabeledFewShot.of(2);
        List<Example> train = Fixtures.trainset(3);

        // when
        TypedModule<Question, Answer> withContext = optimizer.compile(student, train, DspyContext.empty());
        TypedModule<Question, Answer> withValset = optimizer.compile(student, train, List.of());
        TypedModule<Question, Answer> bound;
        try (var scope = DspyContext.empty().bind()) {
            bound = optimizer.compile(student, train);
        }

        // then
        assertThat(List.of(withContext, withValset, bound)).allSatisfy(compiled ->
                assertThat(demos(compiled, "predict")).hasSize(2));
    }

    @Test
    void randomSearchCompilesATypedProgramWithATypedTeacher() {
        // given
        TypedModule<Question, Answer> student = Predict.typed(Question.class, Answer.class);
        ScriptedLm lm = Fixtures.oddCorrect();

        // when
        TypedModule<Question, Answer> compiled = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .teacher(student).numCandidatePrograms(1).maxBootstrappedDemos(1).maxLabeledDemos(1)
                .build()
                .compile(student, Fixtures.trainset(4), Fixtures.trainset(4), DspyContext.of(lm));

        // then
        assertThat(compiled.outputType()).isEqualTo(Answer.class);
        assertThat(compiled.module().namedPredictors().keySet()).containsExactly("self");
    }
}
