package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TwoStepAdapterTest {

    private static final Lm UNUSED = request -> {
        throw new AssertionError("the extraction LM must not be called while formatting");
    };

    @Test
    void formatsAFreeFormFirstStageWithDemos() {
        Signature signature = Signature.parse("question -> answer");

        List<Message> messages = TwoStepAdapter.of(UNUSED).format(signature,
                List.of(Example.of("question", "Q1", "answer", "A1")), Map.of("question", "Q2"));

        assertThat(messages).containsExactly(
                Message.system("You are a helpful assistant that can solve tasks based on user input.\n"
                        + "As input, you will be provided with:\n1. `question` (str):\n"
                        + "Your outputs must contain:\n1. `answer` (str):\n"
                        + "You should lay out your outputs in detail so that your answer can be understood by "
                        + "another agent\nSpecific instructions: Given the fields `question`, produce the fields "
                        + "`answer`."),
                Message.user("question: Q1"),
                Message.assistant("answer: A1"),
                Message.user("question: Q2"));
    }

    @Test
    void listsTypedOutputsAndWritesValuesAsPythonStr() {
        Signature signature = Signature.parse("question, tags: list[str], strict: bool -> count: int, answer");

        List<Message> messages = TwoStepAdapter.of(UNUSED).format(signature, List.of(),
                Map.of("question", "Q", "tags", List.of("a", "b"), "strict", true));

        assertThat(messages.get(0).text()).contains("Your outputs must contain:\n1. `count` (int): \n"
                + "2. `answer` (str):\nYou should");
        assertThat(messages.get(1)).isEqualTo(Message.user("question: Q\n\ntags: ['a', 'b']\n\nstrict: True"));
    }

    @Test
    void extractsTheOutputsWithTheChatAdapterOnTheExtractionModel() {
        List<LmRequest> requests = new CopyOnWriteArrayList<>();
        Lm extraction = request -> {
            requests.add(request);
            return LmResponse.of("[[ ## solution ## ]] result\n[[ ## answer ## ]] 12\n[[ ## completed ## ]]\n");
        };
        Signature signature = Signature.parse("question -> solution, answer: float");

        Map<String, Object> parsed = TwoStepAdapter.of(extraction).parse(signature, "text from main LM");

        assertThat(parsed).containsExactly(Map.entry("solution", "result"), Map.entry("answer", 12.0));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).messages()).containsExactly(
                Message.system("Your input fields are:\n1. `text` (str):\nYour output fields are:\n"
                        + "1. `solution` (str): \n2. `answer` (float):\nAll interactions will be structured in the "
                        + "following way, with the appropriate values filled in.\n\n[[ ## text ## ]]\n{text}\n\n"
                        + "[[ ## solution ## ]]\n{solution}\n\n[[ ## answer ## ]]\n{answer}        # note: the "
                        + "value you produce must be a single float value\n\n[[ ## completed ## ]]\n"
                        + "In adhering to this structure, your objective is: \n        The input is a text that "
                        + "should contain all the necessary information to produce the fields `solution`, "
                        + "`answer`.             Your job is to extract the fields from the text verbatim. Extract "
                        + "precisely the appropriate value (content) for each field."),
                Message.user("[[ ## text ## ]]\ntext from main LM\n\nRespond with the corresponding output fields, "
                        + "starting with the field `[[ ## solution ## ]]`, then `[[ ## answer ## ]]` (must be "
                        + "formatted as a valid Python float), and then ending with the marker for "
                        + "`[[ ## completed ## ]]`."));
    }

    @Test
    void reportsAnUnusableExtractionAsAParseFailureOfTheOriginalCompletion() {
        Lm extraction = request -> LmResponse.of("no fields here");
        Signature signature = Signature.parse("question -> answer");

        assertThatThrownBy(() -> TwoStepAdapter.of(extraction).parse(signature, "main text"))
                .isInstanceOf(AdapterParseException.class)
                .hasMessageStartingWith("Failed to parse response from the original completion: ")
                .hasMessageContaining("Adapter TwoStepAdapter failed to parse the LM response. \n\n"
                        + "LM Response: main text \n\n");
    }

    @Test
    void letsFailuresOfTheExtractionModelThrough() {
        LmException failure = new LmException("down", true, null);
        Lm extraction = request -> {
            throw failure;
        };

        assertThatThrownBy(() -> TwoStepAdapter.of(extraction).parse(Signature.parse("q -> a"), "x"))
                .isSameAs(failure);
    }

    @Test
    void hasNoFallbackOfItsOwn() {
        TwoStepAdapter adapter = TwoStepAdapter.of(UNUSED);

        assertThat(adapter.name()).isEqualTo("TwoStepAdapter");
        assertThat(adapter.fallback()).isNull();
        assertThat(adapter.extractionModel()).isSameAs(UNUSED);
    }
}
