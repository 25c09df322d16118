package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each instruction optimizer, end to end over HTTP: an {@link OpenAiLm} against a loopback
 * {@link FakeLmServer} whose {@link SimulatedTicketModel} classifies better when the instruction
 * names the label set. The optimizer must find such an instruction on the trainset, and the program
 * it returns must then beat the original on tickets it never saw.
 */
class InstructionOptimizersEndToEndTest {

    private static final List<Example> TRAIN = SimulatedTicketModel.tickets("train", 24);
    private static final List<Example> HELD_OUT = SimulatedTicketModel.tickets("held-out", 30);

    /** Exact category; the feedback GEPA reflects on names the queue and the valid ones. */
    private static final Metric CATEGORY = (example, prediction, context) -> {
        String expected = example.getString("category");
        boolean right = expected.equals(prediction.getString("category").strip());
        if (context instanceof MetricContext.Feedback) {
            return Score.of(right ? 1.0 : 0.0, right ? "Correct."
                    : "Wrong: this ticket belongs in " + expected + ". The valid categories are "
                            + SimulatedTicketModel.LABEL_SET + ".");
        }
        return Score.of(right);
    };

    private FakeLmServer server;
    private DspyContext context;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(new SimulatedTicketModel());
        Lm lm = OpenAiLm.builder().model("openai/simulated").apiKey("sk-test").baseUrl(server.baseUrl())
                .timeout(Duration.ofSeconds(10)).build();
        context = DspyContext.of(lm);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void coproFindsTheInstructionThatNamesTheLabelSetAndBeatsTheBaselineOnHeldOutTickets() {
        Copro copro = Copro.builder().metric(CATEGORY).breadth(4).depth(2).evaluationConcurrency(8).build();

        assertOptimizedBeatsBaseline(program -> copro.compile(program, TRAIN, List.of(), context));
    }

    @Test
    void miproV2LightFindsTheInstructionThatNamesTheLabelSetAndBeatsTheBaselineOnHeldOutTickets() {
        MiproV2 mipro = MiproV2.builder().metric(CATEGORY).auto(MiproV2.Auto.LIGHT)
                .maxBootstrappedDemos(0).maxLabeledDemos(0).concurrency(8).seed(0).build();

        assertOptimizedBeatsBaseline(program -> mipro.compile(program, TRAIN, TRAIN, context));
    }

    @Test
    void gepaLearnsTheLabelSetFromFeedbackAndBeatsTheBaselineOnHeldOutTickets() {
        Lm reflection = OpenAiLm.builder().model("openai/simulated-reflection").apiKey("sk-test")
                .baseUrl(server.baseUrl()).build();
        Gepa gepa = Gepa.builder().metric(CATEGORY).reflectionLm(reflection).maxMetricCalls(120)
                .evaluationConcurrency(4).seed(0).build();

        assertOptimizedBeatsBaseline(program -> gepa.compile(program, TRAIN.subList(0, 12), TRAIN.subList(12, 24),
                context));
    }

    @Test
    void simbaLearnsTheLabelSetAsARuleAndBeatsTheBaselineOnHeldOutTickets() {
        // one thread: the simulated model's sampled answers depend on the order of repeated requests
        Simba simba = Simba.builder().metric(CATEGORY).bsize(8).numCandidates(3).maxSteps(2).numThreads(1).seed(0)
                .build();

        Module optimized = assertOptimizedBeatsBaseline(program -> simba.compile(program, TRAIN, List.of(), context));

        assertThat(optimized.state().predictors().get("self").signature().instructions())
                .as("the rule from OfferFeedback, appended after a blank line")
                .endsWith("\n\n" + SimulatedTicketModel.ADVICE);
    }

    private Module assertOptimizedBeatsBaseline(Function<Module, Module> optimize) {
        // given: a zero-shot classifier whose default instruction does not name the queues
        Module program = Predict.of("ticket_text -> category");
        Evaluate heldOut = Evaluate.builder().devset(HELD_OUT).metric(CATEGORY).concurrency(8).build();
        double baseline = heldOut.run(program, context).score();

        // when
        Module optimized = optimize.apply(program);

        // then
        String instruction = optimized.state().predictors().get("self").signature().instructions();
        double score = heldOut.run(optimized, context).score();
        assertThat(instruction).contains(SimulatedTicketModel.LABEL_SET);
        assertThat(score).as("held-out score: baseline %s, optimized %s", baseline, score).isGreaterThan(baseline);
        assertThat(program.state().predictors().get("self").signature().instructions())
                .as("the student is untouched").doesNotContain(SimulatedTicketModel.LABEL_SET);
        return optimized;
    }
}
