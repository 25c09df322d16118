package dev.dspy4j.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class McpServerExportTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void servesAPredictOverHttpAndAnSdkClientGetsItsAnswer() {
        ScriptedLm lm = ScriptedLm.withOutputs(Map.of("answer", "Paris"));
        McpServerExport export = McpServerExport.builder("qa", "1.0")
                .tool("answer", "Answers a question.", Predict.of("question: str, context: list[str] -> answer"))
                .context(DspyContext.of(lm))
                .build();
        try (McpServerExport.Running server = export.startHttp(0);
             McpTools mcp = McpTools.builder().url(server.endpoint()).connect()) {
            assertThat(server.endpoint().toString()).startsWith("http://127.0.0.1:").endsWith("/mcp");
            Tool answer = mcp.tool("answer");
            assertThat(answer.desc()).isEqualTo("Answers a question.");
            assertThat(answer.args()).containsOnlyKeys("question", "context");
            assertThat(answer.args().get("context")).containsEntry("type", "array");
            ToolResult result = answer.invoke(Map.of("question", "Capital of France?", "context", List.of("a fact")));
            assertThat(result).isEqualTo(new ToolResult.Success("{\"answer\":\"Paris\"}"));
            assertThat(lm.requests()).hasSize(1);
        }
    }

    record Ask(String question, int maxWords) {}

    record Reply(String answer, double confidence) {}

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void servesATypedModuleWithTheRecordsAsSchemaAndResult() {
        ScriptedLm lm = ScriptedLm.withOutputs(Map.of("answer", "Paris", "confidence", 0.9));
        McpServerExport export = McpServerExport.builder("qa", "1.0")
                .tool("ask", "Answers briefly.", Predict.typed(Ask.class, Reply.class))
                .context(DspyContext.of(lm))
                .build();
        try (McpServerExport.Running server = export.startHttp(0);
             McpTools mcp = McpTools.builder().url(server.endpoint()).connect()) {
            Tool ask = mcp.tool("ask");
            assertThat(ask.args()).containsOnlyKeys("question", "max_words");
            assertThat(ask.args().get("max_words")).containsEntry("type", "integer");
            assertThat(ask.toSpec().parameters()).containsEntry("required", List.of("question", "max_words"));
            assertThat(ask.invoke(Map.of("question", "Capital of France?", "max_words", 3)))
                    .isEqualTo(new ToolResult.Success("{\"answer\":\"Paris\",\"confidence\":0.9}"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void servesAPredictOverStdioToAClientInAnotherProcess() {
        try (McpTools mcp = McpTools.builder().command(McpToolsTest.javaCommand("export"))
                .callTimeout(Duration.ofSeconds(20)).connect()) {
            assertThat(mcp.serverInfo()).isEqualTo("qa 1.0");
            assertThat(mcp.tool("answer").invoke(Map.of("question", "Capital of France?")))
                    .isEqualTo(new ToolResult.Success("{\"answer\":\"Paris\"}"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aProgramThatFailsAnswersAnErrorResult() {
        McpServerExport export = McpServerExport.builder("qa", "1.0")
                .tool("answer", "Answers a question.", Predict.of("question -> answer"))
                .build(); // no LM in the context
        try (McpServerExport.Running server = export.startHttp(0);
             McpTools mcp = McpTools.builder().url(server.endpoint()).connect()) {
            ToolResult result = mcp.tool("answer").invoke(Map.of("question", "?"));
            assertThat(result).isInstanceOfSatisfying(ToolResult.Failure.class,
                    f -> assertThat(f.message()).contains("MCP tool answer returned an error"));
        }
    }

    @Test
    void toolNamesAreChecked() {
        Predict qa = Predict.of("question -> answer");
        assertThatThrownBy(() -> McpServerExport.builder("qa", "1").tool("an swer", "", qa))
                .hasMessageContaining("MCP tool names");
        assertThatThrownBy(() -> McpServerExport.builder("qa", "1").tool("a", "", qa).tool("a", "", qa))
                .hasMessageContaining("exported already");
        assertThatThrownBy(() -> McpServerExport.builder("qa", "1").build()).isInstanceOf(IllegalStateException.class);
    }
}
