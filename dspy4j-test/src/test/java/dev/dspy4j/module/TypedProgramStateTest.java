package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.testkit.ScriptedLm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typed program keeps its record types through every state operation: no casts, no unwrapping. */
class TypedProgramStateTest {

    record Question(String question) {}

    record Answer(String answer) {}

    private static final Example DEMO = Example.of("question", "2+2?", "answer", "4");

    @TempDir
    Path dir;

    @Test
    void savingAndLoadingATypedProgramGivesATypedProgramWithTheSavedState() {
        // given
        TypedModule<Question, Answer> original = Predict.typed(Question.class, Answer.class)
                .mapState((path, s) -> s.withDemos(List.of(DEMO)));
        Path file = dir.resolve("typed.json");
        original.save(file);

        // when
        TypedModule<Question, Answer> loaded = Predict.typed(Question.class, Answer.class).load(file);
        TypedModule<Question, Answer> loadedWithResolver = Predict.typed(Question.class, Answer.class)
                .load(file, settings -> {
                    throw new AssertionError("the file sets no LM");
                });

        // then
        assertThat(loaded.state()).isEqualTo(original.state());
        assertThat(loadedWithResolver.state()).isEqualTo(original.state());
        ScriptedLm lm = ScriptedLm.replying("[[ ## answer ## ]]\n6\n\n[[ ## completed ## ]]");
        assertThat(loaded.call(new Question("3+3?"), DspyContext.of(lm))).isEqualTo(new Answer("6"));
        assertThat(lm.lastRequest().messages()).as("the loaded demo is rendered").isEqualTo(ChatAdapter.DEFAULT.format(
                loaded.state().predictor("self").signature(), List.of(DEMO), Map.of("question", "3+3?")));
    }

    @Test
    void withStateMapStateAndWithLmKeepTheTypesAndLeaveTheOriginalUnchanged() {
        // given
        TypedModule<Question, Answer> typed = ChainOfThought.typed(Question.class, Answer.class);
        ScriptedLm own = ScriptedLm.replying("[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nyes\n\n[[ ## completed ## ]]");

        // when
        TypedModule<Question, Answer> withDemos = typed.withState(typed.state()
                .with("predict", typed.state().predictor("predict").withDemos(List.of(DEMO))));
        TypedModule<Question, Answer> withLm = withDemos.withLm(own);
        TypedModule<Question, Answer> cleared = withLm.mapState((path, s) -> s.withDemos(List.of()));

        // then
        assertThat(withDemos.state().predictor("predict").demos()).containsExactly(DEMO);
        assertThat(typed.state().predictor("predict").demos()).isEmpty();
        assertThat(withLm.call(new Question("q"), DspyContext.empty())).isEqualTo(new Answer("yes"));
        assertThat(cleared.state().predictor("predict").demos()).isEmpty();
        assertThat(cleared.state().predictor("predict").lm()).isSameAs(own);
        assertThat(cleared.inputType()).isEqualTo(Question.class);
    }

    @Test
    void withModuleViewsAnotherModuleWithTheSameTypes() {
        // given
        TypedModule<Question, Answer> typed = Predict.typed(Question.class, Answer.class);
        Module compiledElsewhere = typed.module().mapState((path, s) -> s.withDemos(List.of(DEMO)));

        // when
        TypedModule<Question, Answer> view = typed.withModule(compiledElsewhere);

        // then
        assertThat(view.module()).isSameAs(compiledElsewhere);
        assertThat(view.outputType()).isEqualTo(Answer.class);
    }
}
