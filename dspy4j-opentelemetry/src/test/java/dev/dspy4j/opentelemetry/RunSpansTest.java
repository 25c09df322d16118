package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Parallel;
import dev.dspy4j.module.Predict;
import dev.dspy4j.run.RunCancelledException;
import dev.dspy4j.run.Runner;
import dev.dspy4j.testkit.ScriptedLm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches, Parallel runs and async calls started from user code form one tree. */
class RunSpansTest {

    private final Telemetry telemetry = new Telemetry();

    @AfterEach
    void closeSdk() {
        telemetry.close();
    }

    static final class Echo extends Module {
        final Predict answer = Predict.of("question -> answer");

        @Override
        public Prediction forward(Example inputs) {
            return answer.call(inputs.toMap());
        }
    }

    private DspyContext context() {
        ScriptedLm lm = ScriptedLm.answering(request -> "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]")
                .withModel("openai/gpt-4o-mini");
        return DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));
    }

    private static List<Example> questions(int n) {
        return IntStream.range(0, n).mapToObj(i -> Example.of("question", "q" + i).withInputs("question")).toList();
    }

    private List<SpanData> named(String name) {
        return telemetry.finished().stream().filter(s -> s.getName().equals(name)).toList();
    }

    @Test
    void aBatchCalledUnderTheUsersSpanHangsEveryItemUnderOneRunSpanBelowIt() {
        // given a user span current on the calling thread
        Runner runner = Runner.builder().concurrency(4).context(context()).build();
        Span user = telemetry.sdk.getTracer("user").spanBuilder("handle request").startSpan();

        // when the batch is called straight from user code
        try (Scope ignored = user.makeCurrent()) {
            new Echo().batch(questions(6), runner);
        } finally {
            user.end();
        }

        // then the run sits under the user's span and every program under the run
        SpanData userSpan = telemetry.span("handle request");
        SpanData run = telemetry.span("run");
        assertThat(run.getParentSpanId()).isEqualTo(userSpan.getSpanId());
        assertThat(attribute(run, AttributeKey.stringKey("dspy4j.span.kind"))).isEqualTo("run");
        assertThat(attribute(run, AttributeKey.longKey("dspy4j.run.items"))).isEqualTo(6L);
        assertThat(attribute(run, AttributeKey.longKey("dspy4j.run.succeeded"))).isEqualTo(6L);
        assertThat(named("Echo")).hasSize(6)
                .allSatisfy(program -> assertThat(program.getParentSpanId()).isEqualTo(run.getSpanId()));
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(userSpan.getTraceId());
    }

    @Test
    void aParallelRunUnderTheUsersSpanIsOneTree() {
        // given jobs on two modules and a user span
        Parallel parallel = Parallel.builder().concurrency(3).context(context()).build();
        Echo first = new Echo();
        Echo second = new Echo();
        Span user = telemetry.sdk.getTracer("user").spanBuilder("nightly job").startSpan();

        // when
        try (Scope ignored = user.makeCurrent()) {
            parallel.run(List.of(Parallel.Job.of(first, Map.of("question", "a")),
                    Parallel.Job.of(second, Map.of("question", "b")),
                    Parallel.Job.of(first, Map.of("question", "c"))));
        } finally {
            user.end();
        }

        // then
        SpanData userSpan = telemetry.span("nightly job");
        SpanData run = telemetry.span("Parallel");
        assertThat(run.getParentSpanId()).isEqualTo(userSpan.getSpanId());
        assertThat(named("Echo")).hasSize(3)
                .allSatisfy(program -> assertThat(program.getParentSpanId()).isEqualTo(run.getSpanId()));
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(userSpan.getTraceId());
    }

    @Test
    void anAsyncCallUnderTheUsersSpanStaysInTheUsersTrace() throws Exception {
        // given
        DspyContext context = context();
        Span user = telemetry.sdk.getTracer("user").spanBuilder("handle request").startSpan();

        // when the call moves to its own virtual thread
        try (Scope ignored = user.makeCurrent()) {
            new Echo().callAsync(Map.of("question", "q"), context).get();
        } finally {
            user.end();
        }

        // then its program span reaches the user's span through the async span
        SpanData userSpan = telemetry.span("handle request");
        SpanData async = telemetry.span("async");
        assertThat(async.getParentSpanId()).isEqualTo(userSpan.getSpanId());
        assertThat(telemetry.span("Echo").getParentSpanId()).isEqualTo(async.getSpanId());
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(userSpan.getTraceId());
    }

    @Test
    void aBatchWithoutAUserSpanIsOneRootNotOneRootPerItem() {
        // given no OpenTelemetry span current
        Runner runner = Runner.builder().concurrency(4).context(context()).build();

        // when
        new Echo().batch(questions(5), runner);

        // then the run is the only root, and the whole batch is one trace
        List<SpanData> roots = telemetry.finished().stream().filter(s -> !s.getParentSpanContext().isValid()).toList();
        assertThat(roots).extracting(SpanData::getName).containsExactly("run");
        assertThat(named("Echo")).hasSize(5)
                .allSatisfy(program -> assertThat(program.getParentSpanId()).isEqualTo(roots.get(0).getSpanId()));
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(roots.get(0).getTraceId());
    }

    @Test
    void aBatchInsideAModuleNeedsNoRunSpan() {
        // given a module that batches its predictor inside forward
        Module outer = new Module() {
            final Predict answer = Predict.of("question -> answer");

            @Override
            protected Prediction forward(Example inputs) {
                answer.batch(questions(3), Runner.builder().concurrency(2).build());
                return Prediction.of(Map.of("answer", "done"));
            }
        };

        // when
        outer.call(Map.of("question", "q"), context());

        // then the predictors sit directly under the module, as before
        assertThat(telemetry.spansOfKind("run")).isEmpty();
        List<SpanData> roots = telemetry.finished().stream().filter(s -> !s.getParentSpanContext().isValid()).toList();
        assertThat(roots).hasSize(1);
        assertThat(telemetry.spansOfKind("predictor")).hasSize(3)
                .allSatisfy(predictor -> assertThat(predictor.getParentSpanId()).isEqualTo(roots.get(0).getSpanId()));
    }

    @Test
    void aRunStoppedByFailuresEndsItsSpanAsAnError() {
        // given an LM that always fails and a runner stopping at the second failure
        ScriptedLm lm = ScriptedLm.answering(request -> {
            throw new IllegalStateException("provider down");
        }).withModel("openai/gpt-4o-mini");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));
        Runner runner = Runner.builder().concurrency(1).maxErrors(2).context(context).build();

        // when
        assertThatThrownBy(() -> new Echo().batch(questions(4), runner)).isInstanceOf(RunCancelledException.class);

        // then
        SpanData run = telemetry.span("run");
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attribute(run, AttributeKey.stringKey("error.type"))).isEqualTo(RunCancelledException.class.getName());
    }
}
