package dev.dspy4j.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.signature.Signature;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The golden runner reads every adapter expression DSPy 3.3.1's cases can name. */
class GoldenAdaptersTest {

    @Test
    void readsTheChatAdaptersOptionsByKeywordAndByPosition() {
        ChatAdapter plain = (ChatAdapter) GoldenAdapters.build("ChatAdapter()", false);
        ChatAdapter noFallback = (ChatAdapter) GoldenAdapters.build("ChatAdapter(use_json_adapter_fallback=False)", false);
        ChatAdapter positional = (ChatAdapter) GoldenAdapters.build("dspy.ChatAdapter(None, True, None, False)", false);

        assertThat(plain.usesJsonFallback()).isTrue();
        assertThat(plain.nativeFunctionCalling()).isFalse();
        assertThat(noFallback.usesJsonFallback()).isFalse();
        assertThat(positional.nativeFunctionCalling()).isTrue();
        assertThat(positional.usesJsonFallback()).isFalse();
    }

    @Test
    void readsTheJsonAndXmlAdaptersOptions() {
        JsonAdapter json = (JsonAdapter) GoldenAdapters.build("JSONAdapter()", false);
        JsonAdapter withoutNative = (JsonAdapter) GoldenAdapters.build(
                "JSONAdapter(callbacks=[], use_native_function_calling=False, parallel_tool_calls=None)", false);
        XmlAdapter xml = (XmlAdapter) GoldenAdapters.build("XMLAdapter()", false);
        XmlAdapter xmlNoFallback = (XmlAdapter) GoldenAdapters.build(
                "XMLAdapter(use_json_adapter_fallback=False, use_native_function_calling=False)", false);

        assertThat(json.nativeFunctionCalling()).isTrue();
        assertThat(withoutNative.nativeFunctionCalling()).isFalse();
        assertThat(xml.usesJsonFallback()).isTrue();
        assertThat(xmlNoFallback.usesJsonFallback()).isFalse();
    }

    @Test
    void aTwoStepAdapterTakesAnyLmAsItsExtractionModelForFormatCases() {
        Adapter keyword = GoldenAdapters.build(
                "TwoStepAdapter(extraction_model=dspy.LM('openai/gpt-4o-mini', temperature=0.0, max_tokens=1000))",
                false);
        Adapter positional = GoldenAdapters.build("dspy.TwoStepAdapter(mock_extraction_lm)", false);

        assertThat(keyword).isInstanceOf(TwoStepAdapter.class);
        assertThat(((TwoStepAdapter) keyword).extractionModel().model()).startsWith("dspy.LM('openai/gpt-4o-mini'");
        assertThat(positional).isInstanceOf(TwoStepAdapter.class);
    }

    @Test
    void aTwoStepAdapterWithADummyLmParsesWithItsAnswers() {
        // given: DSPy's own test builds TwoStepAdapter(dspy.utils.DummyLM([{"count": 1, "answer": "x"}]))
        Adapter adapter = GoldenAdapters.build(
                "TwoStepAdapter(dspy.utils.DummyLM([{\"count\": 1, \"answer\": \"x, y\"}]))", true);

        // when
        Map<String, Object> outputs = adapter.parse(Signature.parse("question -> count: int, answer"),
                "There is one answer: x, y");

        // then
        assertThat(outputs).containsEntry("count", 1L).containsEntry("answer", "x, y");
    }

    @Test
    void aTwoStepParseCaseWithAnExtractionModelThatCannotRunIsSkipped() {
        assertThatThrownBy(() -> GoldenAdapters.build("TwoStepAdapter(extraction_model=dspy.LM('openai/gpt-4o'))",
                true))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("cannot be run here");
    }

    @Test
    void optionsForFeaturesNotBuiltYetSkipTheCaseWithTheReason() {
        assertThatThrownBy(() -> GoldenAdapters.build("ChatAdapter(callbacks=[MyCallback()])", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("callbacks=[MyCallback()]");
        assertThatThrownBy(() -> GoldenAdapters.build("ChatAdapter(native_response_types=[dspy.Citations])", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("native response types");
        assertThatThrownBy(() -> GoldenAdapters.build("XMLAdapter(parallel_tool_calls=True)", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("parallel tool calls");
        assertThatThrownBy(() -> GoldenAdapters.build("XMLAdapter(use_native_function_calling=True)", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("XMLAdapter with native function");
    }

    @Test
    void buildsAdaptersWithParallelToolCalls() {
        assertThat(GoldenAdapters.build("JSONAdapter(parallel_tool_calls=True)", false))
                .hasToString("JSONAdapter(use_native_function_calling=True, parallel_tool_calls=True)");
        assertThat(GoldenAdapters.build("ChatAdapter(use_native_function_calling=True, parallel_tool_calls=False)",
                false)).hasToString("ChatAdapter(use_json_adapter_fallback=True, use_native_function_calling=True,"
                + " parallel_tool_calls=False)");
    }

    @Test
    void anUnknownAdapterOrOptionFailsNamingWhatDspyTakes() {
        assertThatThrownBy(() -> GoldenAdapters.build("ChatAdapter(use_magic=True)", false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Unknown option 'use_magic' for ChatAdapter")
                .hasMessageContaining("use_json_adapter_fallback");
        assertThatThrownBy(() -> GoldenAdapters.build("YAMLAdapter()", false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Unknown adapter 'YAMLAdapter'");
        assertThatThrownBy(() -> GoldenAdapters.build("JSONAdapter(use_native_function_calling=maybe)", false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("must be True or False");
    }
}
