package dev.dspy4j.cache.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "Redis" on loopback that accepts TCP connections and never answers: what a hung server (or
 * a stalled proxy in front of one) looks like to a client. Counts the connections it accepted.
 */
final class HungServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    HungServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("hung-redis").start(this::acceptForever);
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept()); // held open, never read, never answered
                accepted.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections clients opened so far. */
    int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
