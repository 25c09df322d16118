package dev.dspy4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * CPU per request of bare HTTP transports, with no dspy4j code on the path: the JDK's
 * {@code java.net.http} client configured as dspy4j configures it (and three variants), OkHttp 5,
 * Jetty 12's client and reactor-netty, against {@link LatencyServer}s over HTTP/1.1 keep-alive.
 *
 * <p>Every measurement runs in a fresh child JVM ({@code -Xmx1g}, default flags otherwise), so
 * that one transport's classes, JIT profile and threads do not weigh on another's. Per transport
 * and repeat the parent runs:
 * <ul>
 *   <li>a child that sends 2,000 requests from 256 virtual threads to a server with 100 ms latency
 *       right after start ({@code fresh}), then rounds of 2,000 to a zero-latency server from 64
 *       threads until 20,000 requests have run, one unmeasured round of 256 to re-open the
 *       connections, and the 2,000 requests at 256 / 100 ms again ({@code warm});</li>
 *   <li>a child that sends 2,000 requests from 1,024 virtual threads (1,024 connections) to a
 *       server with 1,000 ms latency right after start;</li>
 *   <li>five children that send one request, close the client and return from {@code main}: the
 *       parent times each from spawn to exit (cold start), as it does a child that sends nothing;
 *       each child reports the time from entering {@code main} to the checked reply, and the time
 *       the client's close took.</li>
 * </ul>
 * Each request POSTs a 505-byte chat completion request with Content-Type, Authorization and
 * User-Agent headers, reads the whole body, and counts as a failure unless the status is 200 and
 * the body contains {@code 42}.
 *
 * <p>Columns: wall time of the measured loop, requests/s, the ratio to the ideal (concurrency /
 * latency), process CPU per request over the loop, process CPU from JVM start to the loop's end
 * per request (fresh only), CPU of the Java platform threads alone per request over the loop
 * (carriers, selectors, pools; not the JIT compiler or GC), and failures. The medians over the
 * repeats are printed as a markdown table, after every run's rows.
 *
 * <p>Usage: {@code TransportHarness [transport ...]} (default: all of {@code TRANSPORTS});
 * system properties {@code repeats} (default 2) and {@code warmup} (requests before the warm
 * measurement, default 20,000).
 */
public final class TransportHarness {

    /** Every transport, in the order of the table. */
    static final List<String> TRANSPORTS = List.of("jdk", "jdk-no-request-timeout", "jdk-send",
            "jdk-default-executor", "okhttp", "jetty", "jetty-async", "reactor-netty");
    private static final int REQUESTS = 2_000;
    /** Requests a warm child has sent before its warm measurement (system property {@code warmup}). */
    private static final int WARM_UP_TOTAL = Integer.getInteger("warmup", 20_000);
    private static final int WARM_UP_CONCURRENCY = 64;
    private static final int COLD_STARTS = 5;
    /** A realistic chat completion request (505 bytes), as dspy4j's ChatAdapter writes one. */
    private static final byte[] BODY = ("{\"model\":\"bench-model\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"Your input fields are:\\n1. `question` (str)\\nYour output fields are:\\n1. `answer` (str)\\n"
            + "All interactions will be structured in the following way, with the appropriate values filled in."
            + "\\n\\n[[ ## question ## ]]\\n{question}\\n\\n[[ ## answer ## ]]\\n{answer}\\n\\n"
            + "[[ ## completed ## ]]\"},{\"role\":\"user\",\"content\":\"[[ ## question ## ]]\\n"
            + "What is six times seven?\\n\\nRespond with the corresponding output fields.\"}],"
            + "\"temperature\":0.0,\"max_tokens\":1000}").getBytes(StandardCharsets.UTF_8);

    private static long mainStarted;

    private TransportHarness() {}

    /** Entry point: the parent, or with {@code child ...} arguments one measured child. */
    public static void main(String[] args) throws Exception {
        mainStarted = System.nanoTime();
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2], Arrays.stream(args, 3, args.length).map(URI::create).toArray(URI[]::new));
        } else {
            parent(args.length > 0 ? List.of(args) : TRANSPORTS, Integer.getInteger("repeats", 2));
        }
    }

    /** One measured row, as a child prints it (tab-separated after {@code ROW}). */
    record Row(String transport, String scenario, double wallSeconds, double perSecond, double ratio,
               double cpuLoopMillis, double cpuWholeMillis, double javaThreadsMillis, int failures) {

        String line() {
            return String.join("\t", "ROW", transport, scenario, Double.toString(wallSeconds),
                    Double.toString(perSecond), Double.toString(ratio), Double.toString(cpuLoopMillis),
                    Double.toString(cpuWholeMillis), Double.toString(javaThreadsMillis), Integer.toString(failures));
        }

        static Row parse(String line) {
            String[] f = line.split("\t");
            return new Row(f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), Integer.parseInt(f[9]));
        }

        String markdown() {
            return String.format("| %s | %s | %.2f s | %.0f | %.3f | %.3f ms | %s | %.3f ms | %d |", transport, scenario,
                    wallSeconds, perSecond, ratio, cpuLoopMillis,
                    Double.isNaN(cpuWholeMillis) ? "—" : String.format("%.3f ms", cpuWholeMillis),
                    javaThreadsMillis, failures);
        }
    }

    private static void parent(List<String> transports, int repeats) throws Exception {
        Process zero = startServer(0);
        Process short_ = startServer(100);
        Process long_ = startServer(1_000);
        try {
            String[] urls = {baseUrl(zero), baseUrl(short_), baseUrl(long_)};
            List<Row> rows = new ArrayList<>();
            Map<String, List<Double>> coldStarts = new LinkedHashMap<>();
            Map<String, List<Double>> answers = new LinkedHashMap<>();
            Map<String, List<Double>> closes = new LinkedHashMap<>();
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (String transport : transports) {
                    System.err.printf("repeat %d, %s, loadavg %s%n", repeat, transport, loadAverage());
                    rows.addAll(runChild("fresh", transport, urls).rows());
                    rows.addAll(runChild("fresh1024", transport, urls).rows());
                }
                for (String transport : concat("none", transports)) {
                    for (int i = 0; i < COLD_STARTS; i++) {
                        long start = System.nanoTime();
                        ChildOutput once = runChild("once", transport, urls);
                        coldStarts.computeIfAbsent(transport, t -> new ArrayList<>())
                                .add((System.nanoTime() - start) / 1e6);
                        answers.computeIfAbsent(transport, t -> new ArrayList<>()).add(once.answerMillis());
                        closes.computeIfAbsent(transport, t -> new ArrayList<>()).add(once.closeMillis());
                    }
                }
            }
            System.out.println("Every run:\n");
            printHeader();
            rows.forEach(row -> System.out.println(row.markdown()));
            System.out.printf("%nMedians over %d runs (failures: the sum):%n%n", repeats);
            printHeader();
            Map<String, List<Row>> groups = new LinkedHashMap<>();
            for (String scenario : List.of("fresh 256 @ 100 ms", "warm 256 @ 100 ms", "fresh 1024 @ 1000 ms")) {
                for (String transport : transports) {
                    groups.put(transport + "\t" + scenario, rows.stream()
                            .filter(r -> r.transport.equals(transport) && r.scenario.equals(scenario)).toList());
                }
            }
            for (List<Row> group : groups.values()) {
                if (!group.isEmpty()) {
                    System.out.println(new Row(group.getFirst().transport, group.getFirst().scenario,
                            median(group, Row::wallSeconds), median(group, Row::perSecond), median(group, Row::ratio),
                            median(group, Row::cpuLoopMillis), median(group, Row::cpuWholeMillis),
                            median(group, Row::javaThreadsMillis), group.stream().mapToInt(Row::failures).sum())
                            .markdown());
                }
            }
            System.out.printf("%nCold start, one request then exit (medians of %d runs): spawn to exit, and within"
                    + " the child from main() to the checked reply and the client's close%n%n", coldStarts.get("none")
                    .size());
            System.out.println("| transport | spawn to exit | main() to reply | close | all spawn-to-exit runs |");
            System.out.println("|---|---|---|---|---|");
            coldStarts.forEach((transport, millis) -> System.out.printf("| %s | %.0f ms | %s | %s | %s |%n", transport,
                    median(millis), millisOrDash(median(answers.get(transport))),
                    millisOrDash(median(closes.get(transport))),
                    millis.stream().map(m -> String.format("%.0f", m)).toList()));
        } finally {
            for (Process p : List.of(zero, short_, long_)) {
                p.getOutputStream().close();
                p.waitFor();
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void printHeader() {
        System.out.println("| transport | scenario | wall | req/s | ratio to ideal | CPU/request, loop "
                + "| CPU/request, whole process | CPU/request, Java threads | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
    }

    /** What a child printed: its rows, and for a cold start the times to answer and to close. */
    record ChildOutput(List<Row> rows, double answerMillis, double closeMillis) {
    }

    private static ChildOutput runChild(String mode, String transport, String[] urls) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g",
                "-Dslf4j.internal.verbosity=ERROR", "-Dwarmup=" + WARM_UP_TOTAL, "-cp", System.getProperty("java.class.path"),
                TransportHarness.class.getName(), "child", mode, transport));
        command.addAll(List.of(urls));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Row> rows = new ArrayList<>();
        double answerMillis = Double.NaN;
        double closeMillis = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("ROW\t")) {
                    rows.add(Row.parse(line));
                } else if (line.startsWith("ONCE\t")) {
                    String[] f = line.split("\t");
                    answerMillis = Double.parseDouble(f[1]);
                    closeMillis = Double.parseDouble(f[2]);
                } else {
                    System.err.println(line);
                }
            }
        }
        if (child.waitFor() != 0) {
            throw new IllegalStateException(mode + " " + transport + " exited with " + child.exitValue());
        }
        return new ChildOutput(rows, answerMillis, closeMillis);
    }

    /** A child: {@code mode} is {@code fresh}, {@code fresh1024} or {@code once}. */
    private static void child(String mode, String name, URI[] baseUrls) throws Exception {
        URI zero = baseUrls[0].resolve(baseUrls[0].getPath() + "/chat/completions");
        URI short_ = baseUrls[1].resolve(baseUrls[1].getPath() + "/chat/completions");
        URI long_ = baseUrls[2].resolve(baseUrls[2].getPath() + "/chat/completions");
        if (name.equals("none")) {
            return; // the cold start of the JVM alone
        }
        switch (mode) {
            case "once" -> {
                Transport transport = Transport.named(name, 1);
                check(transport.post(zero, BODY));
                long answered = System.nanoTime();
                transport.close();
                System.out.printf("ONCE\t%d\t%d%n", (answered - mainStarted) / 1_000_000,
                        (System.nanoTime() - answered) / 1_000_000);
            }
            case "fresh" -> {
                try (Transport transport = Transport.named(name, 256)) {
                    System.out.println(measure(transport, name, "fresh", short_, 256, 100, true).line());
                    for (int done = REQUESTS; done < WARM_UP_TOTAL; done += REQUESTS) {
                        drive(transport, zero, WARM_UP_CONCURRENCY, REQUESTS);
                    }
                    drive(transport, short_, 256, 256);
                    System.out.println(measure(transport, name, "warm", short_, 256, 100, false).line());
                }
            }
            case "fresh1024" -> {
                try (Transport transport = Transport.named(name, 1_024)) {
                    System.out.println(measure(transport, name, "fresh", long_, 1_024, 1_000, true).line());
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static Row measure(Transport transport, String name, String phase, URI uri, int concurrency,
                               long latencyMillis, boolean whole) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long javaBefore = ProcessStats.javaThreadsCpuNanos();
        long start = System.nanoTime();
        int failures = drive(transport, uri, concurrency, REQUESTS);
        long wallNanos = System.nanoTime() - start;
        long cpuAfter = os.getProcessCpuTime();
        long javaNanos = ProcessStats.javaThreadsCpuNanos() - javaBefore;
        double seconds = wallNanos / 1e9;
        double perSecond = REQUESTS / seconds;
        return new Row(name, String.format("%s %d @ %d ms", phase, concurrency, latencyMillis), seconds, perSecond,
                perSecond / (concurrency / (latencyMillis / 1000.0)), (cpuAfter - cpuBefore) / 1e6 / REQUESTS,
                whole ? cpuAfter / 1e6 / REQUESTS : Double.NaN, javaNanos / 1e6 / REQUESTS, failures);
    }

    /** {@code requests} requests from {@code concurrency} virtual threads; returns the failures. */
    private static int drive(Transport transport, URI uri, int concurrency, int requests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        try {
                            check(transport.post(uri, BODY));
                        } catch (Exception e) {
                            if (failures.incrementAndGet() <= 3) {
                                System.err.println("failure: " + e);
                            }
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return failures.get();
    }

    private static void check(Transport.Reply reply) throws IOException {
        if (reply.status() != 200 || !containsAnswer(reply.body())) {
            throw new IOException("status " + reply.status() + ", " + reply.body().length + " bytes");
        }
    }

    private static boolean containsAnswer(byte[] body) {
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '4' && body[i + 1] == '2') {
                return true;
            }
        }
        return false;
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> column) {
        return median(rows.stream().map(column::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String millisOrDash(double millis) {
        return Double.isNaN(millis) ? "—" : String.format("%.0f ms", millis);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String baseUrl(Process server) throws IOException {
        return new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static Process startServer(long latencyMillis) throws IOException {
        // test equipment, as in ThroughputHarness: C1 only and the serial collector
        return new ProcessBuilder(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LatencyServer.class.getName(), Long.toString(latencyMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
