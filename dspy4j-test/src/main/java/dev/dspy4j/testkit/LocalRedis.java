package dev.dspy4j.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a real Redis for tests: {@code DSPY4J_REDIS_URL} if set (dspy4j's {@code scripts/test}
 * and CI set it), else a throwaway server started with dspy4j's {@code scripts/redis-server.sh}
 * (found through {@code DSPY4J_REDIS_SCRIPT}, or at {@code ../scripts/} from a module's directory)
 * when {@code redis-server} is on the PATH. Without either, a test that asks fails when
 * {@code CI=true} and is skipped otherwise.
 *
 * <p>The URL is looked up once per JVM; servers started here are stopped at JVM exit.
 */
public final class LocalRedis {

    /** The environment variable that names a Redis to use. */
    public static final String URL_ENV = "DSPY4J_REDIS_URL";

    private static String sharedUrl;

    private LocalRedis() {
    }

    /**
     * The URL of a Redis the tests may write to, or the test is aborted (skipped) / failed.
     *
     * @param suite what needs it, for the message when there is none (e.g. "the Spark tests")
     */
    public static synchronized String url(String suite) {
        if (sharedUrl != null) {
            return sharedUrl;
        }
        String env = System.getenv(URL_ENV);
        if (env != null && !env.isBlank()) {
            sharedUrl = env.trim();
            return sharedUrl;
        }
        int port = freePort();
        String started = start(port);
        if (started == null) {
            unavailable(suite, "set " + URL_ENV + " (e.g. eval \"$(scripts/redis-server.sh --export)\") "
                    + "or install redis-server (apt-get install redis-server)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(port)));
        sharedUrl = started;
        return sharedUrl;
    }

    /** Whether this machine can start throwaway servers (for the outage tests). */
    public static boolean canStartServers() {
        return script() != null && onPath("redis-server");
    }

    /** Starts a throwaway server on {@code port} with the project script; null if impossible. */
    public static String start(int port) {
        Path script = script();
        if (script == null || !onPath("redis-server")) {
            return null;
        }
        try {
            Process process = new ProcessBuilder("bash", script.toString(), "--port", Integer.toString(port))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? null : lines.getLast();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Shuts down a server started by {@link #start(int)}. */
    public static void stop(int port) {
        Path script = script();
        if (script == null) {
            return;
        }
        try {
            new ProcessBuilder("bash", script.toString(), "--stop", "--port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port free right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** The port of a Redis URL. */
    public static int port(String url) {
        return URI.create(url).getPort();
    }

    private static void unavailable(String suite, String what) {
        String message = "No Redis for " + suite + ": " + what;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true, so this is a failure, not a skip)");
        }
        Assumptions.abort(message);
    }

    private static Path script() {
        String configured = System.getenv("DSPY4J_REDIS_SCRIPT");
        Path path = configured != null && !configured.isBlank()
                ? Path.of(configured) : Path.of("..", "scripts", "redis-server.sh");
        return Files.isRegularFile(path) ? path : null;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
