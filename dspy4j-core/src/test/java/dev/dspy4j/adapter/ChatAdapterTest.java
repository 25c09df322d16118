package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatAdapterTest {

    private static final Signature QA = Signature.parse("question -> answer");
    private static final Signature SCORED = Signature.parse("question -> answer, confidence: float");

    @Test
    void formatsDspysWorkedExample() {
        List<Message> messages = ChatAdapter.DEFAULT.format(QA,
                List.of(Example.of("question", "Q1", "answer", "A1")), Map.of("question", "Q2"));

        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.SYSTEM, Message.Role.USER,
                Message.Role.ASSISTANT, Message.Role.USER);
        assertThat(messages.get(0).text()).isEqualTo("""
                Your input fields are:
                1. `question` (str):
                Your output fields are:
                1. `answer` (str):
                All interactions will be structured in the following way, with the appropriate values filled in.

                [[ ## question ## ]]
                {question}

                [[ ## answer ## ]]
                {answer}

                [[ ## completed ## ]]
                In adhering to this structure, your objective is:\s
                        Given the fields `question`, produce the fields `answer`.""");
        assertThat(messages.get(1).text()).isEqualTo("[[ ## question ## ]]\nQ1");
        assertThat(messages.get(2).text()).isEqualTo("[[ ## answer ## ]]\nA1\n\n[[ ## completed ## ]]\n");
        assertThat(messages.get(3).text()).isEqualTo("[[ ## question ## ]]\nQ2\n\nRespond with the corresponding "
                + "output fields, starting with the field `[[ ## answer ## ]]`, and then ending with the marker for "
                + "`[[ ## completed ## ]]`.");
    }

    @Test
    void memoizesTheSystemMessagePerSignature() {
        assertThat(ChatAdapter.DEFAULT.formatSystemMessage(QA)).isSameAs(ChatAdapter.DEFAULT.formatSystemMessage(QA));
    }

    @Test
    void putsIncompleteDemosFirstAndDropsDemosWithoutOutputs() {
        List<Message> messages = ChatAdapter.DEFAULT.format(SCORED, List.of(
                Example.of("question", "Q1", "answer", "A1", "confidence", 0.5),
                Example.of("question", "Q2", "answer", "A2"),
                Example.of("question", "Q3")), Map.of("question", "Q4"));

        assertThat(messages).hasSize(6);
        assertThat(messages.get(1).text()).isEqualTo("This is an example of the task, though some input or output "
                + "fields are not supplied.\n\n[[ ## question ## ]]\nQ2");
        assertThat(messages.get(2).text()).isEqualTo("[[ ## answer ## ]]\nA2\n\n[[ ## confidence ## ]]\n"
                + "Not supplied for this particular example.\n\n[[ ## completed ## ]]\n");
        assertThat(messages.get(4).text()).contains("0.5");
        assertThat(messages.get(5).text()).endsWith("then `[[ ## confidence ## ]]` (must be formatted as a valid "
                + "Python float), and then ending with the marker for `[[ ## completed ## ]]`.");
    }

    @Test
    void turnsHistoryIntoUserAssistantPairs() {
        Signature signature = Signature.parse("history: dspy.History, question -> answer");
        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(), Map.of(
                "history", Map.of("messages", List.of(Map.of("question", "1+1?", "answer", "2"), Map.of("question", "x"))),
                "question", "3+3?"));

        assertThat(messages).extracting(Message::text).containsExactly(messages.get(0).text(),
                "[[ ## question ## ]]\n1+1?", "[[ ## answer ## ]]\n2\n\n[[ ## completed ## ]]\n",
                "[[ ## question ## ]]\nx", "[[ ## answer ## ]]\nNone\n\n[[ ## completed ## ]]\n",
                "[[ ## question ## ]]\n3+3?\n\nRespond with the corresponding output fields, starting with the field "
                        + "`[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.");
    }

    @Test
    void parsesSectionsInAnyOrderKeepingTheFirstOccurrence() {
        Map<String, Object> outputs = ChatAdapter.DEFAULT.parse(SCORED,
                "Sure!\n[[ ## confidence ## ]] 0.75\n[[ ## answer ## ]]\n  Paris  \n[[ ## answer ## ]]\nLyon\n"
                        + "[[ ## completed ## ]]");

        assertThat(outputs).containsExactly(Map.entry("answer", "Paris"), Map.entry("confidence", 0.75));
    }

    @Test
    void fillsMissingOptionalOutputsWithDefaults() {
        Signature signature = Signature.of(null, List.of(Field.input("q", FieldType.STR), Field.output("a", FieldType.STR),
                Field.output("n", new FieldType.OptionalType(FieldType.INT, true)),
                Field.output("tags", new FieldType.ListType(FieldType.STR)).withDefault(List.of())));

        Map<String, Object> outputs = ChatAdapter.DEFAULT.parse(signature, "[[ ## a ## ]]\nok");

        assertThat(List.copyOf(outputs.keySet())).isEqualTo(List.of("a", "n", "tags"));
        assertThat(outputs).containsEntry("a", "ok").containsEntry("n", null).containsEntry("tags", List.of());
    }

    @Test
    void reportsMissingOutputsWithDspysMessageAndTheRawCompletion() {
        String completion = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> ChatAdapter.DEFAULT.parse(SCORED, completion));

        assertThat(error.lmResponse()).isEqualTo(completion);
        assertThat(error.parsedResult()).containsExactly(Map.entry("answer", "Paris"));
        assertThat(error).hasMessage("Adapter ChatAdapter failed to parse the LM response. \n\nLM Response: "
                + completion + " \n\nExpected to find output fields in the LM response: [answer, confidence] \n\n"
                + "Actual output fields parsed from the LM response: [answer] \n\n");
    }

    @Test
    void reportsValuesThatDoNotFitTheirType() {
        AdapterParseException error = catchThrowableOfType(AdapterParseException.class,
                () -> ChatAdapter.DEFAULT.parse(SCORED, "[[ ## answer ## ]]\nParis\n[[ ## confidence ## ]]\nhigh"));

        assertThat(error.getMessage()).startsWith("Failed to parse field confidence with value high from the LM "
                + "response. Error message: the value does not fit float (Java Double): expected a number, but the text "
                + "is not a number; got 'high' (str)");
        assertThat(error.lmResponse()).endsWith("high");
        assertThat(error.parsedResult()).isNull();
    }

    @Test
    void fallsBackToJsonUnlessTurnedOff() {
        assertThat(ChatAdapter.DEFAULT.fallback()).isInstanceOf(JsonAdapter.class);
        assertThat(((JsonAdapter) ChatAdapter.DEFAULT.fallback()).nativeFunctionCalling()).isFalse();
        assertThat(ChatAdapter.withoutFallback().fallback()).isNull();
        assertThat(ChatAdapter.DEFAULT.withJsonFallback(false).usesJsonFallback()).isFalse();
    }

    @Test
    void dropsToolOptionsWithoutNativeFunctionCalling() {
        LmRequest request = new LmRequest(List.of(Message.user("x")),
                List.of(new ToolSpec("search", "Searches.", Map.of("type", "object"))), ToolChoice.REQUIRED,
                ResponseFormat.TEXT, LmOptions.NONE.withExtra("parallel_tool_calls", true).withExtra("top_p", 0.5));

        LmRequest prepared = ChatAdapter.DEFAULT.prepare(QA, request, LmCapabilities.NONE);

        assertThat(prepared.tools()).isEmpty();
        assertThat(prepared.toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(prepared.options().toWireMap()).isEqualTo(Map.of("top_p", 0.5));
        assertThat(ChatAdapter.DEFAULT.withNativeFunctionCalling(true).prepare(QA, request, LmCapabilities.NONE))
                .isEqualTo(request);
    }
}
