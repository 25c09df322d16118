package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Citation;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.signature.Citations;
import dev.dspy4j.signature.Code;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code dspy.Code["language"]} and {@code dspy.experimental.Citations} fields end to end. */
class CodeAndCitationsTest {

    record Task(String question) {}

    record Generated(@Desc("a java method") @Code.Language("java") Code code) {}

    @Test
    void parsesTheCodeShorthandsDspyAccepts() {
        assertThat(Signature.parse("q -> code: dspy.Code[\"python\"]").field("code").type())
                .isEqualTo(new FieldType.CodeType("python", "Code_python"));
        assertThat(Signature.parse("q -> code: Code['java']").field("code").type().pythonName()).isEqualTo("Code_java");
        assertThat(Signature.parse("q -> code: dspy.Code").field("code").type().pythonName()).isEqualTo("Code");
        assertThatThrownBy(() -> Signature.parse("q -> code: Code[python]"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Code[\"python\"]").hasMessageContaining("Unknown name: python");
    }

    @Test
    void readsTheCodeInsideTheMarkdownFenceOfTheReply() {
        ScriptedLm lm = ScriptedLm.replying(
                "[[ ## code ## ]]\n```python\ndef total(xs):\n    return sum(xs)\n```\n\n[[ ## completed ## ]]");

        Prediction prediction = Predict.of("question -> code: dspy.Code[\"python\"]")
                .call(Map.of("question", "Sum a list."), DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.get("code")).isEqualTo(new Code("python", "def total(xs):\n    return sum(xs)"));
    }

    @Test
    void readsCodeFromAJsonReplyAndFromAJavaRecordSignature() {
        ScriptedLm lm = ScriptedLm.replying("{\"code\": \"```java\\nint one() { return 1; }\\n```\"}");

        Generated out = Predict.typed(Task.class, Generated.class)
                .call(new Task("Return one."), DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(out.code()).isEqualTo(new Code("java", "int one() { return 1; }"));
        assertThat(lm.lastRequest().messages().get(0).text())
                .contains("1. `code` (Code_java): a java method\n    Type description of Code_java:")
                .contains("e.g. \n```java\n{code}\n```\nProgramming language: java");
    }

    @Test
    void writesCodeInputsAndDemoOutputsAsBareCode() {
        ScriptedLm lm = ScriptedLm.replying("[[ ## complexity ## ]]\nO(n)\n\n[[ ## completed ## ]]");
        Predict predict = Predict.of("code: dspy.Code[\"python\"] -> complexity")
                .withDemos(List.of(Example.of(Map.of("code", new Code("python", "x = 1"), "complexity", "O(1)"))));

        predict.call(Map.of("code", "```python\nfor x in xs: pass\n```"),
                DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(lm.lastRequest().messages().get(1).text()).isEqualTo("[[ ## code ## ]]\nx = 1");
        assertThat(lm.lastRequest().messages().get(3).text()).startsWith("[[ ## code ## ]]\nfor x in xs: pass\n\n");
    }

    /**
     * The citations golden case without its Document input (built elsewhere): the system message
     * must be the golden's with the documents field left out.
     */
    @Test
    void describesACitationsOutputWithDspysTypeDescriptionAndSchemaNote() throws IOException {
        String shared = System.getProperty("dspy4j.shared", "");
        Path golden = Path.of(shared.isBlank() ? "../../shared" : shared, "next/golden/agent_citations_01_chat.json");
        if (!Files.exists(golden)) {
            golden = Path.of("../shared/next/golden/agent_citations_01_chat.json");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JsonMapper.builder().build().readValue(golden.toFile(), Map.class);
        @SuppressWarnings("unchecked")
        String system = (String) ((List<Map<String, Object>>) json.get("expected_messages")).get(0).get("content");
        String expected = system
                .replace("1. `documents` (list[Document]): \n    Type description of Document: A document containing text"
                        + " content that can be referenced and cited. Include the full text content and optionally a"
                        + " title for proper referencing.\n2. `question`", "1. `question`")
                .replace("[[ ## documents ## ]]\n{documents}\n\n", "")
                .replace("Given the fields `documents`, `question`,", "Given the fields `question`,");
        Signature signature = Signature.parse("question -> answer, citations: dspy.experimental.Citations");

        assertThat(ChatAdapter.DEFAULT.formatSystemMessage(signature)).isEqualTo(expected);
    }

    @Test
    void readsCitationsAnLmWritesAsJson() {
        ScriptedLm lm = ScriptedLm.replying("[[ ## answer ## ]]\n6,650 km.\n\n[[ ## citations ## ]]\n"
                + "[{\"cited_text\": \"The Nile is 6,650 km long.\", \"document_index\": 0, \"start_char_index\": 0,"
                + " \"end_char_index\": 26, \"document_title\": \"Nile\"}]\n\n[[ ## completed ## ]]");

        Prediction prediction = Predict.of("question -> answer, citations: Citations")
                .call(Map.of("question", "How long is the Nile?"),
                        DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.get("citations")).isEqualTo(new Citations(List.of(
                Citation.of("The Nile is 6,650 km long.", 0, "Nile", 0, 26))));
        assertThat(lm.lastRequest().messages().get(1).text())
                .contains("then `[[ ## citations ## ]]` (must be formatted as a valid Python Citations)");
    }

    @Test
    void withNativeCitationsTheFieldLeavesThePromptAndTheProvidersCitationsFillIt() {
        Citation nile = Citation.of("The Nile is 6,650 km long.", 0, "Nile", 0, 26);
        ScriptedLm lm = ScriptedLm.responding(request -> new LmResponse(List.of(new Choice(
                "[[ ## answer ## ]]\nAbout 6,650 km.\n\n[[ ## completed ## ]]", List.of(), null, "stop",
                List.of(nile))), Usage.ZERO, "claude", false))
                .withModel("anthropic/claude-sonnet-4-5")
                .withCapabilities(new LmCapabilities(true, false, false, Set.of(), true));

        Prediction prediction = Predict.of("question -> answer, citations: Citations")
                .call(Map.of("question", "How long is the Nile?"),
                        DspyContext.of(lm).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.getString("answer")).isEqualTo("About 6,650 km.");
        assertThat(prediction.get("citations", Citations.class).citations()).containsExactly(nile);
        assertThat(lm.lastRequest().messages().get(0).text()).doesNotContain("`citations` (Citations)")
                .contains("produce the fields `answer`, `citations`.");
    }
}
