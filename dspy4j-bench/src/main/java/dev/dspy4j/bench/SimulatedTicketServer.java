package dev.dspy4j.bench;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.time.Duration;

/**
 * The test kit's {@link SimulatedTicketModel} (a support-ticket model whose accuracy depends on the
 * instruction) behind a {@link FakeLmServer} in its own JVM, for {@link InstructionOptimizerHarness}:
 * {@code SimulatedTicketServer <latency-ms>} prints its base URL on the first line of stdout and
 * serves until its stdin closes.
 */
public final class SimulatedTicketServer {

    private SimulatedTicketServer() {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            server.respondWith(new SimulatedTicketModel()).latency(Duration.ofMillis(Long.parseLong(args[0])));
            System.out.println(server.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our stdin
            }
        }
    }
}
