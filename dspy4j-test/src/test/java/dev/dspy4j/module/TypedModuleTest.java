package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Instructions;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypedModuleTest {

    enum Category { BILLING, TECHNICAL, ACCOUNT }

    record Ticket(@Desc("the customer's message") String ticketText) {}

    @Instructions("Classify the support ticket.")
    record Triage(@Desc("which queue handles it") Category category, int priority, List<String> tags,
                  Optional<String> note) {}

    @Test
    void typedChainOfThoughtReturnsRecordsAndKeepsReasoning() {
        ScriptedLm lm = ScriptedLm.replying("""
                [[ ## reasoning ## ]]
                The customer was charged twice.

                [[ ## category ## ]]
                BILLING

                [[ ## priority ## ]]
                2

                [[ ## tags ## ]]
                ["refund", "card"]

                [[ ## completed ## ]]""");
        TypedModule<Ticket, Triage> classify = ChainOfThought.typed(Ticket.class, Triage.class);

        Prediction prediction = classify.predict(new Ticket("I was charged twice!"), DspyContext.of(lm));
        Triage triage = classify.toOutput(prediction);

        // the reply omits the optional `note`, which therefore takes its default, None
        assertThat(triage).isEqualTo(new Triage(Category.BILLING, 2, List.of("refund", "card"), Optional.empty()));
        assertThat(prediction.getString("reasoning")).isEqualTo("The customer was charged twice.");
        String system = lm.lastRequest().messages().get(0).text();
        assertThat(system).contains("1. `ticket_text` (str): the customer's message");
        assertThat(system).contains("2. `category` (Category): which queue handles it");
        assertThat(system).contains("must be one of: BILLING; TECHNICAL; ACCOUNT");
        assertThat(system).endsWith("Classify the support ticket.");
        assertThat(classify.module().namedPredictors().keySet()).containsExactly("predict");
    }

    @Test
    void typedPredictCallsWithTheBoundContext() {
        ScriptedLm lm = ScriptedLm.replying("[[ ## category ## ]]\nACCOUNT\n\n[[ ## priority ## ]]\n1\n\n"
                + "[[ ## tags ## ]]\n[]\n\n[[ ## note ## ]]\ncall back\n\n[[ ## completed ## ]]");
        TypedModule<Ticket, Triage> classify = Predict.typed(Ticket.class, Triage.class);

        try (var scope = DspyContext.of(lm).bind()) {
            assertThat(classify.call(new Ticket("Reset my password")))
                    .isEqualTo(new Triage(Category.ACCOUNT, 1, List.of(), Optional.of("call back")));
        }
        assertThat(lm.lastRequest().messages().get(1).text()).startsWith("[[ ## ticket_text ## ]]\nReset my password");
    }
}
