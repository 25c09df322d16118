package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.examples.ClassifySupport.Ticket;
import dev.dspy4j.examples.ClassifySupport.Triage;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.trace.LmHistory;
import dev.dspy4j.usage.UsageTracker;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The README's quickstart: triages support tickets with a typed ChainOfThought against a real LM,
 * then prints the predictions, the tokens used and the last prompt.
 *
 * <p>The model comes from {@code DSPY4J_MODEL} (DSPy's names: {@code openai/gpt-4o-mini},
 * {@code anthropic/claude-3-5-haiku-latest}, {@code ollama_chat/llama3.2}, ...) and the provider's
 * usual variables ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, ...).
 * Exit status: 0 on success, 2 when nothing is configured, 1 when the provider fails.
 */
public final class Quickstart {

    static final List<String> TICKETS = List.of(
            "I was charged twice for my subscription this month.",
            "The app crashes every time I open the settings page.",
            "I forgot my password and the reset email never arrives.");

    private Quickstart() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /**
     * Runs the quickstart.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        try (Lm lm = configured.get()) { // Lms.of: retries and an in-memory cache, as dspy.LM
            return run(lm, out, err);
        }
    }

    private static int run(Lm lm, PrintStream out, PrintStream err) {
        LmHistory history = LmHistory.create();
        UsageTracker usage = UsageTracker.create();
        DspyContext context = DspyContext.of(lm).withInterceptors(usage, history);

        TypedModule<Ticket, Triage> classify = ChainOfThought.typed(Ticket.class, Triage.class);
        try {
            for (String text : TICKETS) {
                Prediction prediction = classify.predict(new Ticket(text), context);
                Triage triage = classify.toOutput(prediction);
                out.println("ticket:    " + text);
                out.println("category:  " + triage.category());
                out.println("reasoning: " + prediction.getString("reasoning"));
                out.println();
            }
        } catch (LmException e) {
            err.println("The LM call failed: " + e.getMessage());
            return 1;
        }
        out.println("Token usage:");
        out.println(usage.snapshot());
        out.println();
        out.println("The last prompt and response:");
        history.inspectHistory(1, out, false);
        return 0;
    }
}
