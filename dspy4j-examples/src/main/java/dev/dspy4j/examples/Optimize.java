package dev.dspy4j.examples;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.ProgressBars;
import dev.dspy4j.examples.ClassifySupport.Ticket;
import dev.dspy4j.examples.ClassifySupport.Triage;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.optimize.BootstrapFewShot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The README's "Optimize" command: evaluates the support-triage program zero-shot on the shipped
 * labelled tickets, compiles it with BootstrapFewShot, evaluates again, saves the optimized
 * program as DSPy-format JSON, loads it into a fresh program and checks that the loaded program's
 * prompts are identical. Same configuration as {@link Quickstart} ({@code DSPY4J_MODEL} and the
 * provider's variables); exit status 0 on success, 2 when nothing is configured, 1 on failure.
 */
public final class Optimize {

    /** The metric: the predicted category is the labelled one. */
    static final Metric CATEGORY_MATCHES = Metric.of((example, prediction) ->
            Objects.equals(String.valueOf(prediction.get("category")), String.valueOf(example.get("category"))));

    private Optimize() {}

    /** Entry point; saves the optimized program to {@code target/optimized-triage.json}. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, Path.of("target", "optimized-triage.json")));
    }

    /**
     * Runs the flow.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param out where results go
     * @param err where problems go
     * @param saveTo where the optimized program is saved
     * @return the exit status
     */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err, Path saveTo) {
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        // Lms.of retries and caches; Evaluate and the optimizer bound how many calls run at once
        DspyContext context = DspyContext.of(configured.get());

        List<Example> tickets = SupportTickets.load();
        List<Example> trainset = tickets.subList(0, 15);
        List<Example> devset = tickets.subList(15, tickets.size());
        Module program = ChainOfThought.typed(Ticket.class, Triage.class).module();
        Evaluate evaluate = Evaluate.builder().devset(devset).metric(CATEGORY_MATCHES).concurrency(8)
                .listener(ProgressBars.terminal()).build();

        try {
            EvaluationResult zeroShot = evaluate.run(program, context);
            out.printf("zero-shot score on %d held-out tickets: %.2f%n", devset.size(), zeroShot.score());

            Module optimized = BootstrapFewShot.builder().metric(CATEGORY_MATCHES)
                    .maxBootstrappedDemos(4).maxLabeledDemos(4).listener(ProgressBars.terminal()).build()
                    .compile(program, trainset, context);
            EvaluationResult compiledScore = evaluate.run(optimized, context);
            out.printf("optimized score on the same tickets:    %.2f%n", compiledScore.score());

            optimized.save(saveTo);
            Module loaded = ChainOfThought.typed(Ticket.class, Triage.class).module().load(saveTo);
            boolean identical = samePrompts(optimized, loaded, devset.get(0));
            out.println("saved to " + saveTo.toAbsolutePath() + "; loaded copy renders identical prompts: " + identical);
            return identical ? 0 : 1;
        } catch (LmException e) {
            err.println("An LM call failed: " + e.getMessage());
            return 1;
        }
    }

    /** Whether both programs render byte-identical messages for {@code example}, predictor by predictor. */
    static boolean samePrompts(Module a, Module b, Example example) {
        Map<String, Object> inputs = example.inputs().toMap();
        for (String path : a.namedPredictors().keySet()) {
            if (!render(a.state().predictor(path), inputs).equals(render(b.state().predictor(path), inputs))) {
                return false;
            }
        }
        return a.namedPredictors().keySet().equals(b.namedPredictors().keySet());
    }

    private static List<Message> render(PredictorState state, Map<String, Object> inputs) {
        return ChatAdapter.DEFAULT.format(state.signature(), state.demos(), inputs);
    }
}
