package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.examples.ClassifySupport.Ticket;
import dev.dspy4j.examples.ClassifySupport.Triage;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.trace.DspyListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the README's program offline: a typed ChainOfThought over {@link ClassifySupport}, called
 * with a stand-in LM that answers by keyword, then prints the prompt that was sent.
 *
 * <p>The HTTP LM clients (OpenAI-compatible, Anthropic, Ollama) arrive with the next release; any
 * {@link Lm} implementation plugs in the same way.
 */
public final class ClassifySupportExample {

    private ClassifySupportExample() {}

    /** Entry point. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, printing to {@code out}; returns the triage of the sample ticket. */
    public static Triage run(PrintStream out) {
        Lm keywordLm = request -> {
            String ticket = request.messages().get(request.messages().size() - 1).text().toLowerCase(Locale.ROOT);
            String category = ticket.contains("charge") || ticket.contains("invoice") ? "billing"
                    : ticket.contains("password") || ticket.contains("login") ? "account" : "technical";
            return LmResponse.of("[[ ## reasoning ## ]]\nThe ticket is about " + category + ".\n\n"
                    + "[[ ## category ## ]]\n" + category + "\n\n[[ ## completed ## ]]");
        };
        AtomicReference<LmRequest> lastRequest = new AtomicReference<>();
        DspyContext context = DspyContext.of(keywordLm).withListener(new DspyListener() {
            @Override
            public void onLmCall(Lm lm, LmRequest request, LmResponse response) {
                lastRequest.set(request);
            }
        });

        TypedModule<Ticket, Triage> classify = ChainOfThought.typed(Ticket.class, Triage.class);
        Ticket ticket = new Ticket("I was charged twice for my subscription this month.");
        Prediction prediction = classify.predict(ticket, context);
        Triage triage = classify.toOutput(prediction);

        out.println("ticket:    " + ticket.ticketText());
        out.println("reasoning: " + prediction.getString("reasoning"));
        out.println("category:  " + triage.category());
        out.println();
        out.println("Messages sent to the LM:");
        for (Message message : lastRequest.get().messages()) {
            out.println("--- " + message.role().wireName());
            out.println(message.text());
        }
        return triage;
    }
}
