package dev.dspy4j.provider.http;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.lm.LmException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI embeddings wire format: batched {@code POST /embeddings}, vectors put back in input
 * order by their {@code index}. Internal: the public face is {@code dev.dspy4j.provider.OpenAiEmbedder}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiEmbeddings {

    private final Endpoint endpoint;
    private final HttpCaller caller;
    private final URI uri;
    private final int batchSize;

    /**
     * Creates the client.
     *
     * @param endpoint a resolved OpenAI-compatible endpoint
     * @param batchSize texts per request, at least 1
     */
    public OpenAiEmbeddings(Endpoint endpoint, int batchSize) {
        this.endpoint = endpoint;
        this.caller = new HttpCaller(endpoint);
        this.uri = endpoint.uri("/embeddings");
        this.batchSize = batchSize;
    }

    /** The endpoint. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Embeds texts, {@code batchSize} per request, one request after another.
     *
     * @throws LmException on any failure, including a reply whose vectors do not match the inputs
     */
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + batchSize));
            ObjectNode body = JsonTrees.object();
            body.put("model", endpoint.wireModel());
            ArrayNode input = body.putArray("input");
            batch.forEach(input::add);
            HttpCaller.Reply reply = caller.post(uri, JsonTrees.write(body), batch.size());
            out.addAll(Arrays.asList(parse(reply, batch.size())));
        }
        int dimension = out.isEmpty() ? 0 : out.get(0).length;
        for (float[] vector : out) {
            if (vector.length != dimension) {
                throw new LmException.Configuration(endpoint.provider() + " returned embeddings of different "
                        + "dimensions (" + dimension + " and " + vector.length + ") for model " + endpoint.model()
                        + "; check that every batch uses the same model", endpoint.provider());
            }
        }
        return out;
    }

    private float[][] parse(HttpCaller.Reply reply, int expected) {
        JsonNode root;
        try {
            root = JsonTrees.read(reply.body());
        } catch (JacksonException e) {
            throw ErrorMapper.malformed(endpoint, reply.status(), reply.requestId(), "the body is not valid JSON",
                    OpenAiChat.text(reply.body()), e);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            if (root != null && root.has("error")) {
                throw ErrorMapper.fromErrorBody(endpoint, reply.status(), reply.requestId(), root);
            }
            throw ErrorMapper.malformed(endpoint, reply.status(), reply.requestId(), "it has no data array",
                    OpenAiChat.text(reply.body()), null);
        }
        float[][] vectors = new float[expected][];
        int position = 0;
        for (JsonNode item : data.values()) {
            int index = item.path("index").asInt(position);
            JsonNode embedding = item.get("embedding");
            if (index < 0 || index >= expected || vectors[index] != null || embedding == null || !embedding.isArray()) {
                throw ErrorMapper.malformed(endpoint, reply.status(), reply.requestId(), "embedding " + position
                        + " has a missing, repeated or out-of-range index, or no vector", OpenAiChat.text(reply.body()),
                        null);
            }
            float[] vector = new float[embedding.size()];
            int i = 0;
            for (JsonNode value : embedding.values()) {
                vector[i++] = (float) value.asDouble();
            }
            vectors[index] = vector;
            position++;
        }
        if (position != expected) {
            throw ErrorMapper.malformed(endpoint, reply.status(), reply.requestId(), "it has " + position
                    + " embeddings for " + expected + " inputs", OpenAiChat.text(reply.body()), null);
        }
        return vectors;
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddings[" + endpoint + "]";
    }

    /** Releases the HTTP client; later calls fail with {@code LmException.Configuration}. Idempotent. */
    public void close() {
        caller.close();
    }
}
