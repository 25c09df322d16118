package dev.dspy4j.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.tool.ToolException;
import dev.dspy4j.tool.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class McpToolsTest {

    static List<String> javaCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                TestServer.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static McpTools stdio(Duration callTimeout) {
        return McpTools.builder().command(javaCommand("tools")).callTimeout(callTimeout).connect();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void listsTheToolsOfAStdioServerWithTheirSchemas() {
        try (McpTools mcp = stdio(Duration.ofSeconds(20))) {
            assertThat(mcp.tools()).extracting(Tool::name).containsExactly("add", "echo", "fail", "halt", "slow", "getenv", "weather");
            assertThat(mcp.serverInfo()).isEqualTo("test-server 1.0");
            Tool echo = mcp.tool("echo");
            assertThat(echo.desc()).isEqualTo("Repeat a text.");
            assertThat(echo.args()).containsOnlyKeys("text", "times");
            assertThat(echo.args().get("times")).containsEntry("default", 1L);
            assertThat(echo.argDesc()).containsEntry("text", "what to repeat");
            assertThat(echo.toSpec().parameters()).containsEntry("required", List.of("text"));
            assertThat(echo.timeout()).contains(Duration.ofSeconds(20));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void callsToolsOfAStdioServerInALoopLikeAnAgent() {
        try (McpTools mcp = stdio(Duration.ofSeconds(20))) {
            // what a ReAct loop does with each step's tool choice: invoke, turn the result into an observation
            List<Map.Entry<String, Map<String, Object>>> steps = List.of(
                    Map.entry("add", Map.of("a", 2, "b", 40)),
                    Map.entry("echo", Map.of("text", "ab", "times", 3)),
                    Map.entry("echo", Map.of("text", "x")),
                    Map.entry("weather", Map.of("city", "Oslo")));
            List<String> observations = steps.stream()
                    .map(step -> observation(mcp.tool(step.getKey()).invoke(step.getValue())))
                    .toList();
            assertThat(observations).containsExactly("42", "ababab", "x", "{\"city\":\"Oslo\",\"celsius\":21}");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStdioServerGetsTheVariablesSetButNotThisProcesssEnvironment() {
        Set<String> safe = Set.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER");
        String inherited = System.getenv().keySet().stream().filter(k -> !safe.contains(k)).findFirst().orElse(null);
        Assumptions.assumeTrue(inherited != null, "this process has only the safe variables");
        try (McpTools mcp = McpTools.builder().command(javaCommand("tools")).env("GREETING", "hello").connect()) {
            Tool getenv = mcp.tool("getenv");
            assertThat(getenv.invoke(Map.of("name", "GREETING"))).isEqualTo(new ToolResult.Success("hello"));
            assertThat(getenv.invoke(Map.of("name", inherited))).isEqualTo(new ToolResult.Success("null"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void turnsErrorResultsAndBadArgumentsIntoFailures() {
        try (McpTools mcp = stdio(Duration.ofSeconds(20))) {
            ToolResult failed = mcp.tool("fail").invoke(Map.of());
            assertThat(failed).isInstanceOfSatisfying(ToolResult.Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(ToolException.Kind.TOOL_ERROR);
                assertThat(f.message()).contains("MCP tool fail returned an error: the disk is on fire");
                assertThat(f.cause()).isInstanceOf(McpException.class);
            });
            ToolResult missing = mcp.tool("add").invoke(Map.of("a", 1));
            assertThat(((ToolResult.Failure) missing).message()).contains("Arg b is required but was not given.");
            ToolResult wrongType = mcp.tool("add").invoke(Map.of("a", "one", "b", 2));
            assertThat(wrongType).isInstanceOfSatisfying(ToolResult.Failure.class,
                    f -> assertThat(f.kind()).isEqualTo(ToolException.Kind.INVALID_ARGUMENTS));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerThatDiesMidCallGivesAFailureNotAHang() {
        try (McpTools mcp = stdio(Duration.ofSeconds(10))) {
            ToolResult died = mcp.tool("halt").invoke(Map.of());
            assertThat(died).isInstanceOfSatisfying(ToolResult.Failure.class, f -> {
                assertThat(f.kind()).isEqualTo(ToolException.Kind.TOOL_ERROR);
                assertThat(f.message()).contains("MCP server test-server 1.0 exited with code 3 during the call of tool halt");
            });
            // and the next call fails at once, instead of waiting on a dead process
            ToolResult next = mcp.tool("add").invoke(Map.of("a", 1, "b", 2));
            assertThat(next).isInstanceOfSatisfying(ToolResult.Failure.class,
                    f -> assertThat(f.message()).contains("exited with code 3"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCallThatOutlastsTheCallTimeoutFailsWithATimeout() {
        try (McpTools mcp = stdio(Duration.ofSeconds(2))) {
            ToolResult slow = mcp.tool("slow").invoke(Map.of("millis", 30_000));
            assertThat(slow).isInstanceOfSatisfying(ToolResult.Failure.class,
                    f -> assertThat(f.kind()).isEqualTo(ToolException.Kind.TIMEOUT));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void listsAndCallsToolsOverStreamableHttp() {
        try (TestServer.Http server = TestServer.startHttp();
             McpTools mcp = McpTools.builder().url(server.endpoint()).callTimeout(Duration.ofSeconds(20)).connect()) {
            assertThat(mcp.tools()).extracting(Tool::name).contains("add", "echo", "weather");
            assertThat(observation(mcp.tool("add").invoke(Map.of("a", 20, "b", 22)))).isEqualTo("42");
            assertThat(observation(mcp.tool("fail").invoke(Map.of()))).contains("the disk is on fire");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anHttpServerThatStopsGivesAFailureNotAHang() {
        TestServer.Http server = TestServer.startHttp();
        try (McpTools mcp = McpTools.builder().url(server.endpoint()).callTimeout(Duration.ofSeconds(10)).connect()) {
            server.close();
            ToolResult result = mcp.tool("add").invoke(Map.of("a", 1, "b", 2));
            assertThat(result).isInstanceOf(ToolResult.Failure.class);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCommandThatIsNotAnMcpServerFailsToConnectWithinTheInitTimeout() {
        assertThatThrownBy(() -> McpTools.builder().command("sleep", "30").initTimeout(Duration.ofSeconds(2)).connect())
                .isInstanceOf(McpException.class)
                .hasMessageContaining("Could not connect to MCP server sleep 30");
    }

    @Test
    void settingsAreCheckedAsTheyAreSet() {
        assertThatThrownBy(() -> McpTools.builder().command("x").url("http://127.0.0.1:1/mcp"))
                .hasMessageContaining("command is set already");
        assertThatThrownBy(() -> McpTools.builder().url("ftp://host/"))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> McpTools.builder().callTimeout(Duration.ZERO))
                .hasMessageContaining("callTimeout must be positive");
        assertThatThrownBy(() -> McpTools.builder().connect()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void reactCallsMcpToolsAndSeesTheirObservations() {
        ScriptedLm lm = ScriptedLm.replying(
                ScriptedLm.chatCompletion(Map.of("next_thought", "Add them.", "next_tool_name", "add",
                        "next_tool_args", "{\"a\": 2, \"b\": 40}")),
                ScriptedLm.chatCompletion(Map.of("next_thought", "Done.", "next_tool_name", "finish",
                        "next_tool_args", "{}")),
                ScriptedLm.chatCompletion(Map.of("reasoning", "The tool said 42.", "answer", "42")));
        try (McpTools mcp = stdio(Duration.ofSeconds(20))) {
            Prediction result = ReAct.of("question -> answer", mcp.tools())
                    .call(Map.of("question", "What is 2 + 40?"), DspyContext.of(lm));

            assertThat(result.getString("answer")).isEqualTo("42");
            Map<?, ?> trajectory = (Map<?, ?>) result.get("trajectory");
            assertThat(trajectory.get("tool_name_0")).isEqualTo("add");
            assertThat(String.valueOf(trajectory.get("observation_0"))).isEqualTo("42");
            assertThat(trajectory.get("tool_name_1")).isEqualTo("finish");
            // the agent's prompt lists the MCP tool as DSPy lists any tool
            assertThat(lm.requests().get(0).messages().get(0).text()).contains("(1) add, whose description is");
        }
    }

    private static String observation(ToolResult result) {
        return switch (result) {
            case ToolResult.Success success -> String.valueOf(success.value());
            case ToolResult.Failure failure -> failure.kind() + ": " + failure.message();
        };
    }
}
