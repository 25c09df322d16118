package dev.dspy4j.examples;

import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Instructions;

/**
 * The Java face of DSPy's classic support-ticket example: the signature, as two records.
 *
 * <p>Python DSPy writes it as one class:
 *
 * <pre>
 * class ClassifySupport(dspy.Signature):
 *     """Classify a customer support ticket."""
 *     ticket_text: str = dspy.InputField(desc="the customer's message")
 *     category: Literal["billing", "technical", "account"] = dspy.OutputField(desc="the queue to route to")
 * </pre>
 */
public final class ClassifySupport {

    private ClassifySupport() {}

    /** The queue a ticket goes to. Its {@code toString()} is the value the LM sees and produces. */
    public enum Category {
        BILLING, TECHNICAL, ACCOUNT;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The input: the ticket as the customer wrote it. */
    public record Ticket(@Desc("the customer's message") String ticketText) {}

    /** The output: where the ticket goes. */
    @Instructions("Classify a customer support ticket.")
    public record Triage(@Desc("the queue to route to") Category category) {}
}
