package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EvaluationSpansTest {

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

    @Test
    void anEvaluationRunHoldsOneSpanPerExampleWithItsProgramUnderneathAcrossThreads() {
        // given eight examples evaluated four at a time
        List<Example> devset = IntStream.range(0, 8)
                .mapToObj(i -> Example.of("question", "q" + i, "answer", "ok").withInputs("question")).toList();
        ScriptedLm lm = ScriptedLm.answering(request -> "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]")
                .withModel("openai/gpt-4o-mini");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));
        Evaluate evaluate = Evaluate.builder().devset(devset).concurrency(4)
                .metric(Metric.of((example, prediction) -> example.get("answer").equals(prediction.get("answer"))))
                .build();

        // when
        EvaluationResult result = evaluate.run(new Echo(), context);

        // then
        assertThat(result.score()).isEqualTo(100.0);
        SpanData run = telemetry.span("Evaluate");
        assertThat(attribute(run, AttributeKey.longKey("dspy4j.evaluation.examples"))).isEqualTo(8L);
        assertThat(attribute(run, AttributeKey.doubleKey("dspy4j.evaluation.score"))).isEqualTo(100.0);
        List<SpanData> examples = telemetry.childrenOf(run);
        assertThat(examples).hasSize(8).allSatisfy(example -> assertThat(example.getName()).startsWith("example "));
        List<SpanData> programs = telemetry.finished().stream().filter(s -> s.getName().equals("Echo")).toList();
        assertThat(programs).hasSize(8).allSatisfy(program -> assertThat(examples).contains(telemetry.parentOf(program)));
        assertThat(telemetry.spansOfKind("lm_call")).hasSize(8)
                .allSatisfy(call -> assertThat(telemetry.parentOf(telemetry.parentOf(call)).getName()).isEqualTo("Echo"));
        assertThat(telemetry.finished()).extracting(SpanData::getTraceId).containsOnly(run.getTraceId());
    }
}
