package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.FakeLms;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.Predict;
import dev.dspy4j.trace.LmHistory;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.tool.Default;
import dev.dspy4j.tool.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Tool} and {@code list[Tool]} input fields, rendered as DSPy renders {@code dspy.Tool}. */
class ToolFieldsTest {

    record Weather(String city, @Default("1") int days) {}

    record Lookup(List<Long> ids) {}

    private static final Tool WEATHER = Tool.of("get_weather", "Get the weather forecast for a city.\nReturns a short summary.",
            Weather.class, w -> "sunny");
    private static final Tool LOOKUP = Tool.of("lookup", "", Lookup.class, l -> l.ids().size());

    private static final String WEATHER_TEXT = "get_weather, whose description is <desc>Get the weather forecast for a"
            + " city.  Returns a short summary.</desc>. It takes arguments {'city': {'type': 'string'}, 'days': "
            + "{'type': 'integer', 'default': 1}}.";
    private static final String LOOKUP_TEXT = "lookup. It takes arguments {'ids': {'items': {'type': 'integer'}, "
            + "'type': 'array'}}.";

    record Ask(String question, @Desc("the one tool you may use") Tool tool) {}

    record Plan(String plan) {}

    record AskWithTools(String question, List<Tool> tools) {}

    record Answer(String answer) {}

    @Test
    void mapsToolRecordComponentsToToolFieldTypes() {
        Signature single = Signature.fromRecords(Ask.class, Plan.class);
        Signature many = Signature.fromRecords(AskWithTools.class, Answer.class);

        assertThat(single.inputs().get(1).type()).isEqualTo(new FieldType.SpecialType(FieldType.SpecialType.Kind.TOOL));
        assertThat(many.inputs().get(1).type().pythonName()).isEqualTo("list[Tool]");
        assertThat(Signature.parse("question, tools: list[Tool] -> answer").inputs().get(1).type())
                .isEqualTo(many.inputs().get(1).type());
    }

    @Test
    void rendersASingleToolAsItsTextInChatPrompts() {
        Signature signature = Signature.fromRecords(Ask.class, Plan.class);

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(),
                Map.of("question", "Will it rain in Oslo tomorrow?", "tool", WEATHER));

        assertThat(messages.get(0).text()).contains("2. `tool` (Tool): the one tool you may use\n");
        assertThat(messages.get(1).text()).isEqualTo("[[ ## question ## ]]\nWill it rain in Oslo tomorrow?\n\n"
                + "[[ ## tool ## ]]\n" + WEATHER_TEXT + "\n\nRespond with the corresponding output fields, starting "
                + "with the field `[[ ## plan ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.");
    }

    @Test
    void rendersAListOfToolsAsAJsonListOfTheirTextsInEveryAdapter() {
        Signature signature = Signature.fromRecords(AskWithTools.class, Answer.class);
        Map<String, Object> inputs = Map.of("question", "Q", "tools", List.of(WEATHER, LOOKUP));
        String list = "[\"" + WEATHER_TEXT + "\", \"" + LOOKUP_TEXT + "\"]";

        assertThat(ChatAdapter.DEFAULT.format(signature, List.of(), inputs).get(1).text())
                .startsWith("[[ ## question ## ]]\nQ\n\n[[ ## tools ## ]]\n" + list + "\n\n");
        assertThat(JsonAdapter.DEFAULT.format(signature, List.of(), inputs).get(1).text())
                .startsWith("[[ ## question ## ]]\nQ\n\n[[ ## tools ## ]]\n" + list + "\n\n");
        assertThat(XmlAdapter.DEFAULT.format(signature, List.of(), inputs).get(1).text())
                .startsWith("<question>\nQ\n</question>\n\n<tools>\n" + list + "\n</tools>\n\n");
        assertThat(JsonAdapter.DEFAULT.formatSystemMessage(signature)).contains("2. `tools` (list[Tool]):");
    }

    @Test
    void rendersToolsGivenAsARecordInstance() {
        Signature signature = Signature.fromRecords(AskWithTools.class, Answer.class);

        List<Message> messages = ChatAdapter.DEFAULT.format(signature, List.of(),
                dev.dspy4j.internal.records.RecordValues.toMap(new AskWithTools("Q", List.of(LOOKUP))));

        assertThat(messages.get(1).text()).contains("[[ ## tools ## ]]\n[\"" + LOOKUP_TEXT + "\"]\n\n");
    }

    @Test
    void predictSendsToolInputsToTheLm() {
        LmHistory history = LmHistory.create();
        DspyContext context = DspyContext.of(FakeLms.named("m",
                LmResponse.of("[[ ## answer ## ]]\nUse lookup.\n\n[[ ## completed ## ]]"))).withInterceptors(history);

        Prediction prediction = Predict.of("question, tools: list[Tool] -> answer")
                .call(Map.of("question", "Q", "tools", List.of(LOOKUP)), context);

        assertThat(prediction.get("answer")).isEqualTo("Use lookup.");
        assertThat(history.calls().get(0).messages().get(1).text()).contains("[\"" + LOOKUP_TEXT + "\"]");
    }
}
