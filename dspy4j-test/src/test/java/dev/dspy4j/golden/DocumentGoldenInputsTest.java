package dev.dspy4j.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.CustomType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.TypeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Document input side of DSPy's citations cases ({@code shared/next/golden/agent_citations_*}),
 * byte for byte, before the {@code Citations} output type exists: a stand-in custom type named
 * {@code Citations} takes its place, which changes nothing in the user message (the system
 * message, with Citations' schema, is left to GoldenCasesTest once Citations is built).
 */
class DocumentGoldenInputsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Only its name shows in a user message: the output reminder's type hint. */
    private record CitationsStandIn() implements CustomType<String> {
        @Override
        public String name() {
            return "Citations";
        }

        @Override
        public Class<String> valueClass() {
            return String.class;
        }

        @Override
        public Formatted format(String value) {
            return Formatted.text(value);
        }

        @Override
        public String parse(Object value) {
            return String.valueOf(value);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "agent_citations_01_chat.json | documents: list[Document], question -> answer, citations: Citations",
        // with an anthropic/ model DSPy removes the Citations field from the prompt
        "agent_citations_02_anthropic_chat.json | documents: list[Document], question -> answer",
    })
    @SuppressWarnings("unchecked")
    void documentsRenderAsTheGoldenUserMessage(String file, String fields) throws IOException {
        Path golden = Path.of("../../shared/next/golden", file);
        if (!Files.exists(golden)) {
            golden = Path.of("../shared/next/golden", file);
        }
        Assumptions.assumeTrue(Files.exists(golden), "shared/next/golden is not checked out next to the project");
        Map<String, Object> json = JSON.readValue(golden.toFile(), LinkedHashMap.class);
        Signature signature = Signature.parse(fields, TypeRegistry.EMPTY.with(new CitationsStandIn()));

        LmRequest request = LmRequest.of(ChatAdapter.DEFAULT.format(signature, List.of(),
                (Map<String, Object>) json.get("inputs")));

        List<Map<String, Object>> actual = (List<Map<String, Object>>) OpenAiLm.wireBody(request).get("messages");
        List<Map<String, Object>> expected = (List<Map<String, Object>>) json.get("expected_messages");
        assertThat(actual.get(1)).isEqualTo(expected.get(1));
    }
}
