package dev.dspy4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.TwoStepAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.media.Image;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PromptExportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Predict QA = Predict.of("question, context: list[str] -> answer")
            .withDemos(List.of(Example.of(Map.of("question", "2+2?", "context", List.of("math"), "answer", "4"))));

    @Test
    @SuppressWarnings("unchecked")
    void writesTheVersionedJsonFormatWithMessagesTemplateAndPlaceholders() {
        // given
        PromptExport export = PromptExport.of(QA, DspyContext.of(ScriptedLm.replying()));

        // when
        Map<String, Object> json = JSON.readValue(export.toJson(), LinkedHashMap.class);

        // then
        assertThat(json).containsEntry("format", "dspy4j.prompt-export").containsEntry("version", 1);
        Map<String, Object> self = (Map<String, Object>) ((Map<String, Object>) json.get("predictors")).get("self");
        assertThat(self.keySet()).containsExactly("adapter", "signature", "model", "messages", "user_template",
                "user_template_parts", "placeholders", "options");
        assertThat(self).containsEntry("adapter", "ChatAdapter")
                .containsEntry("signature", "question, context -> answer");
        assertThat((List<Map<String, Object>>) self.get("messages")).extracting(m -> m.get("role"))
                .containsExactly("system", "user", "assistant");
        assertThat((String) self.get("user_template")).startsWith("[[ ## question ## ]]\n{{question}}\n\n"
                + "[[ ## context ## ]]\n{{context}}\n\nRespond with");
        assertThat((List<Map<String, Object>>) self.get("placeholders")).extracting(p -> p.get("type"))
                .containsExactly("str", "list[str]");
        assertThat(export.toJson()).endsWith("}\n");
    }

    @Test
    void rendersValuesByTypeInOnePassSoAValueThatLooksLikeAPlaceholderStaysLiteral() {
        // given
        ExportedPredictor qa = PromptExport.of(QA, DspyContext.of(ScriptedLm.replying())).predictor("self");

        // when
        LmRequest request = qa.render(Map.of("question", "What is {{context}}?", "context", List.of("a", "b")));

        // then
        String user = request.messages().getLast().text();
        assertThat(user).startsWith("[[ ## question ## ]]\nWhat is {{context}}?\n\n[[ ## context ## ]]\n[\"a\", \"b\"]\n\n");
        assertThat(qa.formatValue("context", List.of(1, 2))).isEqualTo("[1, 2]");
        assertThat(qa.formatValue("question", List.of("a", "b"))).isEqualTo("[1] «a»\n[2] «b»");
        assertThat(qa.formatValue("question", List.of("a", "b\nc"))).isEqualTo("[1] «a»\n[2] «««\n    b\n    c\n»»»");
        assertThat(qa.formatValue("question", Map.of("k", true))).isEqualTo("{\"k\": true}");
        assertThat(qa.formatValue("question", null)).isEqualTo("None");
    }

    @Test
    void rendersValuesOfEveryTypeExactlyAsPredictSendsThemUnderEachAdapter() {
        // given: inputs of many types, and demos
        Predict predict = Predict.of("text, count: int, ratio: float, flag: bool, tags: list[str], "
                + "meta: dict[str, Any], maybe: Optional[str], notes -> answer: int").withDemos(List.of(Example.of(
                Map.of("text", "t", "count", 1, "ratio", 0.5, "flag", false, "tags", List.of(), "meta", Map.of(),
                        "notes", "n", "answer", 3))));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("text", "  spaced  \n");
        inputs.put("count", 42);
        inputs.put("ratio", 1e-7);
        inputs.put("flag", true);
        inputs.put("tags", List.of("é", "«b»"));
        inputs.put("meta", Map.of("k", List.of(1, 2.5, "x")));
        inputs.put("maybe", null);
        inputs.put("notes", List.of("one", "two\nlines"));
        for (var adapter : List.of(dev.dspy4j.adapter.ChatAdapter.DEFAULT, JsonAdapter.DEFAULT, XmlAdapter.DEFAULT)) {
            ScriptedLm lm = ScriptedLm.replying("unparsable", "unparsable");
            DspyContext context = DspyContext.of(lm).withAdapter(adapter).withOptions(LmOptions.NONE.withTemperature(0.0));

            // when
            LmRequest rendered = PromptExport.of(predict, context).predictor("self").render(inputs);
            try {
                predict.call(inputs, context);
            } catch (RuntimeException unparsable) {
                // only the request matters
            }

            // then
            assertThat(rendered).as(adapter.name()).isEqualTo(lm.requests().getFirst());
        }
    }

    @Test
    void carriesTheOptionsThePredictorAndAdapterAdd() {
        // given: options from the context, the predictor's over them, a JSON adapter on an LM with JSON mode
        Predict predict = Predict.of("question -> answer: int").withOptions(LmOptions.NONE.withMaxTokens(50));
        ScriptedLm lm = ScriptedLm.replying().withCapabilities(
                new LmCapabilities(false, false, false, Set.of("response_format")));
        DspyContext context = DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT)
                .withOptions(LmOptions.NONE.withTemperature(0.3).withMaxTokens(10));

        // when
        Map<String, Object> options = PromptExport.of(predict, context).predictor("self").options();

        // then
        assertThat(options).containsEntry("temperature", 0.3).containsEntry("max_tokens", 50)
                .containsEntry("response_format", Map.of("type", "json_object"));
    }

    @Test
    void exportsEveryPredictorOfAModuleByPathAsMarkdownToo() {
        // given
        ChainOfThought cot = new ChainOfThought(dev.dspy4j.signature.Signature.parse("question -> answer"));

        // when
        PromptExport export = PromptExport.of(cot, DspyContext.of(ScriptedLm.replying()).withAdapter(XmlAdapter.DEFAULT));

        // then
        assertThat(export.predictors()).containsOnlyKeys("predict");
        String markdown = export.toMarkdown();
        assertThat(markdown).startsWith("# Prompt export\n").contains("\n## `predict`\n")
                .contains("- Adapter: XMLAdapter\n").contains("### 1. system\n\n```text\n")
                .contains("### 2. user (template)\n\n```text\n<question>\n{{question}}\n</question>");
    }

    @Test
    void exportsUnderTheBoundContextWhenNoneIsGiven() {
        // given
        DspyContext context = DspyContext.of(ScriptedLm.replying()).withAdapter(XmlAdapter.DEFAULT);

        // when
        PromptExport export;
        try (var scope = context.bind()) {
            export = PromptExport.of(QA);
        }

        // then
        assertThat(export.predictor("self").adapterName()).isEqualTo("XMLAdapter");
        assertThatThrownBy(() -> export.predictor("missing")).isInstanceOf(PromptExportException.class)
                .hasMessageContaining("No predictor 'missing'").hasMessageContaining("[self]");
    }

    @Test
    void refusesMediaHistoryAndTwoStepWithAnErrorNamingTheFieldOrAdapter() {
        DspyContext context = DspyContext.of(ScriptedLm.replying());
        assertThatThrownBy(() -> PromptExport.of(Predict.of("photo: Image, question -> answer"), context))
                .isInstanceOf(PromptExportException.class).hasMessageContaining("Input 'photo' of predictor 'self'")
                .hasMessageContaining("IMAGE");
        assertThatThrownBy(() -> PromptExport.of(Predict.of("question, past: History -> answer"), context))
                .isInstanceOf(PromptExportException.class).hasMessageContaining("'past'")
                .hasMessageContaining("History");
        assertThatThrownBy(() -> PromptExport.of(QA, context.withAdapter(TwoStepAdapter.of(ScriptedLm.replying()))))
                .isInstanceOf(PromptExportException.class).hasMessageContaining("TwoStepAdapter")
                .hasMessageContaining("two LM calls");
    }

    @Test
    void refusesToRenderWithAMissingInputOrAnImageValue() {
        ExportedPredictor qa = PromptExport.of(Predict.of("question: Any -> answer"),
                DspyContext.of(ScriptedLm.replying())).predictor("self");
        assertThatThrownBy(() -> qa.render(Map.of())).isInstanceOf(PromptExportException.class)
                .hasMessageContaining("Missing input 'question'");
        assertThatThrownBy(() -> qa.render(Map.of("question", Image.fromUrl("https://example.com/a.png"))))
                .isInstanceOf(PromptExportException.class).hasMessageContaining("Input 'question'")
                .hasMessageContaining("media");
        assertThatThrownBy(() -> qa.formatValue("answer", "x")).isInstanceOf(PromptExportException.class)
                .hasMessageContaining("no input field 'answer'");
    }
}
