package dev.dspy4j.provider.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link HttpClient} per configuration, shared by every LM and embedder built with it, so that
 * {@code Lms.of(...)} in a loop does not leave a JDK selector thread (and a connection pool) behind
 * for each discarded client until garbage collection.
 *
 * <p>The key is everything {@link HttpCaller} configures on a client: today only the connect
 * timeout (redirects and the executor are the same for all). A setting added to the client must be
 * added to the key. Bounded: at most {@value #MAX_SHARED} configurations are shared, for the life of
 * the JVM (the connect timeout is at most 10 seconds, so in practice one or two); beyond that each
 * caller gets its own client, collected with it, as before.
 */
final class SharedHttpClients {

    static final int MAX_SHARED = 16;
    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SharedHttpClients() {
    }

    /** The shared client for the endpoint's configuration, made by {@code factory} the first time. */
    static HttpClient forEndpoint(Endpoint endpoint, Function<Endpoint, HttpClient> factory) {
        Duration key = endpoint.connectTimeout();
        HttpClient shared = CLIENTS.get(key);
        if (shared != null) {
            return shared;
        }
        if (CLIENTS.size() >= MAX_SHARED) {
            return factory.apply(endpoint);
        }
        return CLIENTS.computeIfAbsent(key, k -> factory.apply(endpoint));
    }
}
