package dev.dspy4j.provider;

import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.provider.http.OpenAiEmbeddings;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Embedder} behind an OpenAI-compatible embeddings endpoint ({@code POST {baseUrl}/embeddings}):
 * OpenAI, Azure, Ollama, vLLM, Together, Gemini and the other providers of {@link OpenAiLm}, with
 * the same model names, keys, base URLs and errors.
 *
 * <pre>{@code
 * Embedder embedder = OpenAiEmbedder.builder().model("openai/text-embedding-3-small").build();
 * List<float[]> vectors = embedder.embed(List.of("first text", "second text"));
 * }</pre>
 *
 * <p>Texts are sent in batches of {@link Builder#batchSize(int)} (default
 * {@value #DEFAULT_BATCH_SIZE}, as DSPy's {@code Embedder}), one batch after another; vectors come
 * back in input order (the reply's {@code index} decides, not its order). A reply with missing,
 * repeated or out-of-range indexes, or vectors of different dimensions, fails with
 * {@link LmException.Configuration}. No caching: put a cache in front if wanted.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the key.
 */
public final class OpenAiEmbedder implements Embedder {

    /** Texts per request unless set: 200, as DSPy's {@code Embedder(batch_size=200)}. */
    public static final int DEFAULT_BATCH_SIZE = 200;

    private final OpenAiEmbeddings embeddings;

    private OpenAiEmbedder(OpenAiEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    /** A {@link Builder}; its {@code model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Embeds texts.
     *
     * @return one vector per text, in input order; empty for no texts (no request is sent)
     * @throws LmException on any failure (see {@link OpenAiLm} for the mapping)
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        return embeddings.embed(texts);
    }

    /** The DSPy model name, e.g. {@code openai/text-embedding-3-small}. */
    public String model() {
        return embeddings.endpoint().model();
    }

    /**
     * Releases the HTTP connections and threads, as {@link OpenAiLm#close()} does; later calls fail
     * with {@link LmException.Configuration}. Idempotent.
     */
    @Override
    public void close() {
        embeddings.close();
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + model() + "]";
    }

    /**
     * Builds an {@link OpenAiEmbedder}; settings as for {@link OpenAiLm.Builder}, with models such
     * as {@code openai/text-embedding-3-small}, plus {@link #batchSize(int)}. Not thread-safe.
     */
    public static final class Builder extends HttpClientBuilder<Builder> {

        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder() {
        }

        /**
         * Texts per request; default {@value OpenAiEmbedder#DEFAULT_BATCH_SIZE}.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Builds the embedder.
         *
         * @throws IllegalStateException if no model was set
         * @throws LmException.Configuration if the provider prefix is unknown or a needed key or
         *     base URL is missing
         */
        public OpenAiEmbedder build() {
            return new OpenAiEmbedder(new OpenAiEmbeddings(settings.resolveOpenAiCompatible(), batchSize));
        }
    }
}
