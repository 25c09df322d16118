package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** An OpenAI Chat Completions stream: {@code data:} chunks until {@code data: [DONE]}. */
final class OpenAiStream extends SseStream {

    private final List<ChoiceBuilder> choices = new ArrayList<>();
    private Usage usage = Usage.ZERO;
    private @Nullable String model;

    OpenAiStream(Endpoint endpoint, HttpCaller.Opened opened) {
        super(endpoint, opened);
    }

    @Override
    boolean handle(SseReader.Event event) {
        String data = event.data();
        if (data.equals("[DONE]")) {
            return true;
        }
        JsonNode root = JsonTrees.read(data);
        if (root == null || !root.isObject()) {
            throw ErrorMapper.malformed(endpoint, 200, requestId, "a stream event is not a JSON object", data, null);
        }
        if (root.has("error")) {
            throw ErrorMapper.fromErrorBody(endpoint, 0, requestId, root);
        }
        if (model == null) {
            model = Json.string(root, "model");
        }
        JsonNode usageNode = root.get("usage");
        if (usageNode != null && usageNode.isObject()) {
            usage = OpenAiChat.usage(usageNode);
        }
        JsonNode list = root.get("choices");
        if (list == null || !list.isArray()) {
            return false;
        }
        for (JsonNode choice : list.values()) {
            int index = Math.max(0, choice.path("index").asInt(0));
            ChoiceBuilder builder = ChoiceBuilder.at(choices, index);
            JsonNode delta = choice.path("delta");
            String text = Json.string(delta, "content");
            String reasoning = OpenAiChat.reasoning(delta);
            if (text != null) {
                builder.appendText(text);
            }
            if (reasoning != null) {
                builder.appendReasoning(reasoning);
            }
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode call : calls.values()) {
                    ChoiceBuilder.Tool tool = builder.tool(call.path("index").asInt(0));
                    String id = Json.string(call, "id");
                    if (id != null) {
                        tool.id = id;
                    }
                    JsonNode function = call.path("function");
                    String name = Json.string(function, "name");
                    if (name != null && tool.name == null) {
                        tool.name = name;
                    }
                    String args = Json.string(function, "arguments");
                    if (args != null) {
                        tool.arguments.append(args);
                    }
                }
            }
            String finish = Json.string(choice, "finish_reason");
            if (finish != null) {
                builder.finishReason = finish;
            }
            emit(index, text, reasoning);
        }
        return false;
    }

    @Override
    LmResponse assemble() {
        if (choices.isEmpty()) {
            throw new LmException.Configuration(endpoint.provider() + " stream for model " + endpoint.model()
                    + " ended without any choice " + ErrorMapper.where(200, requestId)
                    + ". Check that the server supports streaming chat completions", endpoint.provider());
        }
        return new LmResponse(choices.stream().map(ChoiceBuilder::build).toList(), usage, model, false);
    }

    @Override
    String terminator() {
        return "data: [DONE]";
    }
}
