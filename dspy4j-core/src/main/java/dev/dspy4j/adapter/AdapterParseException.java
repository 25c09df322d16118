package dev.dspy4j.adapter;

import dev.dspy4j.DspyException;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The LM's reply could not be parsed into the signature's outputs. Not retryable as such (the same
 * request may well produce the same reply); the raw completion is kept so nothing is lost.
 *
 * <p>The message is DSPy's, byte for byte: an optional detail, then
 * {@code Adapter X failed to parse the LM response.}, the response, the expected fields and, when
 * known, the fields that were parsed.
 */
public class AdapterParseException extends DspyException {

    private final String adapterName;
    private final transient Signature signature;
    private final String lmResponse;
    private final transient @Nullable Map<String, Object> parsedResult;

    /**
     * Creates the exception.
     *
     * @param adapterName the adapter, e.g. {@code ChatAdapter}
     * @param signature the signature being parsed
     * @param lmResponse the raw completion
     * @param parsedResult what was parsed before the failure, or {@code null}
     * @param detail what went wrong, or {@code null}
     */
    public AdapterParseException(String adapterName, Signature signature, String lmResponse,
                                 @Nullable Map<String, Object> parsedResult, @Nullable String detail) {
        super(message(adapterName, signature, lmResponse, parsedResult, detail));
        this.adapterName = adapterName;
        this.signature = signature;
        this.lmResponse = lmResponse;
        this.parsedResult = parsedResult;
    }

    private static String message(String adapterName, Signature signature, String lmResponse,
                                  @Nullable Map<String, Object> parsed, @Nullable String detail) {
        StringBuilder out = new StringBuilder();
        if (detail != null) {
            out.append(detail).append("\n\n");
        }
        out.append("Adapter ").append(adapterName).append(" failed to parse the LM response. \n\n");
        out.append("LM Response: ").append(lmResponse).append(" \n\n");
        out.append("Expected to find output fields in the LM response: [")
                .append(signature.outputs().stream().map(Field::name).collect(Collectors.joining(", ")))
                .append("] \n\n");
        if (parsed != null) {
            out.append("Actual output fields parsed from the LM response: [")
                    .append(String.join(", ", parsed.keySet()))
                    .append("] \n\n");
        }
        return out.toString();
    }

    /** The adapter that failed, e.g. {@code ChatAdapter}. */
    public String adapterName() {
        return adapterName;
    }

    /** The signature whose outputs were expected. */
    public Signature signature() {
        return signature;
    }

    /** The LM's raw completion, unchanged. */
    public String lmResponse() {
        return lmResponse;
    }

    /** The fields parsed before the failure, or {@code null} if parsing did not get that far. */
    public @Nullable Map<String, Object> parsedResult() {
        return parsedResult;
    }
}
