package dev.dspy4j.examples.docs;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.TypedModule;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Instructions;
import dev.dspy4j.tool.Tool;
import dev.dspy4j.trace.LmHistory;
import java.util.List;
import java.util.Map;

/**
 * What the docs' Java snippets may use without declaring it: the names a reader takes as set up
 * by the text around a snippet ({@code lm}, {@code program}, {@code trainset}, ...) and the types
 * the README declares ({@code Ticket}, {@code Triage}, {@code Category}) or the docs define once
 * ({@code MultiHop}). Every fragment is compiled as the body of a method of a subclass, so a
 * snippet's own declarations shadow these.
 *
 * <p>Add a name here when a new doc assumes one; keep the names the docs' own (what a reader sees).
 * Only compiled, never run: the fields stay unset.
 */
@SuppressWarnings({"unused", "NullAway"})
public abstract class SnippetGivens {

    /** An LM from {@code Lms.of(...)}: streaming, like every built-in client. */
    protected Lm lm;
    /** An LM client before interceptors are put in front of it. */
    protected Lm client;
    protected Lm judgeLm;
    protected Lm strongLm;
    protected DspyContext context;

    protected Module program;
    protected Module programA;
    protected Module programB;
    protected Module programC;
    protected Module teacherProgram;
    /** The README's typed classifier. */
    protected TypedModule<Ticket, Triage> classify;

    protected List<Example> trainset;
    protected List<Example> devset;
    protected List<Example> demos;
    protected Metric exact;
    protected Map<String, Object> inputs;
    protected String text;
    protected List<String> texts;
    protected Map<String, String> secrets;

    /** Tools made as docs/agents.md shows. */
    protected List<Tool> tools;
    protected Tool search;

    /** A Python interpreter, as docs/modules.md makes one. */
    protected dev.dspy4j.module.CodeInterpreter interpreter;
    /** An embedder, as docs/retrieval.md uses it (e.g. {@code OpenAiEmbedder}). */
    protected Embedder embedder;

    protected LmHistory history;
    /** A prompt export, as docs/export.md makes one. */
    protected dev.dspy4j.export.PromptExport export;
    protected CacheInterceptor cache;
    protected ConcurrencyLimit limit;
    /** A langchain4j chat model, as docs/bridges.md uses it. */
    protected dev.langchain4j.model.chat.ChatModel langchain4jModel;
    /** A langchain4j streaming chat model, as docs/bridges.md uses it. */
    protected dev.langchain4j.model.chat.StreamingChatModel langchain4jStreamingModel;
    /** A Spring AI chat model, as docs/bridges.md uses it. */
    protected org.springframework.ai.chat.model.ChatModel springAiModel;

    /** A retriever, as in DSPy's multi-hop example. */
    protected List<String> search(String query) {
        return List.of();
    }

    /** The README's categories. */
    public enum Category { BILLING, TECHNICAL, ACCOUNT }

    /** The README's input record. */
    public record Ticket(@Desc("the customer's message") String ticketText) {}

    /** The README's output record. */
    @Instructions("Classify a customer support ticket.")
    public record Triage(@Desc("the queue to route to") Category category) {}

    /** docs/types.md's user-defined value, for the blocks after the one that declares it. */
    public record Money(double amount, String currency) {}

    /** docs/types.md's user-defined type ({@code Money}), for the blocks after the one that declares it. */
    public static final class MoneyType implements dev.dspy4j.signature.CustomType<Money> {
        @Override
        public String name() {
            return "Money";
        }

        @Override
        public Class<Money> valueClass() {
            return Money.class;
        }

        @Override
        public Formatted format(Money value) {
            return Formatted.text(value.amount() + " " + value.currency());
        }

        @Override
        public Money parse(Object value) {
            throw new UnsupportedOperationException("compiled, never run");
        }
    }

    /** Stands in for the multi-hop program that docs/signatures-modules-adapters.md defines. */
    public static class MultiHop extends Module {
        @Override
        protected Prediction forward(Example in) {
            throw new UnsupportedOperationException("compiled, never run");
        }
    }
}
