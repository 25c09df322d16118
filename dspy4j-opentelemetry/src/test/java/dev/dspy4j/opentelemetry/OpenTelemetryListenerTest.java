package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ReAct;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.run.Runner;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.tool.Tool;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTelemetryListenerTest {

    private static final AttributeKey<String> KIND = AttributeKey.stringKey("dspy4j.span.kind");
    private static final String SECRET_KEY = "sk-test-do-not-export-4f2a9c";
    private static final String COT_REPLY = "[[ ## reasoning ## ]]\nThe capital of France is Paris.\n\n"
            + "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";

    private final Telemetry telemetry = new Telemetry();

    /** A program: one ChainOfThought inside a module of the user's. */
    static final class Qa extends Module {
        final ChainOfThought generate = ChainOfThought.of("question -> answer");

        @Override
        public Prediction forward(Example inputs) {
            return generate.call(inputs.toMap());
        }
    }

    @AfterEach
    void closeSdk() {
        telemetry.close();
    }

    private static Lm scripted(String... replies) {
        return ScriptedLm.replying(replies).withModel("openai/gpt-4o-mini");
    }

    private static Lm usageLm(long input, long output) {
        return ScriptedLm.responding(request -> new LmResponse(List.of(new Choice(COT_REPLY, List.of(), null, "stop")),
                new Usage(input, output), "gpt-4o-mini-2024-07-18", false)).withModel("anthropic/claude-haiku");
    }

    @Test
    void aRetriedLmCallOverHttpBecomesOneChatSpanWithTwoAttemptsUnderThePredictor() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // given a server that fails once with a 500, then answers; a client that retries at once
            server.respondWith(request -> Reply.text(COT_REPLY));
            server.faults().next(Fault.serverError());
            Lm lm = Lms.builder("openai/gpt-4o-mini")
                    .environment(Map.of("OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", SECRET_KEY))
                    .retry(Retry.builder().sleeper(duration -> {}).build())
                    .cache(false)
                    .build();
            DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));

            // when
            Prediction prediction = new Qa().call(Map.of("question", "Capital of France?"),
                    context);

            // then the tree is module -> predictor -> LM call -> two attempts, and the parse under the predictor
            assertThat(prediction.get("answer")).isEqualTo("Paris");
            SpanData module = telemetry.span("Qa");
            SpanData predictor = telemetry.spansOfKind("predictor").get(0);
            SpanData call = telemetry.span("chat gpt-4o-mini");
            assertThat(module.getParentSpanContext().isValid()).isFalse();
            assertThat(telemetry.parentOf(predictor)).isEqualTo(module);
            assertThat(telemetry.parentOf(call)).isEqualTo(predictor);
            assertThat(telemetry.parentOf(telemetry.spansOfKind("adapter_parse").get(0))).isEqualTo(predictor);
            SpanData first = telemetry.span("chat gpt-4o-mini attempt 1");
            SpanData second = telemetry.span("chat gpt-4o-mini attempt 2");
            assertThat(telemetry.childrenOf(call)).containsExactlyInAnyOrder(first, second);
            assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attribute(first, AttributeKey.stringKey("error.type"))).contains("LmException");
            assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(attribute(second, AttributeKey.longKey("dspy4j.lm.attempt"))).isEqualTo(2L);
            assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(module.getTraceId());

            // and the LM call carries the GenAI attributes
            assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attribute(call, AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
            assertThat(attribute(call, AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
            assertThat(attribute(call, AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
            assertThat(attribute(call, AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                    .containsExactly("stop");
            assertThat(call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isNotNull();
            assertThat(attribute(call, AttributeKey.booleanKey("dspy4j.cache_hit"))).isFalse();
            assertThat(attribute(predictor, AttributeKey.stringKey("dspy4j.adapter"))).isEqualTo("ChatAdapter");
            assertThat(attribute(call, AttributeKey.stringKey("dspy4j.predictor.path")))
                    .isEqualTo(attribute(predictor, AttributeKey.stringKey("dspy4j.predictor.path")));
        }
    }

    @Test
    void theApiKeyNeverAppearsInAnySpanEventOrMetricEvenWithContentCaptured() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // given an unauthorized first call (the key ends up in no message) and content capture on
            server.respondWith(request -> Reply.text(COT_REPLY));
            server.faults().next(Fault.serverError());
            Lm lm = Lms.builder("openai/gpt-4o-mini")
                    .environment(Map.of("OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", SECRET_KEY))
                    .retry(Retry.builder().sleeper(duration -> {}).build())
                    .cache(false)
                    .build();
            DspyContext context = DspyContext.of(lm)
                    .withListener(OpenTelemetryListener.builder(telemetry.sdk).captureContent(true).build());

            // when
            new Qa().call(Map.of("question", "Capital of France?"), context);

            // then no attribute or event anywhere holds the key
            StringBuilder exported = new StringBuilder();
            for (SpanData span : telemetry.finished()) {
                exported.append(span.getName()).append(span.getAttributes()).append(span.getStatus());
                span.getEvents().forEach(event -> exported.append(event.getName()).append(event.getAttributes()));
            }
            telemetry.metrics.collectAllMetrics().forEach(metric -> exported.append(metric));
            assertThat(exported.toString()).contains("Capital of France?").doesNotContain(SECRET_KEY)
                    .doesNotContain("4f2a9c");
        }
    }

    @Test
    void aProgramCalledInsideAUserSpanIsItsChild() {
        // given
        DspyContext context = DspyContext.of(scripted(COT_REPLY)).withListener(OpenTelemetryListener.create(telemetry.sdk));
        io.opentelemetry.api.trace.Span user = telemetry.sdk.getTracer("app").spanBuilder("handle request").startSpan();

        // when
        try (Scope ignored = user.makeCurrent()) {
            new Qa().call(Map.of("question", "Capital of France?"), context);
        } finally {
            user.end();
        }

        // then
        SpanData module = telemetry.span("Qa");
        assertThat(telemetry.parentOf(module).getName()).isEqualTo("handle request");
        assertThat(module.getTraceId()).isEqualTo(user.getSpanContext().getTraceId());
    }

    /** A module that runs its predictor over several questions on the Runner's virtual threads. */
    static final class AnswerAll extends Module {
        final Predict answer = Predict.of("question -> answer");

        @Override
        public Prediction forward(Example inputs) {
            List<?> questions = (List<?>) inputs.get("questions");
            List<Example> examples = questions.stream()
                    .map(q -> Example.of("question", q).withInputs("question")).toList();
            List<Prediction> predictions = answer.batch(examples, Runner.builder().concurrency(4).build()).values();
            return Prediction.of(Map.of("answers", predictions.stream().map(p -> p.get("answer")).toList()));
        }
    }

    @Test
    void aBatchOnTheRunnerKeepsEveryPredictorUnderTheModuleAcrossThreads() {
        // given
        Lm lm = ScriptedLm.answering(request -> "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]")
                .withModel("openai/gpt-4o-mini");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));

        // when
        new AnswerAll().call(Map.of("questions", List.of("a", "b", "c", "d", "e", "f")), context);

        // then six predictor calls ran on other threads, all under AnswerAll, each with its LM call
        SpanData root = telemetry.span("AnswerAll");
        List<SpanData> predicts = telemetry.spansOfKind("predictor").stream()
                .filter(s -> s.getParentSpanId().equals(root.getSpanId())).toList();
        assertThat(predicts).hasSize(6);
        List<SpanData> calls = telemetry.spansOfKind("lm_call");
        assertThat(calls).hasSize(6);
        for (SpanData call : calls) {
            assertThat(predicts).contains(telemetry.parentOf(call));
        }
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(root.getTraceId());
    }

    @Test
    void aFailedLmCallMarksItsSpansAsErrorsWithTheMessageOnlyAndCountsIt() {
        // given an LM that refuses every call
        Lm lm = ScriptedLm.responding(request -> {
            throw new LmException("The provider rejected the request: model not found. Check the model name.", false, null);
        }).withModel("openai/gpt-4o-mini");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));

        // when
        assertThatThrownBy(() -> new Qa().call(Map.of("question", "q"), context))
                .isInstanceOf(LmException.class);

        // then the LM call, predictor and module failed, with the message and type but no stack trace
        SpanData call = telemetry.span("chat gpt-4o-mini");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(call.getStatus().getDescription()).contains("model not found");
        assertThat(attribute(call, AttributeKey.stringKey("error.type"))).isEqualTo(LmException.class.getName());
        EventData exception = call.getEvents().get(0);
        assertThat(exception.getName()).isEqualTo("exception");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.message"))).contains("model not found");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))).isNull();
        assertThat(telemetry.span("Qa").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(telemetry.spansOfKind("predictor").get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        // and the error counter counted the failed call
        LongPointData errors = telemetry.metric("dspy4j.lm.errors").getLongSumData().getPoints().stream()
                .filter(p -> "lm_call".equals(p.getAttributes().get(KIND))).findFirst().orElseThrow();
        assertThat(errors.getValue()).isEqualTo(1);
        assertThat(errors.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo(LmException.class.getName());
    }

    @Test
    void promptAndCompletionTextAreLeftOutByDefault() {
        // given
        DspyContext context = DspyContext.of(scripted(COT_REPLY)).withListener(OpenTelemetryListener.create(telemetry.sdk));

        // when
        new Qa().call(Map.of("question", "Capital of France?"), context);

        // then
        for (SpanData span : telemetry.finished()) {
            assertThat(span.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
                    .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages");
            assertThat(span.getAttributes().toString()).doesNotContain("Capital of France?");
        }
    }

    @Test
    void promptAndCompletionTextAreCapturedWhenAskedAndCutToTheLimit() {
        // given a limit shorter than the reply
        DspyContext context = DspyContext.of(scripted(COT_REPLY))
                .withListener(OpenTelemetryListener.builder(telemetry.sdk).captureContent(true).contentLimit(40).build());

        // when
        new Qa().call(Map.of("question", "Capital of France?"), context);

        // then
        SpanData call = telemetry.span("chat gpt-4o-mini");
        String input = attribute(call, AttributeKey.stringKey("gen_ai.input.messages"));
        String output = attribute(call, AttributeKey.stringKey("gen_ai.output.messages"));
        assertThat(input).startsWith("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":")
                .contains("{\"role\":\"user\"").contains("...[truncated]");
        assertThat(output).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
                + "\"[[ ## reasoning ## ]]\\nThe capital of Fra...[truncated]\"}],\"finish_reason\":\"stop\"}]");
    }

    @Test
    void theTokenAndDurationHistogramsRecordEachLmCallByProviderAndModel() {
        // given two calls of 120 input and 30 output tokens
        DspyContext context = DspyContext.of(usageLm(120, 30)).withListener(OpenTelemetryListener.create(telemetry.sdk));
        Qa program = new Qa();

        // when
        program.call(Map.of("question", "one"), context);
        program.call(Map.of("question", "two"), context);

        // then
        MetricData tokens = telemetry.metric("gen_ai.client.token.usage");
        Map<String, HistogramPointData> byType = tokens.getHistogramData().getPoints().stream()
                .collect(Collectors.toMap(p -> p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type")), p -> p));
        assertThat(byType.get("input").getSum()).isEqualTo(240.0);
        assertThat(byType.get("input").getCount()).isEqualTo(2);
        assertThat(byType.get("output").getSum()).isEqualTo(60.0);
        HistogramPointData input = byType.get("input");
        assertThat(input.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("anthropic");
        assertThat(input.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("claude-haiku");
        assertThat(input.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
                .isEqualTo("gpt-4o-mini-2024-07-18");
        MetricData duration = telemetry.metric("gen_ai.client.operation.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.getHistogramData().getPoints()).singleElement()
                .satisfies(point -> assertThat(point.getCount()).isEqualTo(2));
        assertThat(telemetry.spansOfKind("lm_call").get(0).getAttributes()
                .get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(30L);
    }

    @Test
    void aReActAgentsToolCallsAreExecuteToolSpansUnderTheAgent() {
        // given an agent that calls the weather tool once, finishes, then answers
        Tool weather = Tool.ofSchema("weather", "Current weather of a city.", Map.of("city", Map.of("type", "string")),
                args -> "18 C in " + args.get("city"));
        ReAct agent = ReAct.builder(Signature.parse("question -> answer"), List.of(weather)).maxIters(3).build();
        Lm lm = scripted(step("Look it up.", "weather", "{\"city\": \"Paris\"}"), step("Done.", "finish", "{}"),
                "[[ ## reasoning ## ]]\nIt said 18 C.\n\n[[ ## answer ## ]]\n18 C\n\n[[ ## completed ## ]]");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));

        // when
        agent.call(Map.of("question", "Weather in Paris?"), context);

        // then
        SpanData tool = telemetry.span("execute_tool weather");
        assertThat(attribute(tool, AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("execute_tool");
        assertThat(attribute(tool, AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("weather");
        assertThat(telemetry.parentOf(tool)).isEqualTo(telemetry.span("ReAct"));
        assertThat(telemetry.spansOfKind("lm_call")).hasSize(3);
    }

    private static String step(String thought, String tool, String args) {
        return "[[ ## next_thought ## ]]\n" + thought + "\n\n[[ ## next_tool_name ## ]]\n" + tool
                + "\n\n[[ ## next_tool_args ## ]]\n" + args + "\n\n[[ ## completed ## ]]";
    }

    @Test
    void theContentLimitMustBePositive() {
        assertThatThrownBy(() -> OpenTelemetryListener.builder(telemetry.sdk).contentLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contentLimit must be at least 1");
    }

    @Test
    void spansWithoutListenersAreNotCreated() {
        // given a context without the listener
        new Qa().call(Map.of("question", "q"), DspyContext.of(scripted(COT_REPLY)));

        // then
        assertThat(telemetry.finished()).isEmpty();
        assertThat(Set.copyOf(telemetry.metrics.collectAllMetrics())).isEmpty();
    }
}
