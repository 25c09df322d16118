package dev.dspy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.testkit.server.FakeLmServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Assertions shared by the compatibility kit's tests. */
final class KitChecks {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KitChecks() {
    }

    /** A call that should fail. */
    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    /** The {@link LmException} the call throws; fails the test if it returns or throws anything else. */
    static LmException failureOf(Call call) {
        Object result;
        try {
            result = call.run();
        } catch (LmException e) {
            return e;
        } catch (Throwable e) {
            throw new AssertionError("expected an LmException subclass but the client threw " + e, e);
        }
        return fail("expected an LmException but the call returned " + result);
    }

    /**
     * Checks an exception against the contract: its type, retryable flag, HTTP status ({@code -1}:
     * any), the request id and status in the message when the server answered with an HTTP error,
     * the provider, and no API key in its message, {@code toString()} or stack trace.
     */
    static void assertFailure(LmException e, FakeLmServer server, String apiKey, Class<? extends LmException> type,
                              boolean retryable, int status) {
        assertThat(e).as("exception type for %s", server.lastRequest()).isInstanceOf(type);
        assertThat(e.isRetryable()).as("retryable flag of %s", e).isEqualTo(retryable);
        if (status >= 0) {
            assertThat(e.status()).as("HTTP status of %s", e).isEqualTo(status);
        }
        assertThat(e.provider()).as("provider of %s", e).isPresent();
        if (status > 0) {
            String requestId = server.lastRequest().requestId();
            assertThat(e.requestId()).as("request id of %s", e).contains(requestId);
            assertThat(e.getMessage()).as("message names the request id").contains(requestId);
            assertThat(e.getMessage()).as("message names the status").contains(Integer.toString(status));
        }
        assertNoSecret(e, apiKey);
    }

    /** Fails if the key appears in the exception's message, {@code toString()} or stack trace (causes included). */
    static void assertNoSecret(Throwable e, String apiKey) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as("stack trace of %s", e.getClass().getName()).doesNotContain(apiKey);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName()).doesNotContain(apiKey);
            assertThat(t.toString()).doesNotContain(apiKey);
        }
    }

    /** Reads a whole stream and returns its response. */
    static LmResponse drain(Lm lm, LmRequest request) {
        try (LmStream stream = lm.stream(request)) {
            while (stream.next() != null) {
                // read to the end
            }
            return stream.response();
        }
    }

    /** Every field name anywhere in a JSON tree. */
    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                names.add(entry.getKey());
                collect(entry.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }

    /** A JSON text parsed, for comparing JSON regardless of spacing and key order. */
    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** The text of a message content: a string or text blocks. */
    static String text(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(block -> text.append(block.path("text").asString("")));
        return text.toString();
    }
}
