package dev.dspy4j.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A lean OpenAI-compatible endpoint for the throughput harness: HTTP/1.1 with keep-alive on
 * {@code 127.0.0.1}, one virtual thread per connection, and every request answered with the same
 * chat completion after a fixed latency. It reads each request's headers and body but does not
 * parse the JSON, so that on this 2-core machine the server takes as little CPU as possible from
 * the client being measured. (The test kit's {@code FakeLmServer} is the full-featured fake, with
 * request recording and fault injection.)
 *
 * <p>Run in its own JVM by {@link ThroughputHarness}: {@code LatencyServer <latency-ms>} prints its
 * base URL on the first line of stdout and serves until its stdin closes.
 */
public final class LatencyServer {

    private static final byte[] BODY = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":0,"
            + "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"[[ ## answer ## ]]\\n42\\n\\n[[ ## completed ## ]]\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":8,\"total_tokens\":68}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY.length + "\r\nx-request-id: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private LatencyServer() {}

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        long latencyMillis = Long.parseLong(args[0]);
        try (ServerSocket listener = new ServerSocket();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            threads.execute(() -> accept(listener, threads, latencyMillis));
            System.out.println("http://127.0.0.1:" + listener.getLocalPort() + "/v1");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our stdin
            }
            listener.close();
            threads.shutdownNow();
        }
    }

    private static void accept(ServerSocket listener, ExecutorService threads, long latencyMillis) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                threads.execute(() -> serve(socket, latencyMillis));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket socket, long latencyMillis) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
             OutputStream out = socket.getOutputStream()) {
            while (true) {
                long length = readHeaders(in);
                if (length < 0) {
                    return; // the client closed the connection
                }
                in.skipNBytes(length);
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                out.write(HEAD);
                out.write(BODY);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection closed or server stopping
        }
    }

    /** Reads one request's headers; returns its Content-Length, or -1 at end of stream. */
    private static long readHeaders(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(128);
        long length = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            if (c == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                if (end == 0) {
                    return length;
                }
                String header = line.substring(0, end);
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(header.substring(15).strip());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
    }
}
