package dev.dspy4j.examples;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.provider.Lms;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * How the examples find their LM: {@code DSPY4J_MODEL} plus the provider's usual variables. When
 * nothing (or something incomplete) is configured, says how to configure it.
 */
final class ExampleLm {

    static final String HOW_TO_CONFIGURE = """
            No model configured. Set DSPY4J_MODEL and the provider's variables, then run again:

              OpenAI:              export DSPY4J_MODEL=openai/gpt-4o-mini OPENAI_API_KEY=sk-...
              Anthropic:           export DSPY4J_MODEL=anthropic/claude-3-5-haiku-latest ANTHROPIC_API_KEY=sk-ant-...
              Ollama (local):      export DSPY4J_MODEL=ollama_chat/llama3.2        (ollama serve on localhost:11434)
              llama.cpp server:    export DSPY4J_MODEL=openai/local OPENAI_BASE_URL=http://localhost:8080/v1 OPENAI_API_KEY=none
              Any OpenAI-compatible server (vLLM, LM Studio, ...): DSPY4J_MODEL=openai/<model> and OPENAI_BASE_URL=<url>/v1
            """;

    private ExampleLm() {}

    /** The configured client, or empty after explaining on {@code err} what to set. */
    static Optional<Lm> fromEnvironment(Map<String, String> environment, PrintStream err) {
        String model = environment.get("DSPY4J_MODEL");
        if (model == null || model.isBlank()) {
            err.print(HOW_TO_CONFIGURE);
            return Optional.empty();
        }
        try {
            return Optional.of(Lms.of(model.strip(), environment));
        } catch (LmException e) {
            err.println(e.getMessage());
            err.println();
            err.print(HOW_TO_CONFIGURE);
            return Optional.empty();
        }
    }
}
