package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Optimizer steps and evaluations are spans in the same tree as the program calls they make. */
class OptimizerSpansTest {

    @Test
    void randomSearchCandidatesAreStepsWhoseEvaluationsAndLmCallsNestUnderThem() {
        // given a listener on the optimization's context
        List<Span> started = new CopyOnWriteArrayList<>();
        Map<String, Boolean> ended = new ConcurrentHashMap<>();
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }

            @Override
            public void onEnd(Span span, Map<String, Object> attributes) {
                ended.put(span.id(), true);
            }

            @Override
            public void onFailed(Span span, Throwable error) {
                ended.put(span.id(), false);
            }
        };
        ScriptedLm lm = Fixtures.oddCorrect();

        // when a small random search runs
        BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT).numCandidatePrograms(1)
                .maxBootstrappedDemos(1).maxLabeledDemos(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), Fixtures.trainset(4),
                        DspyContext.of(lm).withListener(recorder));

        // then each candidate is a step, with its evaluation (and the evaluation's examples) under it
        List<Span> candidates = started.stream().filter(s -> s.kind() == SpanKind.OPTIMIZER_STEP
                && s.name().startsWith("candidate ")).toList();
        assertThat(candidates).extracting(Span::name)
                .containsExactlyInAnyOrder("candidate -3", "candidate -2", "candidate -1", "candidate 0");
        for (Span candidate : candidates) {
            List<Span> evaluations = children(started, candidate, SpanKind.EVALUATION);
            assertThat(evaluations).as("evaluation of %s", candidate.name()).hasSize(1);
            List<Span> examples = children(started, evaluations.get(0), SpanKind.EVALUATION);
            assertThat(examples).hasSize(4);
            assertThat(children(started, examples.get(0), SpanKind.PREDICTOR)).hasSize(1);
        }
        // and bootstrapping rounds are steps too; every span ended exactly once
        assertThat(started).anyMatch(s -> s.name().startsWith("bootstrap round "));
        assertThat(ended).hasSize(started.size());
    }

    @Test
    void coproProposalsAndCandidateEvaluationsAreStepsWithTheirCallsUnderThem() {
        // given a listener on the optimization's context
        List<Span> started = new CopyOnWriteArrayList<>();
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }
        };
        ScriptedLm lm = ScriptedLm.responding(request -> request.messages().get(1).text().contains("basic_instruction")
                ? dev.dspy4j.lm.LmResponse.of(ScriptedLm.chatCompletion(Map.of("proposed_instruction", "Answer.",
                        "proposed_prefix_for_output_field", "A:")))
                : Fixtures.oddCorrect().call(request));

        // when COPRO runs one level of breadth 2
        Copro.builder().metric(Fixtures.EXACT).breadth(2).depth(1).build()
                .compile(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(lm).withListener(recorder));

        // then the proposal is a step with its predictor call under it, and each candidate a step with its evaluation
        List<Span> steps = started.stream().filter(s -> s.kind() == SpanKind.OPTIMIZER_STEP).toList();
        assertThat(steps).extracting(Span::name).containsExactly("propose for self at depth 0",
                "candidate 1 for self at depth 0", "candidate 2 for self at depth 0");
        assertThat(children(started, steps.get(0), SpanKind.PREDICTOR)).hasSize(1);
        assertThat(children(started, steps.get(1), SpanKind.EVALUATION)).hasSize(1);
    }

    private static List<Span> children(List<Span> spans, Span parent, SpanKind kind) {
        return spans.stream().filter(s -> s.kind() == kind && parent.id().equals(s.parentId())).toList();
    }
}
