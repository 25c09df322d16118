package dev.dspy4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The GenAI semantic-convention keys this module writes, copied as strings so that it depends on
 * the stable OpenTelemetry API only (the incubating semconv artifact is an alpha).
 */
final class GenAi {

    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> REQUEST_SEED = AttributeKey.longKey("gen_ai.request.seed");
    static final AttributeKey<Long> REQUEST_CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
    static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
            AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    static final String CHAT = "chat";
    static final String EXECUTE_TOOL = "execute_tool";

    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

    /** The convention's advised buckets for {@link #TOKEN_USAGE}. */
    static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
            262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    /** The convention's advised buckets for {@link #OPERATION_DURATION}, in seconds. */
    static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);

    private GenAi() {}

    /**
     * The provider part of a dspy4j model name ({@code openai/gpt-4o-mini} is {@code openai}), with
     * litellm's aliases mapped to the convention's names; {@code null} when the name has no prefix.
     */
    static @org.jspecify.annotations.Nullable String provider(String model) {
        int slash = model.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String prefix = model.substring(0, slash);
        return switch (prefix) {
            case "ollama_chat" -> "ollama";
            case "gemini" -> "gcp.gemini";
            case "vertex_ai" -> "gcp.vertex_ai";
            case "xai" -> "x_ai";
            case "azure" -> "azure.ai.openai";
            case "bedrock" -> "aws.bedrock";
            case "mistral" -> "mistral_ai";
            default -> prefix;
        };
    }

    /** The model without its provider prefix ({@code openai/gpt-4o-mini} is {@code gpt-4o-mini}). */
    static String requestModel(String model) {
        int slash = model.indexOf('/');
        return slash <= 0 ? model : model.substring(slash + 1);
    }
}
