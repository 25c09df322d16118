package dev.dspy4j.provider.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The JDK HTTP clients of LMs and embedders, with their lifecycle; {@link #INSTANCE} holds this JVM's.
 *
 * <p>One {@link HttpClient} per configuration is shared by every client built with it and open at
 * the same time, so that {@code Lms.of(...)} in a loop does not leave a selector thread and a
 * connection pool behind for each discarded LM until garbage collection. Each user takes a
 * {@link Lease} and gives it back on {@code close()}; the last one out shuts the client down, and
 * the next user starts a new one.
 *
 * <p>The key is everything {@link HttpCaller} configures on a client: the connect timeout and
 * whether it may speak TLS. A setting added to the client must be added to the key. At most
 * {@value #MAX_SHARED} configurations are shared at once (in practice one or two); beyond that each
 * user gets its own client.
 *
 * <p><b>At JVM exit</b> every client still open is shut down by one shutdown hook. Without it, an
 * open client's selector thread sits in a native {@code epoll_wait}, and the JVM waits about
 * 300 ms for such threads before it exits: every short run (a script, a CLI call, a batch job)
 * would pay that. The hook is registered with the first client.
 */
final class SharedHttpClients {

    static final int MAX_SHARED = 16;
    /** How long the exit hook waits for the clients' threads to end, in all. */
    private static final Duration EXIT_WAIT = Duration.ofMillis(200);

    private record Key(Duration connectTimeout, boolean tls) {
    }

    private static final class Entry {
        final HttpClient client;
        int users;

        Entry(HttpClient client) {
            this.client = client;
        }
    }

    /** The clients of this JVM's LMs and embedders. */
    static final SharedHttpClients INSTANCE = new SharedHttpClients(true);

    /** Guarded by itself. */
    private final Map<Key, Entry> shared = new HashMap<>();
    /** Every client not yet shut down, shared or not; weak, so that a dropped client can be collected. */
    private final Set<HttpClient> open = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final boolean exitHook;
    private boolean hookRegistered; // guarded by open

    /** A registry; with {@code exitHook}, its clients are shut down at JVM exit. Tests make their own. */
    SharedHttpClients(boolean exitHook) {
        this.exitHook = exitHook;
    }

    /** A client in use; {@link #release()} gives it back (at most once counts). */
    final class Lease {
        private final HttpClient client;
        private final Key key;
        private final boolean isShared;
        private boolean released; // guarded by the registry's map

        private Lease(HttpClient client, Key key, boolean isShared) {
            this.client = client;
            this.key = key;
            this.isShared = isShared;
        }

        HttpClient client() {
            return client;
        }

        /** Gives the client back; the last user of a shared client, or the owner of its own, shuts it down. */
        void release() {
            boolean shutDown;
            synchronized (shared) {
                if (released) {
                    return;
                }
                released = true;
                if (!isShared) {
                    shutDown = true;
                } else {
                    Entry entry = shared.get(key);
                    shutDown = entry != null && entry.client == client && --entry.users == 0;
                    if (shutDown) {
                        shared.remove(key);
                    }
                }
            }
            if (shutDown) {
                shutDown(client);
            }
        }
    }

    /** A lease on the shared client for the endpoint's configuration, made by {@code factory} if none is open. */
    Lease acquire(Endpoint endpoint, Function<Endpoint, HttpClient> factory) {
        Key key = new Key(endpoint.connectTimeout(), !endpoint.plainHttp());
        synchronized (shared) {
            Entry entry = shared.get(key);
            if (entry == null && shared.size() < MAX_SHARED) {
                entry = new Entry(track(factory.apply(endpoint)));
                shared.put(key, entry);
            }
            if (entry != null) {
                entry.users++;
                return new Lease(entry.client, key, true);
            }
        }
        return new Lease(track(factory.apply(endpoint)), key, false);
    }

    /** Registers a client made for one use (a stream) so that it is shut down at exit if still open. */
    HttpClient track(HttpClient client) {
        open.add(client);
        registerExitHook();
        return client;
    }

    /** Shuts a client down now: open exchanges fail, its selector thread ends. */
    void shutDown(HttpClient client) {
        open.remove(client);
        client.shutdownNow();
    }

    private void registerExitHook() {
        if (!exitHook) {
            return;
        }
        synchronized (open) {
            if (hookRegistered) {
                return;
            }
            hookRegistered = true;
        }
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("dspy4j-http-exit").unstarted(
                    this::shutDownAll));
        } catch (IllegalStateException alreadyExiting) {
            // the JVM is exiting already: nothing to speed up
        }
    }

    /**
     * The exit hook's work: shuts down every open client (a later user gets a new one) and waits
     * a little for their threads to end.
     */
    void shutDownAll() {
        synchronized (shared) {
            shared.clear();
        }
        List<HttpClient> clients;
        synchronized (open) {
            clients = new ArrayList<>(open);
            open.clear();
        }
        clients.forEach(HttpClient::shutdownNow);
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        for (HttpClient client : clients) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                client.awaitTermination(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
