package dev.dspy4j.lm;

import java.util.List;

/**
 * Turns texts into embedding vectors, e.g. for KNN demo selection and retrieval.
 *
 * <p>Implementations must be thread-safe and return one vector per input text, in order, all of
 * the same dimension.
 */
@FunctionalInterface
public interface Embedder extends AutoCloseable {

    /**
     * Embeds texts.
     *
     * @param texts the texts, possibly many (clients batch them)
     * @return one vector per text, in input order
     * @throws LmException if the provider fails
     */
    List<float[]> embed(List<String> texts);

    /**
     * Releases what the embedder holds (an HTTP client's connections and threads); calls after that
     * fail. Idempotent; does nothing by default.
     */
    @Override
    default void close() {
    }
}
