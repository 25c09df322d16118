package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.provider.OpenAiLm;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LmsTest {

    static final LoopbackServer server = LoopbackServer.start();
    static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("hi")));

    @BeforeEach
    void reset() {
        server.reset();
        server.respond(200, OpenAiLmTest.OK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void routesAnthropicModelsToAnthropicLmAndEverythingElseToOpenAiLm() {
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", KEY, "OPENAI_API_KEY", KEY, "GROQ_API_KEY", KEY);

        assertThat(Lms.client("anthropic/claude-sonnet-4-5", env)).isInstanceOf(AnthropicLm.class);
        assertThat(Lms.client("openai/gpt-4o-mini", env)).isInstanceOf(OpenAiLm.class);
        assertThat(Lms.client("gpt-4o-mini", env)).isInstanceOf(OpenAiLm.class)
                .satisfies(lm -> assertThat(((OpenAiLm) lm).provider()).isEqualTo("openai"));
        assertThat(Lms.client("groq/llama-3.3-70b-versatile", env)).isInstanceOf(OpenAiLm.class);
        assertThat(Lms.client("ollama_chat/llama3.2", Map.of())).isInstanceOf(OpenAiLm.class);
        assertThat(Lms.of("openai/gpt-4o-mini", env).model()).isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void keysComeFromTheProvidersVariableAndAMissingOneIsNamed() {
        Map<String, String[]> needs = Map.of(
                "openai/gpt-4o-mini", new String[] {"OPENAI_API_KEY"},
                "openrouter/openai/gpt-4o", new String[] {"OPENROUTER_API_KEY"},
                "together_ai/meta-llama/Llama-3-8b", new String[] {"TOGETHERAI_API_KEY", "TOGETHER_API_KEY"},
                "groq/llama3-8b", new String[] {"GROQ_API_KEY"},
                "gemini/gemini-2.5-flash", new String[] {"GEMINI_API_KEY"},
                "anthropic/claude-3-5-haiku", new String[] {"ANTHROPIC_API_KEY"});
        needs.forEach((model, vars) -> assertThatThrownBy(() -> Lms.of(model, Map.of()))
                .as(model).isInstanceOf(LmException.Configuration.class).hasMessageContaining(vars[0])
                .hasMessageContaining(vars[vars.length - 1]));

        OpenAiLm lm = (OpenAiLm) Lms.client("together_ai/meta-llama/Llama-3-8b",
                Map.of("TOGETHER_API_KEY", KEY, "TOGETHERAI_API_BASE", server.v1().toString()));
        lm.call(REQUEST);
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(server.last().body()).contains("\"model\":\"meta-llama/Llama-3-8b\"");
    }

    @Test
    void anExplicitKeyBaseUrlAndTimeoutWinOverTheEnvironment() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-from-env", "OPENAI_BASE_URL", "http://127.0.0.1:9/v1");

        Lm lm = Lms.builder("openai/gpt-4o-mini").environment(env).apiKey(KEY).baseUrl(server.v1().toString())
                .retry(false).cache(false).build();
        lm.call(REQUEST);

        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(Lms.builder("anthropic/claude-3-5-haiku").environment(Map.of()).apiKey(KEY).build())
                .as("no ANTHROPIC_API_KEY needed").isNotNull();

        server.handler((request, exchange) -> {
            Thread.sleep(2_000);
            LoopbackServer.reply(exchange, 200, OpenAiLmTest.OK);
        });
        Lm impatient = Lms.builder("openai/gpt-4o-mini").environment(env).apiKey(KEY).baseUrl(server.v1().toString())
                .timeout(Duration.ofMillis(200)).retry(false).cache(false).build();
        assertThatThrownBy(() -> impatient.call(REQUEST)).isInstanceOf(LmException.Timeout.class);
    }

    @Test
    void aBaseUrlFromTheEnvironmentServesLocalServersWithoutAKey() {
        OpenAiLm lm = (OpenAiLm) Lms.client("openai/llama-3.2-1b", Map.of("OPENAI_BASE_URL", server.v1() + "/"));

        lm.call(REQUEST);

        assertThat(server.last().path()).isEqualTo("/v1/chat/completions");
        assertThat(server.last().header("Authorization")).isNull();
        assertThat(server.last().header("User-Agent")).isEqualTo("dspy4j");
    }

    @Test
    void ollamaNeedsNoKeyAndGetsV1AppendedToItsRoot() {
        OpenAiLm lm = (OpenAiLm) Lms.client("ollama_chat/llama3.2", Map.of("OLLAMA_API_BASE", server.base().toString()));

        lm.call(REQUEST);

        assertThat(server.last().path()).isEqualTo("/v1/chat/completions");
        assertThat(server.last().body()).contains("\"model\":\"llama3.2\"");
        assertThat(lm.provider()).isEqualTo("ollama");
        OpenAiLm plain = OpenAiLm.builder().model("ollama/qwen3").baseUrl(server.v1()).build();
        plain.call(REQUEST);
        assertThat(server.last().path()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void misconfigurationsFailAtBuildWithWhatToDo() {
        assertThatThrownBy(() -> Lms.of("foo/bar", Map.of())).isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("Unknown provider prefix 'foo'").hasMessageContaining("openai/<model>");
        assertThatThrownBy(() -> OpenAiLm.builder().model("anthropic/claude-x").build())
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("AnthropicLm");
        assertThatThrownBy(() -> Lms.of("azure/my-deployment", Map.of("AZURE_API_KEY", KEY)))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("AZURE_API_BASE");
        assertThatThrownBy(() -> Lms.of("openai/", Map.of("OPENAI_API_KEY", KEY)))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("names no model");
        assertThatThrownBy(() -> Lms.of("openai/gpt-4o", Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", "localhost")))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("OPENAI_BASE_URL");
        assertThatThrownBy(() -> OpenAiLm.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model");
        assertThatThrownBy(() -> OpenAiLm.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> OpenAiLm.builder().baseUrl(URI.create("ftp://x"))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> OpenAiLm.builder().header("Host", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Host");
        assertThatThrownBy(() -> OpenAiLm.builder().apiKey(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExplicitKeyOrAuthHeaderWinsOverTheEnvironment() {
        OpenAiLm explicit = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY)
                .environment(Map.of("OPENAI_API_KEY", "sk-env-other", "OPENAI_BASE_URL", server.v1().toString())).build();
        explicit.call(REQUEST);
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);

        OpenAiLm azure = OpenAiLm.builder().model("azure/dep").header("Authorization", "Bearer aad-token")
                .environment(Map.of("AZURE_API_BASE", server.base().toString())).build();
        azure.call(REQUEST);
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer aad-token");
    }

    @Test
    void savedStateRoundTripsThroughFromSavedState() {
        OpenAiLm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey(KEY).baseUrl(server.v1())
                .options(LmOptions.NONE.withTemperature(0.3).withMaxTokens(200).withStop(List.of("x"))
                        .withExtra("top_p", 0.5).withRolloutId(2)).build();

        Map<String, Object> state = lm.savedState();
        assertThat(state).containsEntry("rollout_id", 2).containsEntry("top_p", 0.5);

        LmException noKey = org.assertj.core.api.Assertions.catchThrowableOfType(LmException.Configuration.class,
                () -> Lms.fromSavedState(Map.of("model", "anthropic/claude-never-configured-in-tests")));
        if (System.getenv("ANTHROPIC_API_KEY") == null) {
            assertThat(noKey).hasMessageContaining("ANTHROPIC_API_KEY");
        }
        Lm rebuilt = Lms.fromSavedState(Map.of("model", "ollama_chat/llama3.2", "temperature", 0.3,
                "max_tokens", 200, "stop", List.of("x"), "top_p", 0.5, "rollout_id", 2, "cache", true,
                "model_type", "chat"));
        assertThat(rebuilt.savedState()).isEqualTo(Lms.client("ollama_chat/llama3.2", Map.of()) instanceof OpenAiLm
                ? OpenAiLm.builder().model("ollama_chat/llama3.2").options(LmOptions.NONE.withTemperature(0.3)
                        .withMaxTokens(200).withStop(List.of("x")).withExtra("top_p", 0.5).withRolloutId(2))
                        .build().savedState() : Map.of());
        assertThatThrownBy(() -> Lms.fromSavedState(Map.of("temperature", 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofRetriesAndCachesInMemoryByDefaultAndBothCanBeTurnedOff() {
        // given a server that fails once with a 500, then answers
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        server.handler((request, exchange) -> LoopbackServer.reply(exchange, seen.getAndIncrement() == 0 ? 500 : 200,
                seen.get() == 1 ? "{\"error\":{\"message\":\"overloaded\"}}" : OpenAiLmTest.OK));
        Map<String, String> env = Map.of("OPENAI_BASE_URL", server.v1().toString());
        Lm lm = Lms.builder("openai/gpt-4o-mini").environment(env)
                .retry(Retry.builder().initialDelay(Duration.ofMillis(1)).build()).build();

        // when the same request is sent twice
        LmResponse first = lm.call(REQUEST);
        LmResponse second = lm.call(REQUEST);

        // then the 500 was retried, and the second call was answered by the in-memory cache
        assertThat(first.text()).isEqualTo("Paris");
        assertThat(second.cacheHit()).isTrue();
        assertThat(server.requests()).hasSize(2);

        Lm bare = Lms.builder("openai/gpt-4o-mini").environment(env).retry(false).cache(false).build();
        assertThat(bare).isInstanceOf(OpenAiLm.class);
        server.respond(500, "{\"error\":{\"message\":\"overloaded\"}}");
        assertThatThrownBy(() -> bare.call(REQUEST)).isInstanceOf(LmException.ServerError.class);
    }
}
