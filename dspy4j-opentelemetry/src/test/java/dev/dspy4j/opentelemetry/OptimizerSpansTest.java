package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.module.Predict;
import dev.dspy4j.optimize.BootstrapFewShot;
import dev.dspy4j.testkit.ScriptedLm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OptimizerSpansTest {

    private final Telemetry telemetry = new Telemetry();

    @AfterEach
    void closeSdk() {
        telemetry.close();
    }

    @Test
    void eachBootstrapRoundIsAnOptimizerStepHoldingTheTeachersCall() {
        // given three training examples the teacher answers correctly
        List<Example> trainset = IntStream.range(0, 3)
                .mapToObj(i -> Example.of("question", "q" + i, "answer", "ok").withInputs("question")).toList();
        ScriptedLm lm = ScriptedLm.answering(request -> "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]")
                .withModel("openai/gpt-4o-mini");
        DspyContext context = DspyContext.of(lm).withListener(OpenTelemetryListener.create(telemetry.sdk));

        // when
        BootstrapFewShot.builder()
                .metric(Metric.of((example, prediction) -> example.get("answer").equals(prediction.get("answer"))))
                .maxBootstrappedDemos(3).maxLabeledDemos(0).build()
                .compile(Predict.of("question -> answer"), trainset, context);

        // then
        List<SpanData> steps = telemetry.spansOfKind("optimizer_step");
        assertThat(steps).hasSize(3).allSatisfy(step -> {
            assertThat(step.getName()).isEqualTo("bootstrap round 0");
            assertThat(attribute(step, AttributeKey.stringKey("dspy4j.optimizer"))).isEqualTo("BootstrapFewShot");
            assertThat(attribute(step, AttributeKey.booleanKey("dspy4j.bootstrap.success"))).isTrue();
        });
        assertThat(telemetry.spansOfKind("lm_call")).hasSize(3)
                .allSatisfy(call -> assertThat(steps).contains(telemetry.parentOf(telemetry.parentOf(call))));
    }
}
