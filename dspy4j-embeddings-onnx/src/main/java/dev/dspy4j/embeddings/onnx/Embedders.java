package dev.dspy4j.embeddings.onnx;

import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.provider.OpenAiEmbedder;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The embedder a program gets when it does not pick one: an OpenAI-compatible endpoint when one is
 * configured, else the in-process {@link OnnxEmbedder}.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedders.fromEnvironment()) {
 *     List<float[]> vectors = embedder.embed(List.of("a cat"));
 * }
 * }</pre>
 *
 * <p>The variables read:
 * <ul>
 *   <li>{@value #MODEL_VARIABLE}: a DSPy embedding model name, e.g.
 *       {@code openai/text-embedding-3-small} or {@code ollama/nomic-embed-text}. When set, the
 *       result is an {@link OpenAiEmbedder} for it, with the provider's key and base URL variables
 *       as {@link dev.dspy4j.provider.OpenAiLm} reads them ({@code OPENAI_API_KEY}, ...).</li>
 *   <li>{@value #BASE_URL_VARIABLE}: the endpoint's base URL (e.g. {@code http://localhost:11434/v1}
 *       for a local server), overriding the provider's default. Only with a model.</li>
 * </ul>
 * With neither set, the result is {@link OnnxEmbedder#create()}: all-MiniLM-L6-v2, offline.
 */
public final class Embedders {

    /** The variable naming the embedding model of an OpenAI-compatible endpoint. */
    public static final String MODEL_VARIABLE = "DSPY4J_EMBEDDING_MODEL";
    /** The variable with that endpoint's base URL. */
    public static final String BASE_URL_VARIABLE = "DSPY4J_EMBEDDING_BASE_URL";

    private Embedders() {
    }

    /**
     * The embedder configured by {@link System#getenv()}.
     *
     * @throws LmException.Configuration if the variables are inconsistent (a base URL without a
     *     model) or the endpoint's key is missing
     * @throws IllegalStateException if the in-process model cannot be loaded
     */
    public static Embedder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The embedder configured by {@code environment}, read as {@link #fromEnvironment()} reads
     * {@link System#getenv()}.
     *
     * @throws LmException.Configuration as {@link #fromEnvironment()}
     * @throws IllegalStateException as {@link #fromEnvironment()}
     */
    public static Embedder fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String model = blankToNull(environment.get(MODEL_VARIABLE));
        String baseUrl = blankToNull(environment.get(BASE_URL_VARIABLE));
        if (model == null) {
            if (baseUrl != null) {
                throw new LmException.Configuration(BASE_URL_VARIABLE + " is set but " + MODEL_VARIABLE
                        + " is not: set " + MODEL_VARIABLE + " to the endpoint's embedding model (e.g."
                        + " openai/nomic-embed-text), or unset " + BASE_URL_VARIABLE + " to embed in process", null);
            }
            return OnnxEmbedder.create();
        }
        OpenAiEmbedder.Builder builder = OpenAiEmbedder.builder().model(model).environment(environment);
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        return builder.build();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
