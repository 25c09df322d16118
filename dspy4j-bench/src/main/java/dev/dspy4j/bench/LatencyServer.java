package dev.dspy4j.bench;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import java.io.IOException;
import java.time.Duration;

/**
 * A local OpenAI-compatible server that answers every chat completion after a fixed latency, run
 * in its own JVM by {@link ThroughputHarness} so the client's CPU time is measured alone.
 *
 * <p>Usage: {@code LatencyServer <latency-ms>}. Prints the base URL on the first line of stdout and
 * serves until its stdin closes.
 */
public final class LatencyServer {

    private LatencyServer() {}

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        long latencyMillis = Long.parseLong(args[0]);
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.latency(Duration.ofMillis(latencyMillis))
                    .respondWith(request -> Reply.text("[[ ## answer ## ]]\n42\n\n[[ ## completed ## ]]")
                            .withUsage(60, 8));
            System.out.println(server.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our stdin
            }
        }
    }
}
