package dev.dspy4j.module;

import java.util.Map;

/**
 * One namespace of a {@link CodeInterpreter}: what one execution defines, the next sees. Opened
 * by {@link CodeInterpreter#openSession} and used by one thread at a time; close it when done.
 */
public interface CodeSession extends AutoCloseable {

    /**
     * Runs {@code code} after binding {@code variables} (strings, numbers, booleans, lists and
     * maps of those, or null) as top-level names.
     *
     * @return {@link CodeResult.Submitted} when the code called {@code SUBMIT}, else
     *     {@link CodeResult.Output} with the value of a final expression statement, or else what
     *     the code printed, or null when neither
     * @throws CodeExecutionException when the code fails in a way the LM can fix: a syntax or
     *     runtime error, a time, memory or output limit, a forbidden operation
     * @throws dev.dspy4j.DspyException when the interpreter itself fails or is closed
     */
    CodeResult execute(String code, Map<String, ?> variables);

    /** {@link #execute(String, Map)} without variables. */
    default CodeResult execute(String code) {
        return execute(code, Map.of());
    }

    /** Discards the namespace; idempotent. */
    @Override
    void close();
}
