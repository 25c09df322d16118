package dev.dspy4j.spark.example;

import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.testkit.server.Responder;
import dev.dspy4j.testkit.server.SimulatedTicketModel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LM the example job's tests call: the test kit's {@link SimulatedTicketModel} behind a
 * {@link FakeLmServer} on loopback, except that every tenth ticket ({@code item 9}, {@code item 19},
 * ...) gets a reply no adapter can parse, so that those rows deterministically fail.
 */
final class TicketLm {

    /** A reply without any field markers: ChatAdapter and its JSON fallback both fail on it. */
    static final String UNPARSEABLE = "Sorry, I would rather not say.";
    private static final Pattern ITEM = Pattern.compile("item (\\d+)\\b");

    private TicketLm() {}

    /** A started server; close it after the test. */
    static FakeLmServer start() {
        Responder model = new SimulatedTicketModel();
        return FakeLmServer.start(Dialect.OPENAI).respondWith(request -> {
            Matcher item = ITEM.matcher(request.lastUserText());
            if (item.find() && failing(Long.parseLong(item.group(1)))) {
                return Reply.text(UNPARSEABLE);
            }
            return model.respond(request);
        });
    }

    /** Whether the ticket with this id gets the unparseable reply. */
    static boolean failing(long id) {
        return id % 10 == 9;
    }
}
